/** Two sites with data, keys of every kind (valid, revoked, other site's): what attacks aim at. */
import { createSite } from '../../collector/sites/index.ts';
import { issueKey, revokeKey } from '../../collector/sites/rotation.ts';
import type { Store } from '../../collector/store/index.ts';
import { event, harness } from '../helpers/app.ts';
import { type Fixture, SAMPLES } from './endpoints.ts';

const OFF = { perSecond: 0, burst: 0 };

/**
 * Site A with a visitor, a lead and events; site B (the attacker's own site); a revoked secret
 * key of A. Rate limits are off: the attacks here are about input, not volume.
 */
export async function securityFixture(store: Store) {
  const h = await harness(store, { config: { rateLimits: { site: OFF, ip: OFF } } });
  const siteId = h.site.site.id;
  const anonymousId = 'anon-victim';
  const res = await h.collect([
    event({ anonymousId, properties: { secret: 'victim-data' } }),
    event({ anonymousId, type: 'identify', traits: { email: 'victim@example.com' } }),
  ]);
  if (res.status !== 202) throw new Error(`seeding failed: ${res.status}`);
  // The identity pipeline may have made a lead already; otherwise seed one by hand.
  let leadId = (
    await store.query<{ lead_id: string }>('select lead_id from leads where site_id = $1', [siteId])
  ).rows[0]?.lead_id;
  if (!leadId) {
    leadId = 'lead-victim';
    await store.query(
      `insert into leads (site_id, lead_id, email) values ($1, $2, 'victim@example.com')`,
      [siteId, leadId],
    );
    await store.query(
      `insert into anonymous_links (site_id, anonymous_id, valid_from, lead_id)
       values ($1, $2, '-infinity', $3)`,
      [siteId, anonymousId, leadId],
    );
  }
  const revoked = (await issueKey(store, siteId, 'secret'))!;
  await revokeKey(store, siteId, revoked.keyId);
  const revokedPublic = (await issueKey(store, siteId, 'public'))!;
  await revokeKey(store, siteId, revokedPublic.keyId);
  const form = await h.secret('/v1/forms', {
    method: 'POST',
    body: JSON.stringify(SAMPLES['POST /v1/forms']!({} as Fixture)),
  });
  if (form.status !== 201 && form.status !== 404) throw new Error(`form seeding: ${form.status}`);
  const other = await createSite(store, { name: 'Attacker', allowedOrigins: ['*'] });
  // Admin fuzzing revokes keys by id: give it a spare key, never the one the attacks use.
  const spare = (await issueKey(store, siteId, 'public'))!;

  const fixture: Fixture = {
    siteId,
    publicKey: h.site.publicKey,
    secretKey: h.site.secretKey,
    leadId,
    anonymousId,
    formId: 'fuzz-form',
    keyId: spare.keyId,
    webhookId: 'wh_x',
    segmentId: 'seg_x',
    jobId: 'job_x',
  };
  return { h, fixture, other, revokedKey: revoked.key, revokedPublicKey: revokedPublic.key };
}

/** Row counts of every table for one site (or all rows of tables without `site_id`). */
export async function rowCounts(store: Store, siteId: string): Promise<Record<string, number>> {
  const { rows: tables } = await store.query<{ table_name: string; has_site: boolean }>(
    `select t.table_name,
            exists (select 1 from information_schema.columns c
                     where c.table_schema = t.table_schema and c.table_name = t.table_name
                       and c.column_name = 'site_id') as has_site
       from information_schema.tables t
      where t.table_schema = current_schema() and t.table_type = 'BASE TABLE'
      order by t.table_name`,
  );
  const out: Record<string, number> = {};
  for (const t of tables) {
    const { rows } = await store.query<{ n: number }>(
      `select count(*)::int as n from "${t.table_name}"${t.has_site ? ' where site_id = $1' : ''}`,
      t.has_site ? [siteId] : [],
    );
    out[t.table_name] = rows[0]!.n;
  }
  return out;
}

/** A fingerprint of one site's rows (to see changes that keep counts: updates). */
export async function siteDigest(store: Store, siteId: string): Promise<string> {
  const { rows: tables } = await store.query<{ table_name: string }>(
    `select table_name from information_schema.columns
      where table_schema = current_schema() and column_name = 'site_id' order by table_name`,
  );
  const parts: string[] = [];
  for (const t of tables) {
    const { rows } = await store.query<{ d: string | null }>(
      `select md5(string_agg(x::text, ',' order by x::text)) as d from "${t.table_name}" x where site_id = $1`,
      [siteId],
    );
    parts.push(`${t.table_name}:${rows[0]!.d}`);
  }
  return parts.join('|');
}
