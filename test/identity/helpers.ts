/** Reading identity state straight from the store, for identity tests. */
import { expect } from 'vitest';
import type { Store } from '../../collector/store/index.ts';
import { event, type harness } from '../helpers/app.ts';

/** The lead an anonymous id's events at `at` belong to (default: now), or null. */
export async function leadOfAnon(
  store: Store,
  anon: string,
  at = new Date(),
): Promise<string | null> {
  const { rows } = await store.query<{ lead_id: string }>(
    `select lead_id from anonymous_links where anonymous_id = $1 and valid_from <= $2
      order by valid_from desc limit 1`,
    [anon, at.toISOString()],
  );
  return rows[0]?.lead_id ?? null;
}

/** The lead owning an identifier, or null. */
export async function ownerOf(store: Store, kind: string, value: string): Promise<string | null> {
  const { rows } = await store.query<{ lead_id: string }>(
    'select lead_id from identities where kind = $1 and value = $2',
    [kind, value],
  );
  return rows[0]?.lead_id ?? null;
}

/** Identifiers of a lead as `kind:value`, sorted. */
export async function identitiesOf(store: Store, leadId: string): Promise<string[]> {
  const { rows } = await store.query<{ kind: string; value: string }>(
    'select kind, value from identities where lead_id = $1 order by kind, value',
    [leadId],
  );
  return rows.map((r) => `${r.kind}:${r.value}`);
}

export async function count(store: Store, sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await store.query<{ n: number }>(sql, params);
  return rows[0]!.n;
}

/** A lead identified from the browser `anon` (email `<anon>@acme.test`); resolves to its id. */
export async function identifiedLead(
  h: Awaited<ReturnType<typeof harness>>,
  store: Store,
  anon: string,
): Promise<string> {
  const res = await h.collect([
    event({ type: 'identify', anonymousId: anon, traits: { email: `${anon}@acme.test` } }),
  ]);
  expect(res.status).toBe(202);
  return (await leadOfAnon(store, anon))!;
}
