/** A real collector on a real port (in this process), for browser and multi-client tests. */

import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { createApp } from '../../collector/app.ts';
import { silentLog } from '../../collector/deps.ts';
import { buildDeps } from '../../collector/index.ts';
import { startWorkers, type Workers } from '../../collector/jobs/index.ts';
import { createSite } from '../../collector/sites/index.ts';
import { openStore, type Store } from '../../collector/store/index.ts';
import { testConfig } from './app.ts';

export interface RunningCollector {
  url: string;
  port: number;
  store: Store;
  site: { id: string; publicKey: string; secretKey: string };
  /** Stops the HTTP server and the store (data stays for `start` again). */
  stop(): Promise<void>;
  /** Starts again on the same port and data. */
  start(): Promise<void>;
  /** Stops and deletes the data. */
  dispose(): Promise<void>;
}

/**
 * Starts a collector on a free port with PGlite in a temporary folder (or `databaseUrl`), and a
 * site allowed from its own origin plus `origins`; with `workers`, the background workers too
 * (rescoring, webhooks), as `npm start` runs them.
 *
 * @example const c = await startCollector(); await page.goto(`${c.url}/demo/`);
 */
export async function startCollector(
  opts: { databaseUrl?: string; origins?: string[]; workers?: boolean } = {},
): Promise<RunningCollector> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tp-e2e-'));
  let store!: Store;
  let server: ReturnType<typeof serve> | undefined;
  let workers: Workers | undefined;
  let port = 0;
  const listen = async () => {
    store = await openStore({ databaseUrl: opts.databaseUrl, dataDir });
    const deps = buildDeps(store, {
      config: testConfig({ distDir: join(process.cwd(), 'dist'), demo: true }),
      log: silentLog,
    });
    const app = createApp(deps);
    if (opts.workers) workers = startWorkers(deps, { intervalMs: 200 });
    await new Promise<void>((resolve) => {
      server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, (info: AddressInfo) => {
        port = info.port;
        resolve();
      });
    });
    return deps;
  };
  await listen();
  const url = `http://127.0.0.1:${port}`;
  const created = await createSite(store, {
    name: 'E2E',
    allowedOrigins: [url, `http://localhost:${port}`, ...(opts.origins ?? [])],
  });
  const self: RunningCollector = {
    url,
    port,
    store,
    site: { id: created.site.id, publicKey: created.publicKey, secretKey: created.secretKey },
    async stop() {
      await workers?.stop();
      workers = undefined;
      const s = server;
      server = undefined;
      if (s) {
        await new Promise<void>((r) => {
          s.close(() => r());
          (s as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        });
      }
      await store.close();
    },
    async start() {
      await listen();
      self.store = store;
    },
    async dispose() {
      await self.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return self;
}

/**
 * Creates forms on the collector's site through the marketer API (`POST /v1/forms`); throws
 * unless each answers 201.
 *
 * @example await createForms(c, [DEMO_FORMS[0]!]);
 */
export async function createForms(c: RunningCollector, defs: readonly unknown[]): Promise<void> {
  for (const def of defs) {
    const res = await fetch(`${c.url}/v1/forms`, {
      method: 'POST',
      headers: { authorization: `Bearer ${c.site.secretKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(def),
    });
    if (res.status !== 201) throw new Error(`POST /v1/forms: ${res.status} ${await res.text()}`);
  }
}
