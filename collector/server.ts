/** The Node entry: bind the app to a port, seed the demo, shut down gracefully on SIGTERM. */
import { createApp } from './app.ts';
import { readEnv } from './config.ts';
import { DEMO_SITE_ID, ensureDemoSite } from './demo.ts';
import { seedDemoData } from './demo-data.ts';
import { jsonLog } from './deps.ts';
import { listen } from './http/listen.ts';
import { buildDeps } from './index.ts';
import { startWorkers } from './jobs/index.ts';
import { startRetentionJob } from './privacy/retention.ts';
import { openStore } from './store/index.ts';

/** How long shutdown waits for in-flight requests before closing their connections. */
const SHUTDOWN_GRACE_MS = 10_000;

const env = readEnv();
const store = await openStore({ databaseUrl: env.databaseUrl, dataDir: env.dataDir });
const deps = buildDeps(store, { config: env.config, log: jsonLog });
const app = createApp(deps);
// Webhook delivery and rescoring; safe to run in every replica (rows are claimed, not owned).
const workers = startWorkers(deps);

let stopping = false;
// With request, header and keep-alive timeouts (HTTP_TIMEOUTS) so stalled clients free sockets.
const { server, port } = await listen(app.fetch, { port: env.port });
// Once shutdown starts, every answer closes its connection: keep-alive clients reconnect
// elsewhere instead of sending more requests to a process about to exit.
server.prependListener('request', (_req, res) => {
  if (stopping) res.setHeader('Connection', 'close');
});
// One machine-readable line with the real port (PORT=0 picks a free one).
jsonLog.info('collector listening', { url: `http://localhost:${port}`, port, store: store.kind });

// Daily purge of never-identified visitors past their site's retention (README: privacy).
const stopRetention = startRetentionJob(store, jsonLog);

if (env.config.demo) {
  const keys = await ensureDemoSite(store, env.dataDir, port);
  const seeded = await seedDemoData(deps, DEMO_SITE_ID);
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

/**
 * Stops accepting connections, lets every request already received finish (each is answered
 * after its own commit), flushes the group committer, closes the store, exits 0.
 */
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  jsonLog.info('shutting down', { signal });
  stopRetention();
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
  await deps.committer.drain();
  server.closeAllConnections();
  await workers.stop();
  await store.close();
  jsonLog.info('stopped', { signal });
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
