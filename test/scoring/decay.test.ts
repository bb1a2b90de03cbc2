import { beforeAll, describe, expect, it } from 'vitest';
import { startWorkers } from '../../collector/jobs/index.ts';
import { DECAY_REFRESH_MS, refreshDecayedScores } from '../../collector/scoring/index.ts';
import { event, testClock } from '../helpers/app.ts';
import { suiteHarness } from '../helpers/fixture.ts';
import { storeCases } from '../helpers/stores.ts';
import { leadOfAnon } from '../identity/helpers.ts';

const DAY = 86_400_000;

/**
 * What a marketer sees of decay: the lead's answer, the list's `minScore` filter and `-score`
 * order, and the CSV all agree on today's score, not the score of the lead's last visit.
 */
describe.each(storeCases)('score decay as the API shows it on $name', (sc) => {
  const clock = testClock();
  const h = suiteHarness(sc, { clock });

  beforeAll(async () => {
    const put = await h.secret('/v1/scoring', {
      method: 'PUT',
      body: JSON.stringify({
        mqlThreshold: 50,
        halfLifeDays: 10,
        fit: [
          {
            id: 'title',
            label: 'Has a title',
            trait: 'title',
            op: 'exists',
            value: true,
            points: 60,
          },
        ],
        engagement: [
          {
            id: 'pricing',
            label: 'Pricing',
            event: { type: 'pageview', url: '*/pricing*' },
            points: 20,
          },
          {
            id: 'careers',
            label: 'Job seeker',
            event: { type: 'pageview', url: '*/careers*' },
            points: -40,
            once: true,
          },
        ],
      }),
    });
    expect(put.status).toBe(202);
  });

  const visit = async (anon: string, traits: Record<string, unknown>, paths: string[]) => {
    const t = clock().getTime();
    const res = await h.collect(
      [
        event({ type: 'identify', anonymousId: anon, traits, timestamp: t }),
        ...paths.map((p) =>
          event({ anonymousId: anon, url: `https://www.example.com${p}`, timestamp: t }),
        ),
      ],
      { sentAt: t },
    );
    expect(res.status).toBe(202);
    return (await leadOfAnon(h.store, anon, clock()))!;
  };
  const get = async (id: string) => (await h.secret(`/v1/leads/${id}`)).json();
  const list = async (q: string) =>
    (await (await h.secret(`/v1/leads?${q}`)).json()).data as {
      id: string;
      score: { total: number };
    }[];
  const tick = async () => {
    const w = startWorkers(h.deps, { intervalMs: 0 });
    await w.tick();
    await w.stop();
  };

  it('a lead hot 20 days ago (two half-lives) scores a quarter today everywhere, and keeps its stage', async () => {
    const hot = await visit('decay-hot', { email: 'hot@example.org' }, [
      '/pricing',
      '/pricing',
      '/pricing',
    ]);
    expect((await get(hot)).score.total).toBeCloseTo(60, 6);
    expect((await get(hot)).stage).toBe('mql');

    clock.advance(20 * DAY);
    const fresh = await visit('decay-fresh', { email: 'fresh@example.org' }, [
      '/pricing',
      '/pricing',
    ]);
    // The answer decays with the collector's clock.
    expect((await get(hot)).score.total).toBeCloseTo(15, 6);
    expect((await get(fresh)).score.total).toBeCloseTo(40, 6);

    await tick();
    // The list filters and orders by today's score, not by the score of the last visit.
    expect((await list('minScore=50')).map((l) => l.id)).not.toContain(hot);
    expect((await list('maxScore=20')).map((l) => l.id)).toContain(hot);
    const ranked = (await list('sort=-score')).map((l) => l.id);
    expect(ranked.indexOf(fresh)).toBeLessThan(ranked.indexOf(hot));
    const csv = await (await h.secret('/v1/leads/export.csv?sort=-score')).text();
    const hotLine = csv.split('\n').find((l) => l.startsWith(hot))!;
    expect(Number(hotLine.split(',')[4])).toBeCloseTo(15, 6);
    // A falling score never moves the stage back.
    expect((await get(hot)).stage).toBe('mql');
  });

  it('a fading negative rule lifts a lead over the MQL threshold without a new visit', async () => {
    const seeker = await visit('decay-seeker', { email: 'seeker@example.org', title: 'CTO' }, [
      '/careers',
    ]);
    expect((await get(seeker)).score.total).toBeCloseTo(20, 6); // fit 60, job seeker −40
    expect((await get(seeker)).stage).toBe('lead');
    // Four half-lives on, the job-seeker signal is −2.5: 57.5 ≥ 50, with no event in between.
    clock.advance(40 * DAY);
    expect((await get(seeker)).score.total).toBeCloseTo(57.5, 6);
    expect((await list('minScore=50')).map((l) => l.id)).not.toContain(seeker); // not refreshed yet
    while ((await refreshDecayedScores(h.store, clock())) > 0);
    expect((await list('minScore=50')).map((l) => l.id)).toContain(seeker);
    const lead = await get(seeker);
    expect(lead.stage).toBe('mql');
    expect(lead.stageHistory.at(-1)).toMatchObject({ from: 'lead', to: 'mql', actor: 'system' });
    // Refreshed now: nothing left to do until the next refresh is due.
    expect(await refreshDecayedScores(h.store, clock())).toBe(0);
    clock.advance(DECAY_REFRESH_MS + 1);
    expect(await refreshDecayedScores(h.store, clock())).toBeGreaterThan(0);
  });
});
