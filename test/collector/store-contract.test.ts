/** The Store contract: PGlite and PostgreSQL return the same shapes for the same SQL. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, type Store } from '../../collector/store/index.ts';
import { migrationFiles } from '../../collector/store/migrate.ts';
import { storeCases } from '../helpers/stores.ts';

describe.each(storeCases)('Store contract on $name', (sc) => {
  let store: Store;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ store, close } = await sc.open());
    await store.query(
      'create table sc_items (k text primary key, n int8, doc jsonb, at timestamptz)',
    );
  });
  afterAll(() => close());

  it('parses int8 as number, jsonb as objects and timestamptz as Date', async () => {
    const at = new Date('2026-01-15T12:00:00.123Z');
    await store.query('insert into sc_items values ($1, $2, $3, $4)', [
      'a',
      9_007_199_254_740_991,
      JSON.stringify({ x: [1, 'two', null] }),
      at,
    ]);
    const { rows } = await store.query<{ n: number; doc: unknown; at: Date; c: number }>(
      'select n, doc, at, count(*) over () as c from sc_items where k = $1',
      ['a'],
    );
    expect(rows[0]).toEqual({ n: 9_007_199_254_740_991, doc: { x: [1, 'two', null] }, at, c: 1 });
  });

  it('counts rows of selects and of writes alike', async () => {
    await store.query(`insert into sc_items (k) values ('b'), ('c')`);
    expect((await store.query('select k from sc_items')).rowCount).toBe(3);
    expect((await store.query(`update sc_items set n = 1 where k in ('b', 'c')`)).rowCount).toBe(2);
    expect((await store.query(`select k from sc_items where k = 'none'`)).rowCount).toBe(0);
  });

  it('commits a transaction that resolves and rolls back one that throws', async () => {
    const out = await store.transaction(async (tx) => {
      await tx.query(`insert into sc_items (k) values ('t1')`);
      return 'ok';
    });
    expect(out).toBe('ok');
    await expect(
      store.transaction(async (tx) => {
        await tx.query(`insert into sc_items (k) values ('t2')`);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    const { rows } = await store.query<{ k: string }>(
      `select k from sc_items where k like 't%' order by k`,
    );
    expect(rows.map((r) => r.k)).toEqual(['t1']);
  });

  it('surfaces SQL errors with their SQLSTATE code', async () => {
    await expect(store.query(`insert into sc_items (k) values ('a')`)).rejects.toMatchObject({
      code: '23505',
    });
  });

  it('has every migration applied once; migrating again changes nothing', async () => {
    expect(await migrate(store)).toEqual([]);
    const { rows } = await store.query<{ version: string }>(
      'select version from schema_migrations order by version',
    );
    expect(rows.map((r) => r.version)).toEqual(migrationFiles().map((m) => m.version));
  });

  it('answers ping', async () => {
    expect(await store.ping()).toBe(true);
  });
});
