import { describe, expect, it } from 'vitest';
import { purgeExpired } from '../../collector/privacy/index.ts';
import type { Store } from '../../collector/store/index.ts';
import { event, ORIGIN, testClock } from '../helpers/app.ts';
import { suiteHarness } from '../helpers/fixture.ts';
import { storeCases } from '../helpers/stores.ts';
import { SAMPLES } from './endpoints.ts';

const DAY = 86_400_000;

/** Every row of every table as text: what "appears anywhere in the database" means. */
async function dump(store: Store): Promise<string> {
  const { rows: tables } = await store.query<{ table_name: string }>(
    `select table_name from information_schema.tables
      where table_schema = current_schema() and table_type = 'BASE TABLE'`,
  );
  let out = '';
  for (const t of tables) {
    const { rows } = await store.query<{ r: string }>(
      `select t::text as r from "${t.table_name}" t`,
    );
    out += rows.map((r) => r.r).join('\n');
  }
  return out;
}

describe.each(storeCases)('privacy on $name', (sc) => {
  const now = Date.parse('2026-06-01T12:00:00Z');
  const clock = testClock(now);
  const h = suiteHarness(sc, { clock });

  const collectAs = (ip: string, events: ReturnType<typeof event>[], sentAt = clock().getTime()) =>
    h.app.request(
      '/v1/collect',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: ORIGIN, 'x-forwarded-for': ip },
        body: JSON.stringify({ site: h.site.publicKey, sentAt, events }),
      },
      { incoming: { socket: { remoteAddress: ip } } },
    );
  const seedLead = async (leadId: string, email: string, anon: string, mergedInto?: string) => {
    await h.store.query(
      `insert into leads (site_id, lead_id, email, merged_into) values ($1, $2, $3, $4)
       on conflict do nothing`,
      [h.site.site.id, leadId, email, mergedInto ?? null],
    );
    await h.store.query(
      `insert into identities (site_id, kind, value, lead_id) values ($1, 'email', $2, $3)
       on conflict do nothing`,
      [h.site.site.id, email, leadId],
    );
    await h.store.query(
      `insert into anonymous_links (site_id, anonymous_id, valid_from, lead_id)
       values ($1, $2, '-infinity', $3) on conflict do nothing`,
      [h.site.site.id, anon, leadId],
    );
  };

  it('never stores a client IP raw: only a salted hash that changes every day', async () => {
    const ips = ['203.0.113.77', '2001:db8::beef:1'];
    for (const ip of ips)
      expect((await collectAs(ip, [event({ anonymousId: 'anon-ip' })])).status).toBe(202);
    clock.advance(DAY);
    expect((await collectAs(ips[0]!, [event({ anonymousId: 'anon-ip' })])).status).toBe(202);
    // A form submission from a third address (the forms endpoint hashes with the same salts).
    const form = SAMPLES['POST /v1/forms']!({} as never) as { id: string };
    expect(
      (await h.secret('/v1/forms', { method: 'POST', body: JSON.stringify(form) })).status,
    ).toBe(201);
    const submitted = await h.app.request(
      `/v1/forms/${form.id}/submissions`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: ORIGIN },
        body: JSON.stringify({
          site: h.site.publicKey,
          id: 'sub-ip',
          anonymousId: 'anon-ip-form',
          values: { email: 'ip@example.com' },
          url: 'https://www.example.com/',
          elapsedMs: 5_000,
          hp: '',
        }),
      },
      { incoming: { socket: { remoteAddress: '198.51.100.23' } } },
    );
    expect(submitted.status).toBe(202);
    const sub = await h.store.query<{ ip_hash: string | null }>(
      `select ip_hash from form_submissions where submission_id = 'sub-ip'`,
    );
    expect(sub.rows[0]?.ip_hash).toMatch(/^[\w-]{16}$/);
    const text = await dump(h.store);
    for (const ip of [...ips, '198.51.100.23']) expect(text).not.toContain(ip);
    const { rows } = await h.store.query<{ h: string }>(
      `select context->>'ipHash' as h from events where anonymous_id = 'anon-ip' order by received_at`,
    );
    expect(rows.map((r) => r.h)).toEqual([
      expect.any(String),
      expect.any(String),
      expect.any(String),
    ]);
    expect(new Set(rows.map((r) => r.h)).size).toBe(3); // two addresses, then a new day
    // The retention job deletes past days' salts: yesterday's hashes can no longer be recomputed.
    await purgeExpired(h.store, clock());
    const { rows: salts } = await h.store.query<{ day: string }>(
      `select day::text as day from ip_salts where site_id = $1`,
      [h.site.site.id],
    );
    expect(salts.map((s) => s.day)).toEqual([clock().toISOString().slice(0, 10)]);
  });

  it('purges never-identified visitors after the retention, keeps identified and recent ones', async () => {
    const t = clock().getTime();
    const old = (anon: string, days: number) =>
      collectAs('192.0.2.1', [
        event({ anonymousId: anon, sessionId: `${anon}-s`, timestamp: t - days * DAY }),
        event({ anonymousId: anon, sessionId: `${anon}-s`, timestamp: t - days * DAY + 1000 }),
      ]);
    for (const [anon, days] of [
      ['anon-expired', 400],
      ['anon-linked', 400],
      ['anon-recent', 30],
    ] as const)
      expect((await old(anon, days)).status).toBe(202);
    await seedLead('lead-keep', 'kept@example.com', 'anon-linked');
    // A table added later (any feature's migration) is purged too: found through the catalog.
    await h.store.query(
      'create table if not exists later_feature (site_id text, anonymous_id text)',
    );
    await h.store.query(
      `insert into later_feature values ($1, 'anon-expired'), ($1, 'anon-recent')`,
      [h.site.site.id],
    );

    const res = await purgeExpired(h.store, clock());
    expect(res.visitors).toBe(1);
    const count = async (table: string, anon: string) =>
      (
        await h.store.query<{ n: number }>(
          `select count(*)::int as n from ${table} where anonymous_id = $1`,
          [anon],
        )
      ).rows[0]!.n;
    for (const table of ['events', 'visitors', 'sessions', 'later_feature'])
      expect(await count(table, 'anon-expired')).toBe(0);
    expect(await count('events', 'anon-linked')).toBe(2);
    expect(await count('events', 'anon-recent')).toBe(2);
    expect(await count('later_feature', 'anon-recent')).toBe(1);

    // A site's own setting: 20 days purges the 30-day-old visitor.
    await h.store.query(`update sites set settings = '{"retentionDays": 20}' where site_id = $1`, [
      h.site.site.id,
    ]);
    expect((await purgeExpired(h.store, clock())).visitors).toBe(1);
    expect(await count('events', 'anon-recent')).toBe(0);
    expect(await count('events', 'anon-linked')).toBe(2);
    await h.store.query(`update sites set settings = '{}' where site_id = $1`, [h.site.site.id]);
  });

  it('exports every row of one person from every table, and nobody else', async () => {
    await seedLead('lead-p', 'p@example.com', 'anon-p1');
    await seedLead('lead-p-old', 'p.old@example.com', 'anon-p2', 'lead-p');
    await seedLead('lead-other', 'other@example.com', 'anon-other');
    for (const anon of ['anon-p1', 'anon-p2', 'anon-other'])
      await collectAs('192.0.2.9', [event({ anonymousId: anon, title: `page of ${anon}` })]);
    // One device, two people: anon-shared was lead-p's, then lead-other's from `switchAt` on.
    const switchAt = clock().getTime();
    await collectAs('192.0.2.9', [
      event({
        anonymousId: 'anon-shared',
        title: 'p on the shared device',
        timestamp: switchAt - 60_000,
      }),
      event({
        anonymousId: 'anon-shared',
        title: 'other on the shared device',
        timestamp: switchAt,
      }),
    ]);
    await h.store.query(
      `insert into anonymous_links (site_id, anonymous_id, valid_from, lead_id)
       values ($1, 'anon-shared', '-infinity', 'lead-p'), ($1, 'anon-shared', $2, 'lead-other')`,
      [h.site.site.id, new Date(switchAt).toISOString()],
    );
    await h.store.query(
      `insert into stage_history (site_id, lead_id, from_stage, to_stage, at, actor)
       values ($1, 'lead-p', 'visitor', 'lead', now(), 'system'),
              ($1, 'lead-other', 'visitor', 'lead', now(), 'system')`,
      [h.site.site.id],
    );
    await h.store.query(
      `insert into webhook_events (site_id, event_id, type, data, created_at)
       values ($1, 'wh-1', 'lead.created', '{"leadId":"lead-p","email":"p@example.com"}', now()),
              ($1, 'wh-2', 'lead.created', '{"leadId":"lead-other"}', now()),
              ($1, 'wh-3', 'lead.created', '{"leadId":"lead-p-older","email":"deep@example.com"}', now())`,
      [h.site.site.id],
    );

    const res = await h.secret('/v1/leads/lead-p-old/export');
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.leadId).toBe('lead-p'); // a merged lead's id resolves to the survivor
    expect(body.anonymousIds.sort()).toEqual(['anon-p1', 'anon-p2', 'anon-shared']);
    expect(Object.keys(body.tables).sort()).toEqual(
      expect.arrayContaining([
        'anonymous_links',
        'events',
        'identities',
        'leads',
        'stage_history',
        'visitors',
        'webhook_events',
      ]),
    );
    expect(body.tables.events.map((e: { title: string }) => e.title).sort()).toEqual([
      'p on the shared device',
      'page of anon-p1',
      'page of anon-p2',
    ]);
    expect(body.tables.webhook_events.map((e: { event_id: string }) => e.event_id)).toEqual([
      'wh-1',
    ]);
    const text = JSON.stringify(body);
    expect(text).not.toContain('lead-other');
    expect(text).not.toContain('anon-other');
    expect(text).not.toContain('other on the shared device');

    // Another site's key, an unknown lead: 404; no key: 401.
    const other = await h.app.request('/v1/leads/lead-p/export', {
      headers: { authorization: 'Bearer sk_aaaaaaaaaaaa_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb' },
    });
    expect(other.status).toBe(401);
    expect((await h.secret('/v1/leads/nobody/export')).status).toBe(404);
  });

  it('erases one person from every table (DELETE /v1/leads/{id}): the export then finds nothing', async () => {
    expect((await h.secret('/v1/leads/lead-p', { method: 'DELETE' })).status).toBe(204);
    expect((await h.secret('/v1/leads/lead-p/export')).status).toBe(404);
    expect((await h.secret('/v1/leads/lead-p-old/export')).status).toBe(404);
    const text = await dump(h.store);
    for (const s of ['p@example.com', 'p.old@example.com', 'anon-p1', 'anon-p2', 'lead-p'])
      expect(text).not.toMatch(new RegExp(`(^|[^\\w.@-])${s.replaceAll('.', '\\.')}($|[^\\w.@-])`));
    expect(text).toContain('other@example.com');
    expect(text).toContain('deep@example.com'); // a look-alike of someone else stays
  });
});
