/**
 * `npm run bench`: the whole system against its targets (issue 9), printed as tables and written
 * as JSON to `TOUCHPOINT_BENCH_OUT` (default `.touchpoint/bench.json`): widget sizes next to the
 * peers, ingest of the collector (PGlite, PostgreSQL) against a bare Hono handler, a fixed
 * open-loop rate, growth with stored events, reads on 100k leads / 1M events, rescoring, and the
 * tag's main-thread cost in Chromium.
 *
 * Knobs: `TOUCHPOINT_BENCH_SECONDS` (default 10 per run), `TOUCHPOINT_BENCH_WARMUP` (2),
 * `TOUCHPOINT_BENCH_BATCHES` (`1,20`), `TOUCHPOINT_BENCH_TARGETS` (`bare,pglite,postgres`),
 * `TOUCHPOINT_BENCH_PROF=dir` (CPU profiles of the servers), `TOUCHPOINT_BENCH_SECTIONS`
 * (`sizes,ingest,openloop,stored,tag`), `BENCH_SCALE` (1 = 100k leads and 1M events; 0.1 for a
 * quick run), `TOUCHPOINT_BENCH_RATE` (open-loop requests/s, 2000), `TOUCHPOINT_BENCH_LOADS`
 * (page loads for the tag, 25), `TOUCHPOINT_BENCH_BUILD=0` (never build dist/ when missing).
 * Profiles: `npx tsx test/bench/profile-top.ts dir/*.cpuprofile`.
 */
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { dirname } from 'node:path';
import { hasPostgres } from '../helpers/stores.ts';
import { benchIngest, type Measurement, measure, startTarget, type TargetName } from './ingest.ts';
import { PEERS, type SizeRow, TAG_BUDGET_GZIP, widgetSizes } from './sizes.ts';
import { benchStored, type StoredResult } from './stored.ts';
import { type TagCost, tagCost } from './tag.ts';

const env = process.env;
const seconds = Number(env.TOUCHPOINT_BENCH_SECONDS ?? 10);
const warmupSeconds = Number(env.TOUCHPOINT_BENCH_WARMUP ?? 2);
const batches = (env.TOUCHPOINT_BENCH_BATCHES ?? '1,20').split(',').map(Number);
const targets = env.TOUCHPOINT_BENCH_TARGETS?.split(',') as TargetName[] | undefined;
const outFile = env.TOUCHPOINT_BENCH_OUT ?? '.touchpoint/bench.json';
const sections = new Set(
  (env.TOUCHPOINT_BENCH_SECTIONS ?? 'sizes,ingest,openloop,stored,tag').split(','),
);
const scale = Number(env.BENCH_SCALE ?? env.TOUCHPOINT_BENCH_SCALE ?? 1);
const rate = Number(env.TOUCHPOINT_BENCH_RATE ?? 2000);
const started = performance.now();

/** A right-aligned text table. */
function grid(head: string[], body: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (c ?? '').padStart(widths[i]!)).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}
const n = (x: number | null | undefined) => (x === null || x === undefined ? 'n/a' : String(x));

// A fresh clone has no dist/: build it once for the sizes and the tag (TOUCHPOINT_BENCH_BUILD=0 skips).
if ((sections.has('sizes') || sections.has('tag')) && !existsSync('dist/tp.js')) {
  if (env.TOUCHPOINT_BENCH_BUILD !== '0') {
    console.log('dist/tp.js missing: npm run build…');
    try {
      execSync('npm run build', { stdio: 'ignore' });
    } catch {
      console.log('  build failed: widget figures n/a');
    }
  }
}

let sizes: SizeRow[] | undefined;
if (sections.has('sizes')) {
  sizes = widgetSizes();
  const peers = Object.entries(PEERS).map(([name, gz]) => [name, '', String(gz), '', '']);
  console.log(
    `\nWidget sizes (bytes; tag budget ${TAG_BUDGET_GZIP} gzip as served)\n${grid(
      ['file', 'raw', 'gzip -9', 'brotli', 'gzip served (zopfli)'],
      [...sizes.map((r) => [r.file, n(r.raw), n(r.gzip), n(r.brotli), n(r.served)]), ...peers],
    )}`,
  );
}

let results: Measurement[] = [];
if (sections.has('ingest')) {
  console.log(
    `\nIngest benchmark: autocannon, 50 connections, ${seconds} s per run (+${warmupSeconds} s warm-up)`,
  );
  results = await benchIngest({ seconds, warmupSeconds, batches, targets, log: console.log });
}

/** How a target reads in the tables. */
const label = (t: TargetName) =>
  t === 'bare' ? 'bare hono' : t.startsWith('floor-') ? `floor/${t.slice(6)}` : `collector/${t}`;

function table(rows: Measurement[]): string {
  const head = [
    'target',
    'batch',
    'req/s',
    'events/s',
    'p50 ms',
    'p99 ms',
    'non-2xx',
    'errors',
    '× bare',
    'req/tx',
  ];
  const body = rows.map((r) => [
    label(r.target),
    String(r.batch),
    String(r.reqPerSec),
    String(r.eventsPerSec),
    String(r.p50Ms),
    String(r.p99Ms),
    String(r.non2xx),
    String(r.errors),
    r.ratio === undefined ? '' : r.ratio.toFixed(2),
    r.unitsPerTx === undefined ? '' : String(r.unitsPerTx),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

if (results.length) console.log(`\n${table(results)}\n`);

// Open loop: requests arrive at a fixed rate whatever the latency, like real traffic.
const openLoop: (Measurement & { rate: number })[] = [];
if (sections.has('openloop')) {
  // The floors show what a commit before answering leaves of the p99 budget.
  const names: TargetName[] = [
    'floor-pglite',
    'pglite',
    ...(hasPostgres ? (['floor-postgres', 'postgres'] as const) : []),
  ];
  for (const name of names.filter((n) => !targets || targets.includes(n))) {
    console.log(`  open loop ${rate} req/s, ${name}…`);
    const t = await startTarget(name);
    try {
      await measure(t, 1, warmupSeconds, rate);
      openLoop.push({ ...(await measure(t, 1, seconds, rate)), rate });
    } finally {
      await t.stop();
    }
  }
  console.log(
    `\nOpen loop, 1-event batches at ${rate} req/s (target p99 ≤ 25 ms)\n${grid(
      ['target', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'errors'],
      openLoop.map((m) => [
        label(m.target),
        String(m.reqPerSec),
        String(m.p50Ms),
        String(m.p99Ms),
        String(m.non2xx),
        String(m.errors),
      ]),
    )}`,
  );
}

let stored: StoredResult | undefined;
if (sections.has('stored') && hasPostgres) {
  console.log(`\nStored data (PostgreSQL, scale ${scale})…`);
  stored = await benchStored({ scale, growthSeconds: seconds, log: console.log });
  console.log(
    `\nGrowth: 1-event ingest, 50 connections (target: 1M stored ≥ 1/1.3 of empty)\n${grid(
      ['stored events', 'req/s', 'p50 ms', 'p99 ms', '× empty'],
      stored.growth.map((g) => [
        String(g.storedEvents),
        String(g.reqPerSec),
        String(g.p50Ms),
        String(g.p99Ms),
        g.ratio.toFixed(2),
      ]),
    )}`,
  );
  console.log(
    `\nReads, ${stored.leads} leads, ${stored.events} events (targets p50: list ≤ 30, lead ≤ 30, funnel ≤ 100 ms)\n${grid(
      ['read', 'runs', 'p50 ms', 'p99 ms'],
      stored.reads.map((r) => [r.name, String(r.runs), String(r.p50Ms), String(r.p99Ms)]),
    )}`,
  );
  for (const e of [stored.exportCsvTenth, stored.exportCsv])
    if (e)
      console.log(
        `CSV export: ${e.rows} leads, ${e.bytes} bytes in ${e.ms} ms; collector RSS ${e.rssBeforeMb} MB before, ${e.rssPeakMb} MB peak`,
      );
  const r = stored.rescore;
  if (r)
    console.log(
      `Rescoring ${r.leads} leads: ${r.status} in ${r.seconds} s; progress ${r.progress
        .filter((_, i, a) => i % Math.ceil(a.length / 8) === 0 || i === a.length - 1)
        .map(([s, d]) => `${s}s:${d}`)
        .join(' ')}`,
    );
}

let tag: TagCost | null | undefined;
if (sections.has('tag')) {
  console.log('\nTag in Chromium…');
  tag = await tagCost(Number(env.TOUCHPOINT_BENCH_LOADS ?? 25));
  console.log(
    tag
      ? `Tag at page load: ${tag.scriptMs} ms script on a first visit, ${tag.returningScriptMs} ms on a returning visitor's next page, ${tag.taskMs} ms main-thread tasks (first visit; medians of ${tag.loads}, minus the page without the tag); platform floor (the same storage, IndexedDB, listener and fetch calls, no logic) ${tag.floorScriptMs} ms first visit, ${tag.floorReturningScriptMs} ms returning; ${tag.transferBytes} bytes on the wire (${tag.encodedBytes} body, ${tag.encoding})`
      : 'Tag at page load: n/a (dist/tp.js not built or Chromium missing)',
  );
}

console.log(`\nbench finished in ${Math.round((performance.now() - started) / 1000)} s`);
mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(
  outFile,
  `${JSON.stringify(
    {
      at: new Date().toISOString(),
      node: process.version,
      cpus: availableParallelism(),
      cpu: cpus()[0]?.model,
      connections: 50,
      seconds,
      scale,
      results,
      sizes,
      peersGzip: PEERS,
      openLoop,
      stored,
      tag,
    },
    null,
    2,
  )}\n`,
);
console.log(`written to ${outFile}`);
