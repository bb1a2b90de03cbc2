/**
 * Summarizes a V8 `.cpuprofile` (from `TOUCHPOINT_BENCH_PROF=dir npm run bench`): self time per
 * function and per package, the biggest first, so a profile reads in a terminal.
 *
 * @example npx tsx test/bench/profile-top.ts .touchpoint/prof/CPU.*.cpuprofile
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a frame's code lives: a package, the project, node itself, or V8 (GC, idle). */
function area(url: string): string {
  if (!url) return '(v8)';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1]!;
  if (url.startsWith('node:')) return 'node';
  const p = /\/(collector|shared|test)\/([^/]+)/.exec(url);
  return p ? `${p[1]}/${p[2]}` : url;
}

for (const file of process.argv.slice(2)) {
  const prof = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const fn = new Map<string, number>();
  const pkg = new Map<string, number>();
  let total = 0;
  prof.samples.forEach((id, i) => {
    const dt = prof.timeDeltas[i] ?? 0;
    const f = byId.get(id)!.callFrame;
    const name = `${f.functionName || '(anonymous)'} ${area(f.url)}:${f.lineNumber + 1}`;
    fn.set(name, (fn.get(name) ?? 0) + dt);
    pkg.set(area(f.url), (pkg.get(area(f.url)) ?? 0) + dt);
    total += dt;
  });
  const top = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, v]) => `  ${((v / total) * 100).toFixed(1).padStart(5)}%  ${k}`)
      .join('\n');
  console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled`);
  console.log(`by area:\n${top(pkg, 12)}\nby function (self):\n${top(fn, 20)}\n`);
}
