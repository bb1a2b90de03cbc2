/** PGlite in its worker thread: what crosses the thread boundary, and one connection's ordering. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUnavailable, openPGlite, type Store } from '../../collector/store/index.ts';

describe('PGlite store in a worker thread', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openPGlite();
    await store.query('create table pw_items (k text primary key, n int8, x numeric)');
  });
  afterAll(() => store.close());

  it('rebuilds database errors with their fields (code, constraint, detail, severity)', async () => {
    await store.query(`insert into pw_items (k) values ('dup')`);
    const err = await store.query(`insert into pw_items (k) values ('dup')`).catch((e) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({
      code: '23505',
      constraint: 'pw_items_pkey',
      detail: 'Key (k)=(dup) already exists.',
      severity: 'ERROR',
      message: expect.stringContaining('duplicate key'),
    });
    expect(isUnavailable(err)).toBe(false);
  });

  it('returns int8 and numeric as the in-process PGlite parsed them', async () => {
    await store.query(`insert into pw_items values ('num', 9007199254740991, 12.50)`);
    const { rows } = await store.query(`select n, x from pw_items where k = 'num'`);
    expect(rows[0]).toEqual({ n: 9_007_199_254_740_991, x: '12.50' });
  });

  it('makes queries outside an open transaction wait for its commit', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let inserted!: () => void;
    const didInsert = new Promise<void>((r) => {
      inserted = r;
    });
    const tx = store.transaction(async (q) => {
      await q.query(`insert into pw_items (k) values ('held')`);
      inserted();
      await held;
    });
    await didInsert;
    let seen: number | undefined;
    const outside = store
      .query<{ n: number }>(`select count(*)::int as n from pw_items where k = 'held'`)
      .then((r) => {
        seen = r.rows[0]!.n;
      });
    await new Promise((r) => setTimeout(r, 50));
    expect(seen).toBeUndefined();
    release();
    await tx;
    await outside;
    expect(seen).toBe(1);
  });

  it('rolls back to a savepoint and commits the rest', async () => {
    await store.transaction(async (q) => {
      await q.query('savepoint unit');
      await q.query(`insert into pw_items (k) values ('sp1')`);
      await q.query('release savepoint unit');
      await q.query('savepoint unit');
      await expect(q.query(`insert into pw_items (k) values ('sp1')`)).rejects.toMatchObject({
        code: '23505',
      });
      await q.query('rollback to savepoint unit');
      await q.query(`insert into pw_items (k) values ('sp2')`);
    });
    const { rows } = await store.query<{ k: string }>(
      `select k from pw_items where k like 'sp%' order by k`,
    );
    expect(rows.map((r) => r.k)).toEqual(['sp1', 'sp2']);
  });

  it('rejects a transaction whose commit fails, and rolls back one that throws', async () => {
    await store.query(
      `create table pw_deferred (id int primary key,
         ref text references pw_items (k) deferrable initially deferred)`,
    );
    await expect(
      store.transaction((q) => q.query(`insert into pw_deferred values (1, 'nowhere')`)),
    ).rejects.toMatchObject({ code: '23503' });
    await expect(
      store.transaction(async (q) => {
        await q.query(`insert into pw_items (k) values ('thrown')`);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect((await store.query(`select 1 from pw_items where k = 'thrown'`)).rowCount).toBe(0);
    expect((await store.query('select 1 from pw_deferred')).rowCount).toBe(0);
  });

  it('refuses queries on a transaction that has ended', async () => {
    let kept: Parameters<Parameters<Store['transaction']>[0]>[0] | undefined;
    await store.transaction(async (q) => {
      kept = q;
    });
    await expect(kept!.query('select 1')).rejects.toThrow('Transaction is closed');
  });
});

describe('a closed PGlite store', () => {
  it('answers ping false and rejects queries as unavailable', async () => {
    const store = await openPGlite();
    await store.close();
    expect(await store.ping()).toBe(false);
    const err = await store.query('select 1').catch((e) => e);
    expect(isUnavailable(err)).toBe(true);
    await store.close();
  });
});
