/** GroupCommitter on both drivers: isolation of failing units, commit-before-answer, sharing, retries. */
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type Combiner,
  GroupCommitter,
  type Queryable,
  type Store,
} from '../../collector/store/index.ts';
import { storeCases } from '../helpers/stores.ts';

/** A Store that counts transactions and records when each one committed. */
function counting(inner: Store) {
  const log: string[] = [];
  let transactions = 0;
  const store: Store = {
    kind: inner.kind,
    query: (sql, params) => inner.query(sql, params),
    ping: () => inner.ping(),
    close: () => inner.close(),
    async transaction(fn) {
      transactions++;
      const out = await inner.transaction(fn);
      log.push('commit');
      return out;
    },
  };
  return {
    store,
    log,
    get transactions() {
      return transactions;
    },
  };
}

const insert = (tx: Queryable, k: string) => tx.query('insert into gc_items (k) values ($1)', [k]);

describe.each(storeCases)('GroupCommitter on $name', (sc) => {
  let base: Store;
  let close: () => Promise<void>;
  let url: string | undefined;

  beforeAll(async () => {
    ({ store: base, close, url } = await sc.open());
    await base.query('create table gc_items (k text primary key)');
    await base.query('create table gc_parent (id int primary key)');
    // Deferred: a bad reference fails at COMMIT, not at the insert.
    await base.query(
      `create table gc_child (id int primary key,
         parent int references gc_parent (id) deferrable initially deferred)`,
    );
    await base.query('create table gc_counter (id int primary key, n int not null)');
    await base.query('insert into gc_counter values (1, 0), (2, 0)');
  });
  afterAll(() => close());
  beforeEach(async () => {
    await base.query('delete from gc_items');
  });

  const keys = async () =>
    (await base.query<{ k: string }>('select k from gc_items order by k')).rows.map((r) => r.k);

  it('rolls back a failing unit alone; its caller gets the error, the others commit', async () => {
    const c = counting(base);
    const gc = new GroupCommitter(c.store, { concurrency: 1 });
    const boom = new Error('unit failed');
    const results = await Promise.allSettled([
      gc.run((tx) => insert(tx, 'a')),
      gc.run((tx) => insert(tx, 'b')),
      gc.run(async (tx) => {
        await insert(tx, 'bad');
        throw boom;
      }),
      gc.run((tx) => insert(tx, 'c')),
      // A unit whose SQL fails (duplicate key) poisons nobody else's writes either.
      gc.run((tx) => insert(tx, 'a')),
      gc.run((tx) => insert(tx, 'd')),
    ]);
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
    expect((results[2] as PromiseRejectedResult).reason).toBe(boom);
    expect((results[4] as PromiseRejectedResult).reason).toMatchObject({ code: '23505' });
    expect(await keys()).toEqual(['a', 'b', 'c', 'd']);
    // The six shared a transaction, which was rolled back on the first failure and run once
    // more with a savepoint per unit.
    expect(c.transactions).toBe(2);
  });

  it('rolls back a lone failing unit', async () => {
    const gc = new GroupCommitter(base);
    await expect(
      gc.run(async (tx) => {
        await insert(tx, 'alone');
        throw new Error('nope');
      }),
    ).rejects.toThrow('nope');
    expect(await keys()).toEqual([]);
  });

  it('answers each caller only after its transaction committed', async () => {
    const c = counting(base);
    const gc = new GroupCommitter(c.store);
    // A separate connection for PostgreSQL: uncommitted rows would be invisible there.
    const reader = url ? new pg.Client({ connectionString: url }) : undefined;
    await reader?.connect();
    const seen = async (k: string) =>
      reader
        ? (await reader.query('select 1 from gc_items where k = $1', [k])).rowCount
        : (await base.query('select 1 from gc_items where k = $1', [k])).rowCount;
    try {
      const visibleAtAnswer = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          gc
            .run((tx) => insert(tx, `v${i}`))
            .then(async () => {
              c.log.push('answer');
              return seen(`v${i}`);
            }),
        ),
      );
      expect(visibleAtAnswer).toEqual(Array(30).fill(1));
      // No answer precedes the first commit, and there are never more answers than committed units.
      expect(c.log[0]).toBe('commit');
    } finally {
      await reader?.end();
    }
  });

  it('shares transactions between concurrent units', async () => {
    const c = counting(base);
    const gc = new GroupCommitter(c.store, { maxBatch: 64 });
    await Promise.all(Array.from({ length: 200 }, (_, i) => gc.run((tx) => insert(tx, `s${i}`))));
    expect((await keys()).length).toBe(200);
    // Concurrency slots take the first units alone; everything queued behind shares a transaction.
    expect(c.transactions).toBeLessThanOrEqual(10);
    expect(c.transactions).toBeGreaterThanOrEqual(Math.ceil(200 / 64));
  });

  it('respects maxBatch', async () => {
    const c = counting(base);
    const gc = new GroupCommitter(c.store, { maxBatch: 5, concurrency: 1 });
    await Promise.all(Array.from({ length: 21 }, (_, i) => gc.run((tx) => insert(tx, `m${i}`))));
    // 21 queued in the same turn: batches of 5, 5, 5, 5 and 1.
    expect(c.transactions).toBe(5);
    expect((await keys()).length).toBe(21);
  });

  it('rejects every caller of a transaction whose commit fails, and keeps none of its writes', async () => {
    const c = counting(base);
    const gc = new GroupCommitter(c.store, { concurrency: 1 });
    await gc.run((tx) => insert(tx, 'before'));
    const batch = [
      gc.run((tx) => insert(tx, 'x1')),
      gc.run((tx) => tx.query('insert into gc_child values (1, 999)')),
      gc.run((tx) => insert(tx, 'x2')),
    ];
    const results = await Promise.allSettled(batch);
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    expect((results[0] as PromiseRejectedResult).reason).toMatchObject({ code: '23503' });
    expect(await keys()).toEqual(['before']);
    expect((await base.query('select 1 from gc_child')).rowCount).toBe(0);
  });

  it('runs a transaction again after a serialization failure', async () => {
    const gc = new GroupCommitter(base, { concurrency: 1 });
    let attempts = 0;
    const results = await Promise.all([
      gc.run((tx) => insert(tx, 'r0')),
      gc.run(async (tx) => {
        attempts++;
        await insert(tx, 'r1');
        if (attempts === 1)
          throw Object.assign(new Error('could not serialize'), { code: '40001' });
        return attempts;
      }),
      gc.run((tx) => insert(tx, 'r2')),
    ]);
    expect(results[1]).toBe(2);
    expect(await keys()).toEqual(['r0', 'r1', 'r2']);
  });

  it('gives up after a few retries and rejects', async () => {
    const gc = new GroupCommitter(base);
    let attempts = 0;
    await expect(
      gc.run(async () => {
        attempts++;
        throw Object.assign(new Error('deadlock detected'), { code: '40P01' });
      }),
    ).rejects.toMatchObject({ code: '40P01' });
    expect(attempts).toBe(4);
  });

  it.runIf(sc.name === 'postgres')(
    'recovers from a real deadlock between two transactions',
    async () => {
      // One unit per transaction, two transactions at once.
      const gc = new GroupCommitter(base, { concurrency: 2, maxBatch: 1 });
      let attempts = 0;
      let arrived = 0;
      let release!: () => void;
      const bothLocked = new Promise<void>((r) => {
        release = r;
      });
      // Each unit locks one counter row, waits for the other to lock its row, then takes the
      // other row: a textbook deadlock. PostgreSQL aborts one; the committer retries it.
      const unit = (first: number, second: number) => (tx: Queryable) =>
        (async () => {
          attempts++;
          await tx.query(`set local deadlock_timeout = '50ms'`);
          await tx.query('update gc_counter set n = n + 1 where id = $1', [first]);
          if (++arrived === 2) release();
          await bothLocked;
          await tx.query('update gc_counter set n = n + 1 where id = $1', [second]);
        })();
      await Promise.all([gc.run(unit(1, 2)), gc.run(unit(2, 1))]);
      expect(attempts).toBe(3);
      const { rows } = await base.query<{ n: number }>('select n from gc_counter order by id');
      expect(rows.map((r) => r.n)).toEqual([2, 2]);
    },
  );

  it('combines the first step of concurrent units into one call, then runs each unit', async () => {
    const calls: string[][] = [];
    // Inserts every unit's keys in one statement, answers each unit with its own count.
    const combiner: Combiner<string[], number> = async (tx, inputs) => {
      calls.push(inputs.flat());
      await tx.query('insert into gc_items select unnest($1::text[])', [inputs.flat()]);
      return inputs.map((keys) => keys.length);
    };
    const gc = new GroupCommitter(base, { concurrency: 1 });
    const results = await Promise.all(
      [['c1'], ['c2', 'c3'], ['c4']].map((input, i) =>
        gc.runCombined({
          combiner,
          input,
          work: async (tx, n: number) => {
            await insert(tx, `w${i}`);
            return n;
          },
        }),
      ),
    );
    expect(results).toEqual([1, 2, 1]);
    expect(calls).toEqual([['c1', 'c2', 'c3', 'c4']]);
    expect(await keys()).toEqual(['c1', 'c2', 'c3', 'c4', 'w0', 'w1', 'w2']);
  });

  it('isolates the units when their combined step fails: only the culprit is refused', async () => {
    await base.query(`insert into gc_items values ('taken')`);
    const calls: number[] = [];
    const combiner: Combiner<string, null> = async (tx, inputs) => {
      calls.push(inputs.length);
      await tx.query('insert into gc_items select unnest($1::text[])', [inputs]);
      return inputs.map(() => null);
    };
    const gc = new GroupCommitter(base, { concurrency: 1 });
    const results = await Promise.allSettled(
      ['k1', 'taken', 'k2'].map((input) =>
        gc.runCombined({ combiner, input, work: async () => input }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: '23505' });
    // Once together (failed), then once per unit, each in its savepoint.
    expect(calls).toEqual([3, 1, 1, 1]);
    expect(await keys()).toEqual(['k1', 'k2', 'taken']);
  });

  it('drain waits for queued and in-flight work', async () => {
    const gc = new GroupCommitter(base, { concurrency: 1 });
    const all = Array.from({ length: 20 }, (_, i) => gc.run((tx) => insert(tx, `d${i}`)));
    await gc.drain();
    expect((await keys()).length).toBe(20);
    await Promise.all(all);
  });
});
