// The npm registry reachable here lacks some of Biome's platform binaries (android, darwin,
// musl, win32). `npm install` skips them silently but leaves their names in the lock file, and
// then `npm ci` refuses the lock as "out of sync". This drops optional dependencies that have no
// package entry from the lock. Run after `npm install <pkg>`: `node .ci/prune-lock.mjs`.
import { readFileSync, writeFileSync } from 'node:fs';

const file = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(file, 'utf8'));
let pruned = 0;
for (const entry of Object.values(lock.packages)) {
  if (!entry.optionalDependencies) continue;
  for (const name of Object.keys(entry.optionalDependencies)) {
    if (!lock.packages[`node_modules/${name}`]) {
      delete entry.optionalDependencies[name];
      pruned++;
    }
  }
}
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`pruned ${pruned} unavailable optional dependencies from package-lock.json`);
