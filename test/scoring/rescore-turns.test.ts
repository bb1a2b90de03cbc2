/**
 * Rescoring jobs of several sites take turns: a big site's rule change does not hold back a small
 * site's until every one of its leads is done.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rescoreStep } from '../../collector/jobs/index.ts';
import type { Store } from '../../collector/store/index.ts';
import { harness, testClock } from '../helpers/app.ts';
import { storeCases } from '../helpers/stores.ts';
import { makeLead } from './fixtures.ts';

const RULES = {
  mqlThreshold: 50,
  fit: [],
  engagement: [{ id: 'pv', label: 'Page', event: { type: 'pageview' }, points: 10 }],
};

describe.each(storeCases)('rescoring jobs on $name', (sc) => {
  let store: Store;
  let close: () => Promise<void>;
  const clock = testClock();

  beforeAll(async () => {
    ({ store, close } = await sc.open());
  });
  afterAll(() => close());

  it("gives a small site's job its turn while a big site's job runs, and finishes both", async () => {
    const big = await harness(store, { clock });
    const small = await harness(store, { clock });
    for (let i = 0; i < 40; i++) await makeLead(store, big.site.site.id);
    for (let i = 0; i < 5; i++) await makeLead(store, small.site.site.id);
    const put = async (h: typeof big) => {
      const res = await h.secret('/v1/scoring', { method: 'PUT', body: JSON.stringify(RULES) });
      expect(res.status).toBe(202);
      return ((await res.json()) as { job: { id: string } }).job.id;
    };
    const bigJob = await put(big);
    clock.advance(1_000);
    const smallJob = await put(small);
    const status = async (h: typeof big, id: string) =>
      (await (await h.secret(`/v1/scoring/jobs/${id}`)).json()) as {
        status: string;
        done: number;
      };

    // Two steps of 10: the big site's first batch, then the small site's whole job.
    for (let step = 0; step < 2; step++) {
      clock.advance(1_000);
      expect(await rescoreStep(store, clock(), 10)).toBeGreaterThan(0);
    }
    expect(await status(big, bigJob)).toMatchObject({ status: 'running', done: 10 });
    expect(await status(small, smallJob)).toMatchObject({ done: 5 });

    for (let steps = 0; steps < 20; steps++) {
      clock.advance(1_000);
      await rescoreStep(store, clock(), 10);
    }
    expect(await status(big, bigJob)).toEqual({ id: bigJob, status: 'done', done: 40, total: 40 });
    expect(await status(small, smallJob)).toEqual({
      id: smallJob,
      status: 'done',
      done: 5,
      total: 5,
    });
  });
});
