/** Wires the real parts together: store, committer, pipeline. Used by the server and by tests. */
import type { Config, Deps, Log } from './deps.ts';
import { jsonLog } from './deps.ts';
import { defaultProcessors } from './pipeline.ts';
import { GroupCommitter, type Store } from './store/index.ts';

export { createApp } from './app.ts';
export type { Config, Deps, Env, Log } from './deps.ts';

/**
 * Deps for a store with the default pipeline.
 *
 * @example const app = createApp(buildDeps(await openStore({}), { config }));
 */
export function buildDeps(
  store: Store,
  opts: { config: Config; log?: Log; clock?: () => Date },
): Deps {
  return {
    store,
    clock: opts.clock ?? (() => new Date()),
    config: opts.config,
    log: opts.log ?? jsonLog,
    committer: new GroupCommitter(store),
    processors: defaultProcessors(),
  };
}
