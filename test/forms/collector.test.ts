import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_FORMS } from '../../collector/forms/demo.ts';
import { createSite } from '../../collector/sites/index.ts';
import type { FormDefinition } from '../../shared/forms.ts';
import { ORIGIN, testClock } from '../helpers/app.ts';
import { suiteHarness } from '../helpers/fixture.ts';
import { storeCases } from '../helpers/stores.ts';

const contact: FormDefinition = {
  id: 'contact',
  name: 'Contact us',
  kind: 'popup',
  salesReady: true,
  trigger: { type: 'exit_intent' },
  fields: [
    { name: 'email', type: 'email', label: 'Email', required: true },
    { name: 'name', type: 'text', label: { en: 'Name', vi: 'Tên' } },
    { name: 'company', type: 'text', progressive: true, required: true },
    { name: 'message', type: 'textarea' },
    {
      name: 'consent',
      type: 'consent',
      required: true,
      label: { en: 'I agree to be contacted.', vi: 'Tôi đồng ý được liên hệ.' },
    },
  ],
};

let seq = 0;
const subId = () => `sub-${Date.now().toString(36)}-${++seq}`;

describe.each(storeCases)('forms collector on $name', (sc) => {
  const clock = testClock(Date.now());
  const h = suiteHarness(sc, { clock });

  beforeAll(async () => {
    const res = await h.secret('/v1/forms', { method: 'POST', body: JSON.stringify(contact) });
    expect(res.status).toBe(201);
  });

  /** POSTs a submission from ORIGIN and a given IP. */
  const submit = (
    body: Record<string, unknown>,
    opts: { formId?: string; origin?: string; ip?: string; userAgent?: string } = {},
  ) =>
    h.app.request(
      `/v1/forms/${opts.formId ?? 'contact'}/submissions`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          origin: opts.origin ?? ORIGIN,
          ...(opts.userAgent ? { 'user-agent': opts.userAgent } : {}),
        },
        body: JSON.stringify({
          site: h.site.publicKey,
          id: subId(),
          anonymousId: 'anon-form',
          sessionId: 'sess-form',
          url: 'https://www.example.com/pricing',
          elapsedMs: 8_000,
          hp: '',
          values: { email: 'Ana@Example.com ', name: 'Ana', company: 'Acme', consent: true },
          ...body,
        }),
      },
      { incoming: { socket: { remoteAddress: opts.ip ?? `10.0.${seq % 250}.${seq % 200}` } } },
    );

  describe('definitions', () => {
    it('lists, reads, replaces and deletes forms', async () => {
      const list = await (await h.secret('/v1/forms')).json();
      expect(list.data.map((f: FormDefinition) => f.id)).toContain('contact');
      expect(await (await h.secret('/v1/forms/contact')).json()).toMatchObject({ kind: 'popup' });

      const bar = { ...contact, id: 'promo', kind: 'bar', name: 'Promo' };
      const put = await h.secret('/v1/forms/promo', { method: 'PUT', body: JSON.stringify(bar) });
      expect(put.status).toBe(201);
      const again = await h.secret('/v1/forms/promo', {
        method: 'PUT',
        body: JSON.stringify({ ...bar, id: undefined, name: 'Promo 2' }),
      });
      expect(again.status).toBe(200);
      expect((await (await h.secret('/v1/forms/promo')).json()).name).toBe('Promo 2');
      expect((await h.secret('/v1/forms/promo', { method: 'DELETE' })).status).toBe(204);
      expect((await h.secret('/v1/forms/promo')).status).toBe(404);
      expect((await h.secret('/v1/forms/promo', { method: 'DELETE' })).status).toBe(404);
    });

    it('refuses a duplicate id with 409 and invalid definitions with field paths', async () => {
      const dup = await h.secret('/v1/forms', { method: 'POST', body: JSON.stringify(contact) });
      expect(dup.status).toBe(409);
      const bad = await h.secret('/v1/forms', {
        method: 'POST',
        body: JSON.stringify({
          ...contact,
          id: 'Not A Slug',
          kind: 'modal',
          fields: [
            { name: 'email', type: 'email' },
            { name: 'email', type: 'select' },
          ],
          trigger: { type: 'scroll', percent: 140 },
          theme: { color: 'red', '--tp-bg': 'red;}' },
        }),
      });
      expect(bad.status).toBe(400);
      expect(bad.headers.get('content-type')).toBe('application/problem+json');
      const paths = (await bad.json()).errors.map((e: { path: string }) => e.path);
      expect(paths).toEqual(
        expect.arrayContaining(['id', 'kind', 'fields.1.options', 'trigger.percent']),
      );
      expect(paths.some((p: string) => p.startsWith('theme'))).toBe(true);
      const mismatch = await h.secret('/v1/forms/contact', {
        method: 'PUT',
        body: JSON.stringify({ ...contact, id: 'other' }),
      });
      expect(mismatch.status).toBe(400);
    });

    it('makes an id from the name when POST leaves it out; takes bare option and trigger names', async () => {
      const { id: _, ...rest } = contact;
      const create = (body: object) =>
        h.secret('/v1/forms', { method: 'POST', body: JSON.stringify(body) });
      const first = await create({
        ...rest,
        name: 'Đặt lịch demo',
        trigger: 'exit_intent',
        fields: [
          { name: 'email', type: 'email', required: true },
          { name: 'size', type: 'select', options: ['1-10', { value: '11-50', label: '11–50' }] },
        ],
      });
      expect(first.status, await first.clone().text()).toBe(201);
      const made = await first.json();
      expect(made).toMatchObject({
        id: 'dat-lich-demo',
        trigger: { type: 'exit_intent' },
        fields: [
          { name: 'email' },
          { options: [{ value: '1-10' }, { value: '11-50', label: '11–50' }] },
        ],
      });
      expect(await (await h.secret('/v1/forms/dat-lich-demo')).json()).toEqual(made);
      const second = await create({ ...rest, name: 'Đặt lịch demo' });
      expect((await second.json()).id).toBe('dat-lich-demo-2');
      const nameless = await create({ ...rest, name: '📅 ✨' });
      expect((await nameless.json()).id).toBe('form');
    });

    it('takes a frequency without show as show: session, the documented default', async () => {
      const res = await h.secret('/v1/forms', {
        method: 'POST',
        body: JSON.stringify({ ...contact, id: 'freq-default', frequency: { dismissDays: 3 } }),
      });
      expect(res.status, await res.clone().text()).toBe(201);
      const stored = await (await h.secret('/v1/forms/freq-default')).json();
      expect(stored.frequency).toEqual({ show: 'session', dismissDays: 3 });
    });

    it("never shows one site's forms or submissions to another site's key", async () => {
      const other = await createSite(h.store, { name: 'Other', allowedOrigins: [ORIGIN] });
      const as = (path: string) =>
        h.app.request(path, { headers: { authorization: `Bearer ${other.secretKey}` } });
      const res = await as('/v1/forms/contact');
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain('contact');
      expect((await (await as('/v1/forms')).json()).data).toEqual([]);
      // The same 404 as for a form no site has: nothing says the id exists elsewhere.
      const subs = await as('/v1/forms/contact/submissions');
      expect(subs.status).toBe(404);
      expect(await subs.text()).not.toContain('contact');
    });

    it('needs the secret key', async () => {
      expect((await h.app.request('/v1/forms')).status).toBe(401);
      const pub = await h.app.request('/v1/forms', {
        headers: { authorization: `Bearer ${h.site.publicKey}` },
      });
      expect(pub.status).toBe(401);
    });
  });

  describe('public config', () => {
    it('serves the forms with an ETag, answers 304 on a match, is open to every origin', async () => {
      const res = await h.app.request(`/v1/sites/${h.site.publicKey}/config`);
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(res.headers.get('cache-control')).toMatch(/max-age=\d+/);
      const etag = res.headers.get('etag')!;
      const body = await res.json();
      expect(body.forms.map((f: FormDefinition) => f.id)).toContain('contact');
      expect(body.settings).toEqual({ captureForms: false });
      const cached = await h.app.request(`/v1/sites/${h.site.publicKey}/config`, {
        headers: { 'if-none-match': etag },
      });
      expect(cached.status).toBe(304);
      await h.secret('/v1/forms/contact', {
        method: 'PUT',
        body: JSON.stringify({ ...contact, name: 'Contact' }),
      });
      const changed = await h.app.request(`/v1/sites/${h.site.publicKey}/config`, {
        headers: { 'if-none-match': etag },
      });
      expect(changed.status).toBe(200);
      expect(changed.headers.get('etag')).not.toBe(etag);
    });

    it('answers an unknown site with 404', async () => {
      const res = await h.app.request('/v1/sites/pk_nope/config');
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
    });
  });

  describe('submissions', () => {
    it('stores a good submission with its consent text and makes identify + form_submit events', async () => {
      const id = subId();
      const res = await submit({ id, anonymousId: 'anon-good', locale: 'vi' });
      expect(res.status).toBe(202);
      expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
      expect(await res.json()).toEqual({ id, received: true });

      const sub = await h.store.query<{
        status: string;
        field_values: Record<string, unknown>;
        consent: { text: string; at: string }[];
      }>('select status, field_values, consent from form_submissions where submission_id = $1', [
        id,
      ]);
      expect(sub.rows[0]!.status).toBe('accepted');
      expect(sub.rows[0]!.field_values).toMatchObject({
        email: 'ana@example.com',
        company: 'Acme',
      });
      expect(sub.rows[0]!.consent[0]!.text).toBe('Tôi đồng ý được liên hệ.');
      expect(Date.parse(sub.rows[0]!.consent[0]!.at)).toBe(clock().getTime());

      const events = await h.store.query<{
        type: string;
        name: string | null;
        traits: Record<string, unknown> | null;
        properties: Record<string, unknown>;
        context: Record<string, unknown>;
      }>(
        `select type, name, traits, properties, context from events where anonymous_id = 'anon-good' order by type`,
      );
      expect(events.rows).toHaveLength(2);
      const [submitted, identify] = events.rows;
      expect(identify).toMatchObject({
        type: 'identify',
        traits: { email: 'ana@example.com', name: 'Ana', company: 'Acme' },
        context: { source: 'form' },
      });
      expect(identify!.traits).not.toHaveProperty('consent');
      expect(submitted).toMatchObject({
        type: 'form_submit',
        name: 'contact',
        properties: { submissionId: id },
        context: { source: 'form', salesReady: true },
      });
      const hooks = await h.store.query<{ data: { submission: { id: string } } }>(
        `select data from webhook_events where type = 'form.submitted'`,
      );
      expect(hooks.rows.some((r) => r.data.submission.id === id)).toBe(true);
    });

    it('takes a submission without fill time or honeypot (a backend posting its own form)', async () => {
      const res = await submit({
        anonymousId: 'anon-backend',
        elapsedMs: undefined,
        hp: undefined,
        values: { email: 'backend@example.com', name: 'Bé', consent: true },
      });
      expect(res.status).toBe(202);
      const { rows } = await h.store.query<{ status: string; elapsed_ms: number | null }>(
        `select status, elapsed_ms from form_submissions where anonymous_id = 'anon-backend'`,
      );
      expect(rows).toEqual([{ status: 'accepted', elapsed_ms: null }]);
    });

    it('counts a replayed submission once', async () => {
      const id = subId();
      const body = { id, anonymousId: 'anon-replay' };
      expect((await submit(body)).status).toBe(202);
      const replay = await submit(body);
      expect(replay.status).toBe(202);
      expect(await replay.json()).toEqual({ id, received: true });
      const n = await h.store.query<{ n: number }>(
        `select count(*)::int as n from events where anonymous_id = 'anon-replay'`,
      );
      expect(n.rows[0]!.n).toBe(2);
      const hooks = await h.store.query<{ n: number }>(
        `select count(*)::int as n from webhook_events where type = 'form.submitted' and data->'submission'->>'id' = $1`,
        [id],
      );
      expect(hooks.rows[0]!.n).toBe(1);
    });

    it('answers field errors keyed by field name, from the shared validators', async () => {
      const res = await submit({
        values: { email: 'not-an-email', consent: false, company: 'x'.repeat(600) },
      });
      expect(res.status).toBe(400);
      const body = await res.json();
      expect(body.errors).toEqual(
        expect.arrayContaining([
          { path: 'email', message: expect.stringMatching(/email/i) },
          { path: 'consent', message: expect.any(String) },
          { path: 'company', message: expect.stringMatching(/long/i) },
        ]),
      );
    });

    it('lets a known progressive field be left out even when required', async () => {
      const res = await submit({
        anonymousId: 'anon-prog',
        values: { email: 'p@example.com', consent: true },
      });
      expect(res.status).toBe(202);
    });

    it('quarantines honeypot and too-fast submissions: stored, listed, no events, same answer', async () => {
      const hp = subId();
      const fast = subId();
      const r1 = await submit({ id: hp, anonymousId: 'anon-bot', hp: 'http://spam' });
      const r2 = await submit({ id: fast, anonymousId: 'anon-bot', elapsedMs: 200 });
      expect([r1.status, r2.status]).toEqual([202, 202]);
      expect(await r1.json()).toEqual({ id: hp, received: true });
      const n = await h.store.query<{ n: number }>(
        `select count(*)::int as n from events where anonymous_id = 'anon-bot'`,
      );
      expect(n.rows[0]!.n).toBe(0);
      const list = await (
        await h.secret('/v1/forms/contact/submissions?status=quarantined')
      ).json();
      const byId = Object.fromEntries(
        list.data.map((s: { id: string; reason: string }) => [s.id, s.reason]),
      );
      expect(byId[hp]).toBe('honeypot');
      expect(byId[fast]).toBe('too_fast');
      const accepted = await (
        await h.secret('/v1/forms/contact/submissions?status=accepted')
      ).json();
      expect(accepted.data.every((s: { status: string }) => s.status === 'accepted')).toBe(true);
    });

    it('answers the same for a known and an unknown email', async () => {
      await submit({
        anonymousId: 'anon-k1',
        values: { email: 'known@example.com', consent: true, company: 'A' },
      });
      const strip = async (r: Response) => {
        const b = await r.json();
        return {
          status: r.status,
          keys: Object.keys(b).sort(),
          received: b.received,
          headers: [...r.headers.keys()].sort(),
        };
      };
      const known = await strip(
        await submit({
          anonymousId: 'anon-k2',
          values: { email: 'known@example.com', consent: true, company: 'A' },
        }),
      );
      const unknown = await strip(
        await submit({
          anonymousId: 'anon-k3',
          values: { email: 'fresh@example.com', consent: true, company: 'A' },
        }),
      );
      expect(known).toEqual(unknown);
    });

    it('refuses other origins with 403 and unknown forms with 404', async () => {
      const res = await submit({}, { origin: 'https://evil.example.net' });
      expect(res.status).toBe(403);
      expect((await res.json()).type).toMatch(/origin-not-allowed/);
      expect((await submit({}, { formId: 'nope' })).status).toBe(404);
      const bad = await submit({ elapsedMs: 'slow', hp: 5 });
      expect(bad.status).toBe(400);
      const paths = (await bad.json()).errors.map((e: { path: string }) => e.path);
      expect(paths).toEqual(expect.arrayContaining(['elapsedMs', 'hp']));
    });

    it('rate-limits one IP with 429 and Retry-After, then lets it in again', async () => {
      const ip = '203.0.113.7';
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++)
        statuses.push((await submit({ anonymousId: 'anon-rl', elapsedMs: 10 }, { ip })).status);
      expect(statuses.slice(0, 10).every((s) => s === 202)).toBe(true);
      const limited = await submit({}, { ip });
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await submit({}, { ip: '203.0.113.8' })).status).toBe(202);
      clock.advance(Number(limited.headers.get('retry-after')) * 1000);
      expect((await submit({}, { ip })).status).toBe(202);
    });

    it('rate-limits a whole site across IPs', async () => {
      let limited: Response | undefined;
      for (let i = 0; i < 400 && !limited; i++) {
        // Invalid bodies are cheap and still count: a flood costs the flooder, not the store.
        const r = await submit({ values: { email: 'x' } }, { ip: `198.51.${i >> 8}.${i & 255}` });
        if (r.status === 429) limited = r;
        else expect(r.status).toBe(400);
      }
      expect(limited?.status).toBe(429);
      expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0);
      clock.advance(120_000);
    });
  });

  it('a salesReady submission makes the visitor an SQL lead, with the form event in its history', async () => {
    const res = await submit({
      anonymousId: 'anon-sql',
      values: { email: 'Buyer@Example.com', name: 'Bao', company: 'Acme', consent: true },
    });
    expect(res.status).toBe(202);
    const lead = await h.store.query<{ stage: string; email: string; lead_id: string }>(
      `select l.stage, l.email, l.lead_id from anonymous_links a
         join leads l on l.site_id = a.site_id and l.lead_id = a.lead_id
        where a.anonymous_id = 'anon-sql'`,
    );
    expect(lead.rows[0]).toMatchObject({ stage: 'sql', email: 'buyer@example.com' });
    const hook = await h.store.query<{ data: { leadId: string } }>(
      `select data from webhook_events where type = 'form.submitted' and data->'submission'->>'anonymousId' = 'anon-sql'`,
    );
    expect(hook.rows[0]!.data.leadId).toBe(lead.rows[0]!.lead_id);
  });

  it('a salesReady submission from a browser the bot policy flags still makes an SQL, scoring nothing', async () => {
    // Headless Chromium, as automated browser tests and some crawlers run it: flagged, not dropped.
    const res = await submit(
      {
        anonymousId: 'anon-headless',
        values: { email: 'robot@example.com', name: 'Rob', company: 'Acme', consent: true },
      },
      {
        userAgent:
          'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/130.0.0.0 Safari/537.36',
      },
    );
    expect(res.status).toBe(202);
    const { rows } = await h.store.query<{ stage: string; bots: boolean; engagement: number }>(
      `select l.stage, bool_and(e.is_bot) as bots, coalesce(max(l.score_engagement), 0)::float as engagement
         from anonymous_links a
         join leads l on l.site_id = a.site_id and l.lead_id = a.lead_id
         join events e on e.site_id = a.site_id and e.anonymous_id = a.anonymous_id
        where a.anonymous_id = 'anon-headless'
        group by l.stage`,
    );
    expect(rows).toEqual([{ stage: 'sql', bots: true, engagement: 0 }]);
  });

  it('seeds demo forms that validate against the schema', async () => {
    for (const def of DEMO_FORMS) {
      const res = await h.secret(`/v1/forms/${def.id}`, {
        method: 'PUT',
        body: JSON.stringify(def),
      });
      expect(res.status).toBe(201);
    }
  });

  it('tells a visitor which fields are known, never their values', async () => {
    await submit({
      anonymousId: 'anon-known',
      values: { email: 'k@example.com', company: 'Secret Co', consent: true },
    });
    const res = await h.app.request(`/v1/sites/${h.site.publicKey}/config?anonymousId=anon-known`);
    const body = await res.json();
    expect(res.headers.get('cache-control')).toMatch(/private/);
    expect(body.visitor.known).toMatchObject({ email: true, company: true });
    expect(body.visitor.known.message).toBeUndefined();
    expect(body.visitor.identified).toBe(true);
    expect(JSON.stringify(body)).not.toContain('Secret Co');
    const fresh = await (
      await h.app.request(`/v1/sites/${h.site.publicKey}/config?anonymousId=nobody`)
    ).json();
    expect(fresh.visitor).toEqual({ known: {}, identified: false });
  });
});
