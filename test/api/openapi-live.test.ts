/**
 * Live answers match /openapi.json: a realistic scenario drives every documented operation
 * in-process, and each answer must have a documented status, the documented media type and,
 * for JSON, a body valid against the documented schema — what an outside suite validating real
 * answers against the document with Ajv would see. Error answers are provoked on purpose.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../collector/app.ts';
import { silentLog } from '../../collector/deps.ts';
import { buildDeps } from '../../collector/index.ts';
import type { Store } from '../../collector/store/index.ts';
import { fanOut } from '../../collector/webhooks/index.ts';
import { DEFAULT_RULES } from '../../shared/scoring-defaults.ts';
import { ADMIN_TOKEN, event, ORIGIN, testConfig } from '../helpers/app.ts';
import { suiteHarness } from '../helpers/fixture.ts';
import { pgliteCase } from '../helpers/stores.ts';
import { type Answer, LiveContract, type ServedDocument } from './live-contract.ts';

/** How a request authenticates: the site's secret key (Bearer, or Basic for Segment), the admin token. */
type Auth = 'secret' | 'segment' | 'admin' | 'none';

interface CallInit {
  auth?: Auth;
  /** Sent as `application/json` unless `headers` names another type. */
  json?: unknown;
  body?: string;
  headers?: Record<string, string>;
}

const app = (store: Store, config = testConfig()) =>
  createApp(buildDeps(store, { config, log: silentLog }));

/** A store whose database is unreachable: every query fails the way a lost connection does. */
const unreachableStore = (): Store => {
  const down = () =>
    Promise.reject(Object.assign(new Error('Connection terminated'), { code: '08006' }));
  return {
    kind: 'postgres',
    query: down,
    transaction: down,
    ping: async () => false,
    close: async () => {},
  };
};

describe('live answers match the OpenAPI document', () => {
  let contract: LiveContract;
  const h = suiteHarness(pgliteCase);

  beforeAll(async () => {
    const res = await h.app.request('/openapi.json');
    contract = new LiveContract((await res.json()) as ServedDocument);
  });

  const credentials = (auth: Auth): string | undefined =>
    ({
      secret: `Bearer ${h.site.secretKey}`,
      segment: `Basic ${Buffer.from(`${h.site.secretKey}:`).toString('base64')}`,
      admin: `Bearer ${ADMIN_TOKEN}`,
      none: undefined,
    })[auth];

  /**
   * Sends a request to `target` (the scenario's app by default), expects `status`, and checks the
   * answer against the document (softly: one run lists every mismatch).
   */
  async function call(
    method: string,
    url: string,
    status: number,
    init: CallInit = {},
    target = h.app,
  ): Promise<Answer> {
    const headers = new Headers(init.headers);
    const auth = credentials(init.auth ?? 'none');
    if (auth) headers.set('authorization', auth);
    let body = init.body;
    if (init.json !== undefined) {
      body = JSON.stringify(init.json);
      if (!headers.has('content-type')) headers.set('content-type', 'application/json');
    }
    const answer = await contract.check(
      method,
      url,
      await target.request(url, { method, headers, body }),
    );
    expect.soft(answer.mismatches, answer.operation).toEqual([]);
    expect(answer.status, `${method} ${url}: ${JSON.stringify(answer.body)}`).toBe(status);
    return answer;
  }

  /** A documented path with its parameters filled in (`/v1/leads/{id}` → `/v1/leads/nope`). */
  const filled = (path: string, value = 'nope') => path.replace(/\{\w+\}/g, value);

  /** The credentials an operation documents, as this scenario sends them. */
  const authOf = (op: { method: string; path: string }): Auth => {
    const scheme = Object.keys(contract.operation(op).security?.[0] ?? {})[0];
    return scheme === 'secretKey'
      ? 'secret'
      : scheme === 'segmentWriteKey'
        ? 'segment'
        : scheme === 'adminToken'
          ? 'admin'
          : 'none';
  };

  const operations = () =>
    contract.operations().map((o) => {
      const [method, path] = o.split(' ') as [string, string];
      return { method, path };
    });

  it('serves health, readiness, metrics, the document and its page as documented', async () => {
    expect((await call('GET', '/healthz', 200)).body).toEqual({ status: 'ok' });
    expect((await call('GET', '/readyz', 200)).body).toMatchObject({ status: 'ready' });
    expect((await call('GET', '/metrics', 200)).body).toContain('touchpoint_');
    expect((await call('GET', '/openapi.json', 200)).body.openapi).toBe('3.1.0');
    expect((await call('GET', '/docs', 200)).body).toContain('<html');
  });

  it('admin: creates, lists, reads and changes a site, then issues, lists and revokes its keys', async () => {
    const created = await call('POST', '/v1/admin/sites', 201, {
      auth: 'admin',
      json: { name: 'Second site', allowedOrigins: ['https://second.example'] },
    });
    const { site, publicKeyId } = created.body;
    expect(created.body.secretKey).toMatch(/^sk_/);
    await call('POST', '/v1/admin/sites', 400, { auth: 'admin', json: { name: '' } });

    const issued = await call('POST', `/v1/admin/sites/${site.id}/keys`, 201, {
      auth: 'admin',
      json: { kind: 'secret' },
    });
    await call('POST', `/v1/admin/sites/${site.id}/keys`, 201, {
      auth: 'admin',
      json: { kind: 'public' },
    });
    await call('POST', '/v1/admin/sites/site_nope/keys', 404, {
      auth: 'admin',
      json: { kind: 'secret' },
    });
    const keys = await call('GET', `/v1/admin/sites/${site.id}/keys`, 200, { auth: 'admin' });
    expect(keys.body.data.map((k: { keyId: string }) => k.keyId)).toContain(publicKeyId);
    await call('GET', '/v1/admin/sites/site_nope/keys', 404, { auth: 'admin' });

    const listed = await call('GET', '/v1/admin/sites?limit=1', 200, { auth: 'admin' });
    await call('GET', `/v1/admin/sites?cursor=${listed.body.nextCursor}`, 200, { auth: 'admin' });
    await call('GET', '/v1/admin/sites?cursor=nope', 400, { auth: 'admin' });
    await call('GET', `/v1/admin/sites/${site.id}`, 200, { auth: 'admin' });
    await call('GET', '/v1/admin/sites/site_nope', 404, { auth: 'admin' });
    const patched = await call('PATCH', `/v1/admin/sites/${site.id}`, 200, {
      auth: 'admin',
      json: { botPolicy: 'drop', settings: { retentionDays: 30 } },
    });
    expect(patched.body.settings).toEqual({ retentionDays: 30 });
    await call('PATCH', `/v1/admin/sites/${site.id}`, 400, {
      auth: 'admin',
      json: { settings: { x: 1 } },
    });
    await call('PATCH', '/v1/admin/sites/site_nope', 404, { auth: 'admin', json: {} });

    const revoke = `/v1/admin/sites/${site.id}/keys/${issued.body.keyId}`;
    await call('DELETE', revoke, 204, { auth: 'admin' });
    await call('DELETE', `/v1/admin/sites/${site.id}/keys/key_nope`, 404, { auth: 'admin' });
  });

  it('ingest: the tag’s batches and every Segment-compatible message type', async () => {
    const tag = (events: unknown[], over: Record<string, unknown> = {}) => ({
      json: { site: h.site.publicKey, sentAt: Date.now(), events, ...over },
      headers: { origin: ORIGIN },
    });
    const pricing = 'https://www.example.com/pricing?utm_source=google&utm_medium=cpc';
    const accepted = await call(
      'POST',
      '/v1/collect',
      202,
      tag([
        event({ anonymousId: 'anon-a', sessionId: 's-a', url: pricing }),
        event({
          type: 'identify',
          anonymousId: 'anon-a',
          traits: { email: 'a@acme.com', name: 'Ann' },
        }),
        event({ anonymousId: 'anon-b', sessionId: 's-b' }),
        event({ type: 'identify', anonymousId: 'anon-b', traits: { email: 'b@acme.com' } }),
        event({ anonymousId: 'anon-c', sessionId: 's-c' }),
      ]),
    );
    expect(accepted.body).toEqual({ accepted: 5, duplicates: 0 });
    await call('POST', '/v1/collect', 400, tag([]));
    await call('POST', '/v1/collect', 403, {
      ...tag([event()]),
      headers: { origin: 'https://evil.example' },
    });
    await call('POST', '/v1/collect', 404, tag([event()], { site: 'pk_nope' }));

    const message = (type: string) => ({
      messageId: `m-${type}`,
      userId: 'u-seg',
      anonymousId: 'seg-anon',
      event: 'Signed Up',
      name: 'Home',
      traits: { email: 'seg@acme.com' },
    });
    const batch = { batch: [{ type: 'track', ...message('batch') }] };
    expect((await call('POST', '/v1/batch', 200, { auth: 'segment', json: batch })).body).toEqual({
      success: true,
    });
    for (const type of ['identify', 'track', 'page', 'screen', 'alias', 'group'])
      await call('POST', `/v1/${type}`, 200, { auth: 'segment', json: message(type) });
    await call('POST', '/v1/track', 400, { auth: 'segment', json: { userId: 'u-seg' } });
  });

  it('forms: marketer CRUD, the public config, submissions and their list', async () => {
    const demo = {
      id: 'demo',
      name: 'Book a demo',
      kind: 'inline',
      fields: [
        { name: 'email', type: 'email', label: 'Email', required: true },
        { name: 'company', type: 'text', label: { en: 'Company', vi: 'Công ty' } },
      ],
      texts: { submit: 'Send' },
    };
    expect((await call('POST', '/v1/forms', 201, { auth: 'secret', json: demo })).body).toEqual(
      demo,
    );
    await call('POST', '/v1/forms', 409, { auth: 'secret', json: demo });
    await call('POST', '/v1/forms', 400, { auth: 'secret', json: { ...demo, id: 'Not A Slug' } });

    const popup = {
      name: 'Pricing help',
      kind: 'popup',
      fields: [{ name: 'email', type: 'email', required: true }],
      trigger: { type: 'delay', seconds: 5 },
      targeting: { include: ['*/pricing*'], device: 'all' },
      frequency: { show: 'once', dismissDays: 7 },
    };
    await call('PUT', '/v1/forms/pricing-help', 201, { auth: 'secret', json: popup });
    await call('PUT', '/v1/forms/pricing-help', 200, {
      auth: 'secret',
      json: { ...popup, name: 'Pricing questions' },
    });
    await call('PUT', '/v1/forms/pricing-help', 400, {
      auth: 'secret',
      json: { ...popup, id: 'other' },
    });
    expect((await call('GET', '/v1/forms', 200, { auth: 'secret' })).body.data).toHaveLength(2);
    await call('GET', '/v1/forms/demo', 200, { auth: 'secret' });
    await call('GET', '/v1/forms/nope', 404, { auth: 'secret' });

    const config = `/v1/sites/${h.site.publicKey}/config`;
    const page = `${config}?anonymousId=anon-a&url=${encodeURIComponent('https://www.example.com/pricing')}`;
    const read = await call('GET', page, 200);
    expect(read.body.forms.map((f: { id: string }) => f.id)).toEqual(
      expect.arrayContaining(['demo', 'pricing-help']),
    );
    await call('GET', page, 304, { headers: { 'if-none-match': read.headers.get('etag')! } });
    await call('GET', `${config}?device=tablet`, 400);
    await call('GET', '/v1/sites/pk_nope/config', 404);

    const submission = (id: string, over: Record<string, unknown> = {}) => ({
      json: {
        site: h.site.publicKey,
        id,
        anonymousId: 'anon-d',
        values: { email: 'd@acme.com', company: 'Acme' },
        url: 'https://www.example.com/demo',
        elapsedMs: 8_000,
        hp: '',
        ...over,
      },
      headers: { origin: ORIGIN },
    });
    const submit = '/v1/forms/demo/submissions';
    expect((await call('POST', submit, 202, submission('sub-1'))).body).toEqual({
      id: 'sub-1',
      received: true,
    });
    await call('POST', submit, 202, submission('sub-bot', { hp: 'I am a bot' }));
    await call('POST', submit, 400, submission('sub-2', { values: { email: 'not an email' } }));
    await call('POST', submit, 403, {
      ...submission('sub-3'),
      headers: { origin: 'https://evil.example' },
    });
    await call('POST', '/v1/forms/nope/submissions', 404, submission('sub-4'));

    const list = await call('GET', '/v1/forms/demo/submissions', 200, { auth: 'secret' });
    expect(list.body.data.map((s: { status: string }) => s.status).sort()).toEqual([
      'accepted',
      'quarantined',
    ]);
    await call('GET', '/v1/forms/demo/submissions?status=quarantined&limit=1', 200, {
      auth: 'secret',
    });
    await call('GET', '/v1/forms/demo/submissions?limit=0', 400, { auth: 'secret' });
    await call('GET', '/v1/forms/nope/submissions', 404, { auth: 'secret' });

    await call('DELETE', '/v1/forms/pricing-help', 204, { auth: 'secret' });
    await call('DELETE', '/v1/forms/pricing-help', 404, { auth: 'secret' });
  });

  /** The id of the lead with this email. */
  const leadOf = async (email: string): Promise<string> => {
    const found = await call('GET', `/v1/leads?q=${encodeURIComponent(email)}`, 200, {
      auth: 'secret',
    });
    expect(found.body.data).toHaveLength(1);
    return found.body.data[0].id;
  };

  it('leads: list, export, detail, timeline, traits, stage, trusted events, merge, erase', async () => {
    const a = await leadOf('a@acme.com');
    const b = await leadOf('b@acme.com');
    const d = await leadOf('d@acme.com');

    const all = await call('GET', '/v1/leads?sort=-score&limit=2', 200, { auth: 'secret' });
    expect(all.body.nextCursor).toEqual(expect.any(String));
    await call('GET', `/v1/leads?sort=-score&limit=2&cursor=${all.body.nextCursor}`, 200, {
      auth: 'secret',
    });
    await call('GET', '/v1/leads?stage=mql&stage=sql&channel=paid_search', 200, { auth: 'secret' });
    await call('GET', '/v1/leads?stage=bogus', 400, { auth: 'secret' });
    await call('GET', '/v1/leads?segment=seg_nope', 404, { auth: 'secret' });
    const csv = await call('GET', '/v1/leads/export.csv?sort=createdAt', 200, { auth: 'secret' });
    expect(csv.body).toContain('a@acme.com');
    await call('GET', '/v1/leads/export.csv?segment=seg_nope', 404, { auth: 'secret' });
    await call('GET', '/v1/leads/export.csv?sort=sideways', 400, { auth: 'secret' });

    expect((await call('GET', `/v1/leads/${a}`, 200, { auth: 'secret' })).body.email).toBe(
      'a@acme.com',
    );
    await call('GET', '/v1/leads/lead_nope', 404, { auth: 'secret' });
    await call('GET', `/v1/leads/${a}/timeline?limit=2`, 200, { auth: 'secret' });
    await call('GET', `/v1/leads/${a}/timeline?limit=5000`, 400, { auth: 'secret' });
    await call('GET', '/v1/leads/lead_nope/timeline', 404, { auth: 'secret' });

    const patched = await call('PATCH', `/v1/leads/${a}`, 200, {
      auth: 'secret',
      json: { traits: { title: 'VP Marketing', company: 'Acme' } },
    });
    expect(patched.body.traits).toMatchObject({ title: 'VP Marketing' });
    // The email of another lead: merge them instead.
    await call('PATCH', `/v1/leads/${b}`, 409, {
      auth: 'secret',
      json: { traits: { email: 'a@acme.com' } },
    });
    await call('PATCH', `/v1/leads/${b}`, 400, { auth: 'secret', json: { traits: 'VP' } });
    await call('PATCH', '/v1/leads/lead_nope', 404, {
      auth: 'secret',
      json: { traits: { title: 'VP' } },
    });

    const stage = (id: string, body: unknown, status: number) =>
      call('POST', `/v1/leads/${id}/stage`, status, { auth: 'secret', json: body });
    expect((await stage(a, { stage: 'opportunity' }, 200)).body.moved).toBe(true);
    await stage(a, { stage: 'lost' }, 400);
    await stage('lead_nope', { stage: 'mql' }, 404);

    const purchase = await call('POST', `/v1/leads/${a}/events`, 202, {
      auth: 'secret',
      json: { type: 'track', name: 'purchase', value: 99, currency: 'EUR' },
    });
    expect(purchase.body.lead.stage).toBe('customer');
    await call('POST', `/v1/leads/${a}/events`, 400, { auth: 'secret', json: {} });
    await call('POST', '/v1/leads/lead_nope/events', 404, { auth: 'secret', json: { name: 'x' } });

    expect(
      (await call('POST', `/v1/leads/${a}/merge`, 200, { auth: 'secret', json: { leadId: b } }))
        .body.id,
    ).toBe(a);
    await call('POST', `/v1/leads/${a}/merge`, 409, { auth: 'secret', json: { leadId: b } });
    await call('POST', `/v1/leads/${a}/merge`, 404, {
      auth: 'secret',
      json: { leadId: 'lead_nope' },
    });
    await call('POST', `/v1/leads/${a}/merge`, 400, { auth: 'secret', json: {} });
    // The merged-away id answers with the survivor.
    expect((await call('GET', `/v1/leads/${b}`, 200, { auth: 'secret' })).body.id).toBe(a);

    const exported = await call('GET', `/v1/leads/${a}/export`, 200, { auth: 'secret' });
    expect(exported.body.leadIds).toEqual(expect.arrayContaining([a, b]));
    await call('GET', '/v1/leads/lead_nope/export', 404, { auth: 'secret' });

    await call('DELETE', `/v1/leads/${d}`, 204, { auth: 'secret' });
    await call('GET', `/v1/leads/${d}`, 404, { auth: 'secret' });
    await call('DELETE', `/v1/leads/${d}`, 404, { auth: 'secret' });
  });

  it('visitors: anonymous prospects, their sessions, events and lead', async () => {
    const list = await call('GET', '/v1/visitors?limit=1', 200, { auth: 'secret' });
    expect(list.body.nextCursor).toEqual(expect.any(String));
    await call('GET', `/v1/visitors?identified=false&cursor=${list.body.nextCursor}`, 200, {
      auth: 'secret',
    });
    await call('GET', '/v1/visitors?identified=maybe', 400, { auth: 'secret' });
    const a = await call('GET', '/v1/visitors/anon-a', 200, { auth: 'secret' });
    expect(a.body.leadId).toEqual(expect.any(String));
    expect(
      (await call('GET', '/v1/visitors/anon-c', 200, { auth: 'secret' })).body.leadId,
    ).toBeNull();
    await call('GET', '/v1/visitors/nobody', 404, { auth: 'secret' });
  });

  it('reports: funnel (by channel), channels and forms', async () => {
    const funnel = await call('GET', '/v1/reports/funnel?by=channel', 200, { auth: 'secret' });
    expect(funnel.body.byChannel).toEqual(expect.any(Array));
    await call('GET', '/v1/reports/channels', 200, { auth: 'secret' });
    await call('GET', '/v1/reports/forms', 200, { auth: 'secret' });
    await call('GET', '/v1/reports/funnel?from=2026-02-01&to=2026-01-01', 400, { auth: 'secret' });
    await call('GET', '/v1/reports/channels?by=month', 400, { auth: 'secret' });
  });

  it('scoring: read, replace and follow the rescoring job', async () => {
    const read = await call('GET', '/v1/scoring', 200, { auth: 'secret' });
    const etag = read.headers.get('etag')!;
    await call('GET', '/v1/scoring', 304, { auth: 'secret', headers: { 'if-none-match': etag } });
    const saved = await call('PUT', '/v1/scoring', 202, {
      auth: 'secret',
      json: { ...DEFAULT_RULES, mqlThreshold: 40 },
      headers: { 'if-match': etag },
    });
    await call('PUT', '/v1/scoring', 412, {
      auth: 'secret',
      json: DEFAULT_RULES,
      headers: { 'if-match': etag },
    });
    await call('PUT', '/v1/scoring', 400, { auth: 'secret', json: { mqlThreshold: 'high' } });
    await call('GET', `/v1/scoring/jobs/${saved.body.job.id}`, 200, { auth: 'secret' });
    await call('GET', '/v1/scoring/jobs/job_nope', 404, { auth: 'secret' });
  });

  it('segments: save, list, read, apply to the list and the export, delete', async () => {
    const created = await call('POST', '/v1/segments', 201, {
      auth: 'secret',
      json: {
        name: 'Pipeline',
        filter: { stage: 'mql,sql', minScore: 0, createdAfter: '2020-01-01' },
      },
    });
    const id = created.body.id;
    await call('POST', '/v1/segments', 400, { auth: 'secret', json: { name: '', filter: {} } });
    expect((await call('GET', '/v1/segments', 200, { auth: 'secret' })).body.data).toHaveLength(1);
    await call('GET', `/v1/segments/${id}`, 200, { auth: 'secret' });
    await call('GET', `/v1/leads?segment=${id}`, 200, { auth: 'secret' });
    await call('GET', `/v1/leads/export.csv?segment=${id}`, 200, { auth: 'secret' });
    await call('DELETE', `/v1/segments/${id}`, 204, { auth: 'secret' });
    await call('GET', `/v1/segments/${id}`, 404, { auth: 'secret' });
    await call('DELETE', `/v1/segments/${id}`, 404, { auth: 'secret' });
  });

  it('webhooks: add an endpoint, list it and its deliveries, remove it', async () => {
    const created = await call('POST', '/v1/webhooks', 201, {
      auth: 'secret',
      json: { url: 'https://hooks.example.com/touchpoint', events: ['lead.stage_changed'] },
    });
    const id = created.body.id;
    expect(created.body.secret).toEqual(expect.any(String));
    await call('POST', '/v1/webhooks', 400, {
      auth: 'secret',
      json: { url: 'ftp://hooks.example.com', events: ['lead.nope'] },
    });
    await call('GET', '/v1/webhooks', 200, { auth: 'secret' });

    // A stage change queued for the endpoint (never sent: no worker runs here).
    const lead = await leadOf('a@acme.com');
    await call('POST', `/v1/leads/${lead}/stage`, 200, {
      auth: 'secret',
      json: { stage: 'lost', reason: 'went with a competitor' },
    });
    await fanOut(h.store, new Date());
    const deliveries = await call('GET', `/v1/webhooks/${id}/deliveries?limit=10`, 200, {
      auth: 'secret',
    });
    expect(deliveries.body.data).toContainEqual(
      expect.objectContaining({ type: 'lead.stage_changed', status: 'pending' }),
    );
    await call('GET', `/v1/webhooks/${id}/deliveries?limit=0`, 400, { auth: 'secret' });
    const test = await call('POST', `/v1/webhooks/${id}/test`, 202, { auth: 'secret' });
    await call('POST', `/v1/webhooks/${id}/deliveries/${test.body.id}/retry`, 202, {
      auth: 'secret',
    });
    await call('POST', `/v1/webhooks/${id}/deliveries/dlv_nobody/retry`, 404, { auth: 'secret' });
    await call('PATCH', `/v1/webhooks/${id}`, 200, {
      auth: 'secret',
      json: { events: ['lead.stage_changed', 'lead.merged'] },
    });
    await call('PATCH', `/v1/webhooks/${id}`, 400, { auth: 'secret', json: { url: 'ftp://x' } });
    await call('POST', `/v1/webhooks/${id}/secret`, 200, { auth: 'secret' });
    await call('POST', '/v1/webhooks/wh_nobody/secret', 404, { auth: 'secret' });
    await call('DELETE', `/v1/webhooks/${id}`, 204, { auth: 'secret' });
    await call('GET', `/v1/webhooks/${id}/deliveries`, 404, { auth: 'secret' });
    await call('DELETE', `/v1/webhooks/${id}`, 404, { auth: 'secret' });
  });

  it('every protected operation answers a request without credentials with a documented 401', async () => {
    for (const op of operations().filter((o) => authOf(o) !== 'none')) {
      const body = contract.operation(op).requestBody ? { json: {} } : {};
      await call(op.method, filled(op.path), 401, body);
    }
  });

  it('every operation with a body answers application/xml with a documented 415 (Segment’s too)', async () => {
    for (const op of operations().filter((o) => contract.operation(o).requestBody)) {
      await call(op.method, filled(op.path), 415, {
        auth: authOf(op),
        body: '<batch/>',
        headers: { 'content-type': 'application/xml', origin: ORIGIN },
      });
    }
  });

  it('every operation with a body answers an oversized one with a documented 413', async () => {
    const huge = JSON.stringify({ padding: 'x'.repeat(600 * 1024) });
    for (const op of operations().filter((o) => contract.operation(o).requestBody)) {
      await call(op.method, filled(op.path), 413, {
        auth: authOf(op),
        body: huge,
        headers: { 'content-type': 'application/json', origin: ORIGIN },
      });
    }
  });

  it('a path parameter the database cannot store (a NUL) is a documented 400', async () => {
    for (const op of operations().filter((o) => o.path.includes('{'))) {
      await call(op.method, filled(op.path, '%00'), 400, { auth: authOf(op) });
    }
  });

  it('an unreachable store: /readyz and the API answer their documented 503', async () => {
    const down = app(unreachableStore());
    const ready = await call('GET', '/readyz', 503, {}, down);
    expect(ready.body.status).toBe('store unreachable');
    await call('GET', '/v1/leads', 503, { auth: 'secret' }, down);
    await call('GET', '/v1/forms/demo', 503, { auth: 'secret' }, down);
    await call('GET', `/v1/sites/${h.site.publicKey}/config`, 503, {}, down);
    await call(
      'POST',
      '/v1/batch',
      503,
      { auth: 'segment', json: { batch: [{ type: 'track', event: 'x', userId: 'u' }] } },
      down,
    );
  });

  it('the admin API of a collector without an admin token is a documented 404', async () => {
    const closed = app(h.store, testConfig({ adminToken: undefined }));
    await call(
      'POST',
      '/v1/admin/sites',
      404,
      {
        auth: 'admin',
        json: { name: 'x', allowedOrigins: [] },
      },
      closed,
    );
    await call('GET', '/v1/admin/sites/site_nope/keys', 404, { auth: 'admin' }, closed);
  });

  it('touched every documented operation', () => {
    const untouched = contract.operations().filter((o) => !contract.seen.has(o));
    expect(untouched).toEqual([]);
  });
});
