/**
 * Benchmarks on a full store (PostgreSQL): ingest rate as stored events grow (growth), then the
 * marketer reads on 100k leads and 1M events, then rescoring every lead after a rule change.
 * One database, one collector process, data generated with set-based SQL (seed.ts).
 */
import { readFileSync } from 'node:fs';
import { freshPgDatabase } from '../helpers/stores.ts';
import { type Measurement, measure, startTarget } from './ingest.ts';
import { HEAVY_EVENTS, HEAVY_LEAD, seedEvents, seedLeads, withClient } from './seed.ts';

export interface GrowthRow {
  storedEvents: number;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** req/s divided by the empty store's. */
  ratio: number;
}

export interface ReadRow {
  name: string;
  runs: number;
  p50Ms: number;
  p99Ms: number;
}

export interface ExportRow {
  rows: number;
  bytes: number;
  ms: number;
  /** RSS of the collector before the export and at its peak during it (MB). */
  rssBeforeMb: number;
  rssPeakMb: number;
}

export interface RescoreRow {
  leads: number;
  seconds: number;
  status: string;
  /** [seconds since the PUT, leads done] as GET /v1/scoring/jobs/{id} reported them. */
  progress: [number, number][];
}

export interface StoredResult {
  driver: 'postgres';
  leads: number;
  events: number;
  growth: GrowthRow[];
  reads: ReadRow[];
  exportCsv?: ExportRow;
  /** The export of one lead in ten (stage=customer), for comparison. */
  exportCsvTenth?: ExportRow;
  rescore?: RescoreRow;
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor(q * s.length))]! * 10) / 10;
};

/** Resident set size of a process in MB (Linux /proc). */
function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : Number.NaN;
}

/** Times `runs` calls of `fn` after two warm-up calls. */
async function timeRuns(name: string, runs: number, fn: () => Promise<void>): Promise<ReadRow> {
  await fn();
  await fn();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  return { name, runs, p50Ms: quantile(ms, 0.5), p99Ms: quantile(ms, 0.99) };
}

/**
 * Runs growth, reads and rescoring at `scale` (1 = 100k leads and 1M events).
 *
 * @example const r = await benchStored({ scale: 0.1, growthSeconds: 5, log: console.log });
 */
export async function benchStored(opts: {
  scale: number;
  growthSeconds: number;
  log: (line: string) => void;
}): Promise<StoredResult> {
  const leads = Math.round(100_000 * opts.scale);
  const events = Math.max(HEAVY_EVENTS * 2, Math.round(1_000_000 * opts.scale));
  const db = await freshPgDatabase();
  const t = await startTarget('postgres', { databaseUrl: db.url });
  const out: StoredResult = { driver: 'postgres', leads, events, growth: [], reads: [] };
  try {
    const siteId = t.siteId!;
    const auth = { authorization: `Bearer ${t.secretKey}` };
    const get = async (path: string) => {
      const res = await fetch(`${t.url}${path}`, { headers: auth });
      if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
      return res.json() as Promise<Record<string, unknown>>;
    };

    // Growth: the same process, the same 1-event closed-loop load, more stored events each time.
    const growth: Measurement[] = [];
    let stored = 0;
    for (const target of [0, Math.round(events / 10), events]) {
      if (target > stored) {
        const s0 = performance.now();
        await withClient(db.url, (c) => seedEvents(c, siteId, stored, target, leads));
        opts.log(
          `    seeded ${target - stored} events in ${Math.round(performance.now() - s0)} ms`,
        );
        stored = target;
      }
      opts.log(`  growth: ingest with ${stored} events stored…`);
      if (growth.length === 0) await measure(t, 1, 2);
      growth.push(await measure(t, 1, opts.growthSeconds));
    }
    const base = growth[0]!.reqPerSec || 1;
    out.growth = growth.map((m, i) => ({
      storedEvents: [0, Math.round(events / 10), events][i]!,
      reqPerSec: m.reqPerSec,
      p50Ms: m.p50Ms,
      p99Ms: m.p99Ms,
      ratio: Math.round((m.reqPerSec / base) * 100) / 100,
    }));

    // Reads on leads + events.
    const s0 = performance.now();
    await withClient(db.url, (c) => seedLeads(c, siteId, leads));
    opts.log(`    seeded ${leads} leads in ${Math.round(performance.now() - s0)} ms`);
    opts.log('  reads…');
    let cursor = '';
    const list = '/v1/leads?stage=mql,sql&minScore=20&sort=-score&limit=50';
    out.reads.push(
      await timeRuns('leads list (stage+minScore, -score, 50)', 30, async () => {
        cursor = String((await get(list)).nextCursor ?? '');
      }),
    );
    out.reads.push(
      await timeRuns('leads list, page 2 (cursor)', 30, async () => {
        await get(`${list}&cursor=${encodeURIComponent(cursor)}`);
      }),
    );
    out.reads.push(
      await timeRuns('leads list with count=true (the dashboard asks)', 30, async () => {
        await get(`${list}&count=true`);
      }),
    );
    out.reads.push(
      await timeRuns('leads list, every lead, count=true', 10, async () => {
        await get('/v1/leads?sort=-score&limit=25&count=true');
      }),
    );
    out.reads.push(
      await timeRuns('leads list (q=user12, -createdAt)', 30, async () => {
        await get('/v1/leads?q=user12&sort=-createdAt&limit=50');
      }),
    );
    out.reads.push(
      await timeRuns('leads list (channel=paid_search, -lastSeenAt)', 10, async () => {
        await get('/v1/leads?channel=paid_search&sort=-lastSeenAt&limit=50');
      }),
    );
    out.reads.push(
      await timeRuns(`lead detail + timeline (${HEAVY_EVENTS} events)`, 30, async () => {
        await get(`/v1/leads/${HEAVY_LEAD}`);
        await get(`/v1/leads/${HEAVY_LEAD}/timeline`);
      }),
    );
    out.reads.push(
      await timeRuns('funnel report (30 days)', 10, async () => {
        await get('/v1/reports/funnel');
      }),
    );
    out.reads.push(
      await timeRuns('funnel report by channel', 10, async () => {
        await get('/v1/reports/funnel?by=channel');
      }),
    );

    opts.log('  CSV export…');
    // A tenth first, then all: constant memory means the same peak for both.
    out.exportCsvTenth = await exportCsv(t.url, auth, t.pid!, '?stage=customer');
    out.exportCsv = await exportCsv(t.url, auth, t.pid!, '');

    opts.log('  rescoring…');
    out.rescore = await rescore(t.url, auth, leads);
  } finally {
    await t.stop();
    await db.drop();
  }
  return out;
}

/** Streams the CSV export of every lead, sampling the collector's RSS every 20 ms. */
async function exportCsv(
  url: string,
  auth: Record<string, string>,
  pid: number,
  query: string,
): Promise<ExportRow> {
  const rssBeforeMb = rssMb(pid);
  let rssPeakMb = rssBeforeMb;
  const timer = setInterval(() => {
    rssPeakMb = Math.max(rssPeakMb, rssMb(pid));
  }, 20);
  const t0 = performance.now();
  let bytes = 0;
  let rows = 0;
  try {
    const res = await fetch(`${url}/v1/leads/export.csv${query}`, { headers: auth });
    if (!res.ok || !res.body) throw new Error(`export: ${res.status}`);
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      for (const b of chunk) if (b === 10) rows++;
    }
  } finally {
    clearInterval(timer);
  }
  return {
    rows: rows - 1,
    bytes,
    ms: Math.round(performance.now() - t0),
    rssBeforeMb,
    rssPeakMb: Math.max(rssPeakMb, rssMb(pid)),
  };
}

const RULES = {
  mqlThreshold: 40,
  halfLifeDays: 30,
  caps: { fit: 50, engagement: 100, total: 100 },
  fit: [
    {
      id: 'work-email',
      label: 'Work email',
      trait: 'email',
      op: 'freeEmailDomain',
      value: false,
      points: 10,
    },
    {
      id: 'title',
      label: 'Decision maker',
      trait: 'title',
      op: 'contains',
      value: ['director', 'vp', 'head'],
      points: 15,
    },
  ],
  engagement: [
    {
      id: 'pricing',
      label: 'Viewed pricing',
      event: { type: 'pageview', url: '*/pricing*' },
      points: 10,
      max: 30,
    },
    {
      id: 'careers',
      label: 'Job seeker',
      event: { type: 'pageview', url: '*/careers*' },
      points: -15,
      once: true,
    },
  ],
};

/** PUT a rule change, then poll the job until it is done (at most 10 minutes). */
async function rescore(
  url: string,
  auth: Record<string, string>,
  leads: number,
): Promise<RescoreRow> {
  const t0 = performance.now();
  const res = await fetch(`${url}/v1/scoring`, {
    method: 'PUT',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify(RULES),
  });
  if (res.status !== 202) throw new Error(`PUT /v1/scoring: ${res.status} ${await res.text()}`);
  const { job } = (await res.json()) as { job: { id: string } };
  const progress: [number, number][] = [];
  let status = 'running';
  while (status === 'running' && performance.now() - t0 < 600_000) {
    await new Promise((r) => setTimeout(r, 500));
    const j = (await (
      await fetch(`${url}/v1/scoring/jobs/${job.id}`, { headers: auth })
    ).json()) as {
      status: string;
      done: number;
    };
    status = j.status;
    progress.push([Math.round((performance.now() - t0) / 100) / 10, j.done]);
  }
  return { leads, seconds: Math.round((performance.now() - t0) / 100) / 10, status, progress };
}
