/** The Node entry: bind the app to a port, seed the demo, shut down gracefully on SIGTERM. */
import { serve } from '@hono/node-server';
import { createApp } from './app.ts';
import { readEnv } from './config.ts';
import { ensureDemoSite } from './demo.ts';
import { jsonLog } from './deps.ts';
import { buildDeps } from './index.ts';
import { startRetentionJob } from './privacy/retention.ts';
import { openStore } from './store/index.ts';

const env = readEnv();
const store = await openStore({ databaseUrl: env.databaseUrl, dataDir: env.dataDir });
const deps = buildDeps(store, { config: env.config, log: jsonLog });
const app = createApp(deps);

const server = serve({ fetch: app.fetch, port: env.port }, (info) => {
  jsonLog.info('collector listening', { url: `http://localhost:${info.port}`, store: store.kind });
});

// Daily purge of never-identified visitors past their site's retention (README: privacy).
const stopRetention = startRetentionJob(store, jsonLog);

if (env.config.demo) {
  const keys = await ensureDemoSite(store, env.dataDir, env.port);
  console.log(
    [
      '',
      `  Touchpoint is running on http://localhost:${env.port}`,
      `  Demo website:  http://localhost:${env.port}/demo/`,
      `  Dashboard:     http://localhost:${env.port}/dashboard/`,
      `  Public key:    ${keys.publicKey}`,
      `  Secret key:    ${keys.secretKey}`,
      '',
    ].join('\n'),
  );
}

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  jsonLog.info('shutting down', { signal });
  stopRetention();
  // Stop accepting; requests already received finish and are answered after their commit.
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
  await Promise.race([closed, new Promise((r) => setTimeout(r, 10_000))]);
  await deps.committer.drain();
  await store.close();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
