/** The Store contract: PGlite and PostgreSQL return the same shapes for the same SQL. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, openPostgres, type Store } from '../../collector/store/index.ts';
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

  it('reads one snapshot in a snapshot transaction, whatever commits meanwhile, and writes nothing', async () => {
    const count = async (q: Store | Parameters<Parameters<Store['transaction']>[0]>[0]) =>
      (await q.query<{ n: number }>('select count(*)::int as n from sc_items')).rows[0]!.n;
    const before = await count(store);
    let writing: Promise<unknown> = Promise.resolve();
    const seen = await store.transaction(
      async (tx) => {
        const first = await count(tx);
        // Committed meanwhile on PostgreSQL; PGlite's one connection runs it after the transaction.
        writing = store.query(`insert into sc_items (k) values ('during')`);
        if (sc.name === 'postgres') await writing;
        // At once: on PostgreSQL the second statement runs on another connection.
        const [slow, quick] = await Promise.all([
          tx.query<{ n: number }>('select count(*)::int as n from sc_items, pg_sleep(0.1)'),
          count(tx),
        ]);
        return [first, slow.rows[0]!.n, quick];
      },
      { snapshot: true },
    );
    await writing;
    expect(seen).toEqual([before, before, before]);
    expect(await count(store)).toBe(before + 1);
    await expect(
      store.transaction((tx) => tx.query(`insert into sc_items (k) values ('inside')`), {
        snapshot: true,
      }),
    ).rejects.toMatchObject({ code: '25006' });
  });
});

describe.each(storeCases.filter((c) => c.name === 'postgres'))(
  'Snapshot transactions on $name',
  (sc) => {
    let url: string;
    let close: () => Promise<void>;
    beforeAll(async () => {
      const opened = await sc.open();
      url = opened.url!;
      close = opened.close;
    });
    afterAll(() => close());

    const pids = (tx: Parameters<Parameters<Store['transaction']>[0]>[0], n: number) =>
      Promise.all(
        Array.from({ length: n }, () =>
          tx.query<{ pid: number }>('select pg_backend_pid() as pid, pg_sleep(0.05)'),
        ),
      ).then((all) => new Set(all.map((r) => r.rows[0]!.pid)).size);

    it('runs statements issued at once on several connections (the reports keep their speed)', async () => {
      const store = openPostgres(url);
      try {
        expect(await store.transaction((tx) => pids(tx, 5), { snapshot: true })).toBe(5);
      } finally {
        await store.close();
      }
    });

    it('fails whole when one statement fails, and leaves no statement or connection behind', async () => {
      const store = openPostgres(url, 2);
      try {
        await expect(
          store.transaction(
            (tx) =>
              Promise.all([
                tx.query('select 1 / 0'),
                ...Array.from({ length: 4 }, () => tx.query('select pg_sleep(0.05)')),
              ]),
            { snapshot: true },
          ),
        ).rejects.toMatchObject({ code: '22012' });
        // Both connections are back and usable, in a new snapshot as on their own.
        expect(await store.transaction((tx) => pids(tx, 2), { snapshot: true })).toBe(2);
        expect((await store.query<{ n: number }>('select 1 as n')).rows[0]!.n).toBe(1);
      } finally {
        await store.close();
      }
    });

    it('finishes on the connections it holds when the pool is full (no transaction waits on another)', async () => {
      const store = openPostgres(url, 3);
      try {
        const used = await Promise.all(
          Array.from({ length: 4 }, () =>
            store.transaction((tx) => pids(tx, 6), { snapshot: true }),
          ),
        );
        expect(used.every((n) => n >= 1 && n <= 3)).toBe(true);
        // Every connection went back to the pool.
        expect(await store.transaction((tx) => pids(tx, 3), { snapshot: true })).toBe(3);
      } finally {
        await store.close();
      }
    });
  },
);
