/**
 * `npm run bench`: ingest throughput of the collector (PGlite, PostgreSQL) against a bare Hono
 * handler, printed as a table and written as JSON to `TOUCHPOINT_BENCH_OUT`
 * (default `.touchpoint/bench.json`).
 *
 * Knobs: `TOUCHPOINT_BENCH_SECONDS` (default 10 per run), `TOUCHPOINT_BENCH_WARMUP` (2),
 * `TOUCHPOINT_BENCH_BATCHES` (`1,20`), `TOUCHPOINT_BENCH_TARGETS` (`bare,pglite,postgres`),
 * `TOUCHPOINT_BENCH_PROF=dir` (CPU profiles of the servers).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { dirname } from 'node:path';
import { benchIngest, type Measurement, type TargetName } from './ingest.ts';

const env = process.env;
const seconds = Number(env.TOUCHPOINT_BENCH_SECONDS ?? 10);
const warmupSeconds = Number(env.TOUCHPOINT_BENCH_WARMUP ?? 2);
const batches = (env.TOUCHPOINT_BENCH_BATCHES ?? '1,20').split(',').map(Number);
const targets = env.TOUCHPOINT_BENCH_TARGETS?.split(',') as TargetName[] | undefined;
const outFile = env.TOUCHPOINT_BENCH_OUT ?? '.touchpoint/bench.json';

console.log(
  `Ingest benchmark: autocannon, 50 connections, ${seconds} s per run (+${warmupSeconds} s warm-up)`,
);
const results = await benchIngest({
  seconds,
  warmupSeconds,
  batches,
  targets,
  log: console.log,
});

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
  ];
  const body = rows.map((r) => [
    r.target === 'bare' ? 'bare hono' : `collector/${r.target}`,
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

console.log(`\n${table(results)}\n`);
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
      results,
    },
    null,
    2,
  )}\n`,
);
console.log(`written to ${outFile}`);
