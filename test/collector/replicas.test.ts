/**
 * Two collector replicas on one PostgreSQL, each with its own pool and its own background
 * workers running at the same moments: a rule change rescores every lead once, each lead
 * becomes an MQL once, and each `lead.stage_changed` webhook reaches the receiver once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../collector/app.ts';
import { silentLog } from '../../collector/deps.ts';
import { buildDeps } from '../../collector/index.ts';
import { startWorkers } from '../../collector/jobs/index.ts';
import { migrate, openPostgres, type Store } from '../../collector/store/index.ts';
import { harness, testConfig } from '../helpers/app.ts';
import { freshPgDatabase, hasPostgres } from '../helpers/stores.ts';
import { makeLead } from '../scoring/fixtures.ts';
import { startReceiver } from '../webhooks/receiver.ts';

/** More than two rescoring batches (200 leads each), so both replicas get some. */
const LEADS = 450;

describe.runIf(hasPostgres)('two replicas on one PostgreSQL', () => {
  let db: Awaited<ReturnType<typeof freshPgDatabase>>;
  let stores: Store[];
  const allowPrivate = process.env.TOUCHPOINT_WEBHOOKS_ALLOW_PRIVATE;

  beforeAll(async () => {
    // The receiver listens on 127.0.0.1: allow private destinations (refused by default).
    process.env.TOUCHPOINT_WEBHOOKS_ALLOW_PRIVATE = '1';
    db = await freshPgDatabase();
    stores = [openPostgres(db.url), openPostgres(db.url)];
    await Promise.all(stores.map((s) => migrate(s)));
  });
  afterAll(async () => {
    if (allowPrivate === undefined) delete process.env.TOUCHPOINT_WEBHOOKS_ALLOW_PRIVATE;
    else process.env.TOUCHPOINT_WEBHOOKS_ALLOW_PRIVATE = allowPrivate;
    await Promise.all(stores.map((s) => s.close()));
    await db.drop();
  });

  it('rescore once, qualify once, deliver each webhook once', async () => {
    const a = await harness(stores[0]!);
    const b = createApp(buildDeps(stores[1]!, { config: testConfig(), log: silentLog }));
    const siteId = a.site.site.id;
    const secret = (
      app: { request: typeof b.request },
      path: string,
      body: unknown,
      method = 'POST',
    ) =>
      app.request(path, {
        method,
        headers: {
          authorization: `Bearer ${a.site.secretKey}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
      });

    const receiver = await startReceiver();
    try {
      const hook = await secret(a.app, '/v1/webhooks', {
        url: receiver.url,
        events: ['lead.stage_changed'],
      });
      expect(hook.status).toBe(201);
      for (let i = 0; i < LEADS; i++)
        await makeLead(stores[0]!, siteId, { traits: { title: 'Marketing director' } });

      // The rule change arrives at replica B; every lead now scores over the threshold.
      const put = await secret(
        b,
        '/v1/scoring',
        {
          mqlThreshold: 40,
          caps: { fit: 100, engagement: 100, total: 100 },
          fit: [
            {
              id: 'dm',
              label: 'Decision maker',
              trait: 'title',
              op: 'contains',
              value: ['director'],
              points: 50,
            },
          ],
          engagement: [],
        },
        'PUT',
      );
      expect(put.status, await put.clone().text()).toBe(202);
      const { job } = (await put.json()) as { job: { id: string } };

      // Both replicas' workers, ticking at the same moments, until nothing is left to do.
      const workers = stores.map((store) =>
        startWorkers(
          { store, clock: () => new Date(), log: silentLog },
          { intervalMs: 0, deliver: { timeoutMs: 5_000 } },
        ),
      );
      const left = async () => {
        const { rows } = await stores[0]!.query<{ n: number }>(
          `select (select count(*)::int from scoring_jobs where status = 'running')
                + (select count(*)::int from webhook_events where fanned_out_at is null)
                + (select count(*)::int from webhook_deliveries where status = 'pending') as n`,
        );
        return rows[0]!.n;
      };
      for (let round = 0; (await left()) > 0; round++) {
        if (round > 200) throw new Error('background work did not finish');
        await Promise.all(workers.map((w) => w.tick()));
      }
      await Promise.all(workers.map((w) => w.stop()));

      const status = await (
        await a.app.request(`/v1/scoring/jobs/${job.id}`, {
          headers: { authorization: `Bearer ${a.site.secretKey}` },
        })
      ).json();
      expect(status).toEqual({ id: job.id, status: 'done', done: LEADS, total: LEADS });

      const { rows: moves } = await stores[0]!.query<{ n: number; leads: number }>(
        `select count(*)::int as n, count(distinct lead_id)::int as leads
           from stage_history where site_id = $1 and to_stage = 'mql'`,
        [siteId],
      );
      expect(moves[0]).toEqual({ n: LEADS, leads: LEADS });

      const bodies = receiver.received.map(
        (r) => JSON.parse(r.body) as { id: string; data: { lead: { id: string } } },
      );
      expect(bodies).toHaveLength(LEADS);
      expect(new Set(bodies.map((x) => x.id)).size).toBe(LEADS);
    } finally {
      await receiver.close();
    }
  }, 120_000);
});
