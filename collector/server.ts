/** The Node entry: bind the app to a port, seed the demo, shut down gracefully on SIGTERM. */
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { createApp } from './app.ts';
import { ConfigError, type Environment, readEnv, redact } from './config.ts';
import { DEMO_SITE_ID, ensureDemoSite } from './demo.ts';
import { seedDemoData } from './demo-data.ts';
import { type Deps, jsonLog } from './deps.ts';
import { listen } from './http/listen.ts';
import { buildDeps } from './index.ts';
import { startWorkers, type Workers } from './jobs/index.ts';
import { startRetentionJob } from './privacy/retention.ts';
import { exclusively, openStore, type Store } from './store/index.ts';

/** How long shutdown waits for in-flight requests before closing their connections. */
const SHUTDOWN_GRACE_MS = 10_000;
/**
 * The whole shutdown's bound: past it the process exits 1 whatever is still pending (a store
 * that does not answer). Below Kubernetes' default 30 s, which would SIGKILL.
 */
const SHUTDOWN_DEADLINE_MS = 25_000;
/** Advisory lock of the demo set-up: replicas starting together seed the demo site once. */
const DEMO_LOCK = 727_002;

/** A start-up failure the operator can act on: its message is the whole story (no stack). */
class StartError extends Error {}

/** What is running, filled in as start-up gets there: shutdown stops what exists. */
const running: {
  store?: Store;
  deps?: Deps;
  server?: Server;
  workers?: Workers;
  stopRetention?: () => void;
  /** The demo set-up, which writes through the store: awaited before the store closes. */
  demo?: Promise<unknown>;
} = {};
let stopping = false;
/** The signal that started the shutdown. */
let stopSignal = '';
/** Shutdown is past waiting for start-up and stopping the parts (it does that once). */
let draining = false;

// Before anything else: a signal during start-up (migrations, demo seeding) is a clean stop too.
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

try {
  await start(readEnv());
} catch (err) {
  fail(err);
}

async function start(env: Environment): Promise<void> {
  for (const warning of env.warnings) jsonLog.warn(warning);
  if (!existsSync(join(env.config.distDir, 'tp.js')))
    jsonLog.warn(
      `${env.config.distDir} has no tp.js: /tp.js answers 404 until \`npm run build\` (npm start builds)`,
    );
  const where = env.databaseUrl ? redact(env.databaseUrl) : env.dataDir;
  const store = await openStore({ databaseUrl: env.databaseUrl, dataDir: env.dataDir }).catch(
    (err: unknown) => {
      throw new StartError(`cannot open the store (${where}): ${message(err)}`);
    },
  );
  running.store = store;
  if (stopping) return void shutdown('start-up');
  const deps = buildDeps(store, { config: env.config, log: jsonLog });
  running.deps = deps;
  const app = createApp(deps);
  // Webhook delivery and rescoring; safe to run in every replica (rows are claimed, not owned).
  running.workers = startWorkers(deps);

  // With request, header and keep-alive timeouts (HTTP_TIMEOUTS) so stalled clients free sockets.
  const { server, port } = await listen(app.fetch, { port: env.port }).catch((err: unknown) => {
    throw new StartError(`cannot listen on port ${env.port}: ${message(err)}`);
  });
  running.server = server;
  // Once shutdown starts, every answer closes its connection: keep-alive clients reconnect
  // elsewhere instead of sending more requests to a process about to exit.
  server.prependListener('request', (_req, res) => {
    if (stopping) res.setHeader('Connection', 'close');
  });
  if (stopping) return void shutdown('start-up');
  // One machine-readable line with the real port (PORT=0 picks a free one).
  jsonLog.info('collector listening', { url: `http://localhost:${port}`, port, store: store.kind });

  // Daily purge of never-identified visitors past their site's retention (README: privacy).
  running.stopRetention = startRetentionJob(store, jsonLog);

  if (env.config.demo) {
    const setup = exclusively(store, DEMO_LOCK, async () => {
      const keys = await ensureDemoSite(store, env.dataDir, port);
      const seeded = await seedDemoData(deps, DEMO_SITE_ID);
      return { keys, seeded };
    });
    running.demo = setup;
    const demo = await setup.catch((err: unknown) => {
      if (stopping) return undefined; // the store closed under it: shutdown reports
      throw new StartError(`cannot set up the demo site: ${message(err)}`);
    });
    if (!demo || stopping) return;
    const { keys, seeded } = demo;
    if (seeded.seeded) jsonLog.info('demo data seeded', seeded);
    console.log(
      [
        '',
        `  Touchpoint is running on http://localhost:${port}`,
        `  Demo website:  http://localhost:${port}/demo/`,
        `  Dashboard:     http://localhost:${port}/dashboard/`,
        `  Public key:    ${keys.publicKey}`,
        `  Secret key:    ${keys.secretKey}`,
        '',
      ].join('\n'),
    );
  }
}

/**
 * Stops accepting connections, lets every request already received finish (each is answered
 * after its own commit), flushes the group committer, closes the store, exits 0.
 */
async function shutdown(how: string): Promise<void> {
  const resumed = how === 'start-up';
  if (stopping && !resumed) {
    // A second Ctrl-C: the person at the terminal does not want to wait.
    if (how === 'SIGINT') {
      jsonLog.warn('second SIGINT; exiting without waiting');
      process.exit(1);
    }
    return;
  }
  stopping = true;
  if (!resumed) stopSignal = how;
  const signal = stopSignal;
  if (!resumed) jsonLog.info('shutting down', { signal });
  if (!resumed)
    setTimeout(() => {
      jsonLog.error('shutdown took too long; exiting', { afterMs: SHUTDOWN_DEADLINE_MS });
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
  // Still starting (opening the store, migrating): the rest of start-up sees `stopping`, and
  // listening or not, comes back here once it has its parts.
  if ((!running.store && !running.server) || draining) return;
  draining = true;
  running.stopRetention?.();
  // Background work stops alongside the requests (a webhook POST can take its whole timeout).
  const workers = running.workers?.stop();
  const { server } = running;
  if (server) {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Idle keep-alive sockets would hold `close` open; busy ones close after their answer.
    server.closeIdleConnections();
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    const timedOut = await Promise.race([
      closed.then(() => false),
      new Promise<boolean>((r) => setTimeout(() => r(true), SHUTDOWN_GRACE_MS).unref()),
    ]);
    clearInterval(sweep);
    if (timedOut) jsonLog.warn('shutdown grace period over; closing open connections');
  }
  await running.deps?.committer.drain();
  server?.closeAllConnections();
  await workers;
  await running.demo?.catch(() => {});
  await running.store?.close();
  jsonLog.info('stopped', { signal });
  process.exit(0);
}

/** One line on stderr, exit 2 for a bad setting and 1 for anything else; never a stack trace. */
function fail(err: unknown): never {
  const config = err instanceof ConfigError;
  const known = config || err instanceof StartError;
  jsonLog.error(config ? 'invalid configuration' : 'cannot start', {
    error: known ? (err as Error).message : message(err),
    ...(known ? {} : { stack: (err as Error)?.stack }),
  });
  process.exit(config ? 2 : 1);
}

/** An error's message with its code (`ECONNREFUSED`, SQLSTATE), on one line. */
function message(err: unknown): string {
  const e = err as { message?: string; code?: string } | undefined;
  const text = (e?.message || String(err)).replace(/\s+/g, ' ').trim();
  return e?.code && !text.includes(e.code) ? `${text} (${e.code})` : text;
}
