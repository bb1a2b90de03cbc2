/**
 * `/readyz` answers within its bound (1 s by default) when the database host is silent — a
 * firewall or a dead host dropping packets, not refusing them — with a 503, and a
 * readiness check never leaves a query holding a pool client.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../collector/app.ts';
import { silentLog } from '../../collector/deps.ts';
import { buildDeps } from '../../collector/index.ts';
import { migrate, openPGlite, openPostgres, type Store } from '../../collector/store/index.ts';
import { testConfig } from '../helpers/app.ts';

/** A TCP server that accepts connections and then behaves as `onData` says (nothing: silent). */
async function fakeServer(onData: (sock: Socket, first: boolean) => void = () => {}) {
  const open = new Set<Socket>();
  let accepted = 0;
  const server: Server = createServer((sock) => {
    accepted++;
    open.add(sock);
    let first = true;
    sock.on('data', () => {
      onData(sock, first);
      first = false;
    });
    sock.on('error', () => {});
    sock.on('close', () => open.delete(sock));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return {
    url: `postgres://tp@127.0.0.1:${port}/tp`,
    /** Connections the collector holds open now. */
    open: () => open.size,
    accepted: () => accepted,
    close: () =>
      new Promise<void>((r) => {
        for (const s of open) s.destroy();
        server.close(() => r());
      }),
  };
}

/** Just enough of the PostgreSQL protocol to be "connected": AuthenticationOk, ReadyForQuery. */
function handshakeThenSilence(sock: Socket, first: boolean) {
  if (!first) return; // every query is swallowed
  const authOk = Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 0]);
  const ready = Buffer.from([0x5a, 0, 0, 0, 5, 0x49]);
  sock.write(Buffer.concat([authOk, ready]));
}

const app = (store: Store, readyTimeoutMs?: number) =>
  createApp(buildDeps(store, { config: testConfig({ readyTimeoutMs }), log: silentLog }));

/** `/readyz`, timed; 'hung' when it takes longer than `limitMs`. */
async function readyz(a: ReturnType<typeof app>, limitMs = 5_000) {
  const t0 = performance.now();
  const res = await Promise.race([
    a.request('/readyz'),
    new Promise<'hung'>((r) => setTimeout(() => r('hung'), limitMs)),
  ]);
  return { res, ms: performance.now() - t0 };
}

const until = async (ok: () => boolean, ms: number) => {
  const end = Date.now() + ms;
  while (!ok() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  return ok();
};

describe('/readyz against a silent database host', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f();
  });

  it('answers 503 within 1 s when the host accepts the connection and says nothing', async () => {
    const host = await fakeServer();
    const store = openPostgres(host.url);
    cleanup.push(host.close, () => store.close());
    const a = app(store);

    // Several load balancers checking at once: each is answered in time, by one probe.
    const checks = await Promise.all([readyz(a), readyz(a), readyz(a)]);
    for (const { res, ms } of checks) {
      expect(res).not.toBe('hung');
      // Was the pool's 5 s connection timeout. (Slack above 1 s for a loaded machine's timers.)
      expect(ms).toBeGreaterThanOrEqual(950);
      expect(ms).toBeLessThan(4_000);
      const r = res as Response;
      expect(r.status).toBe(503);
      expect(await r.json()).toEqual({
        status: 'store unreachable',
        store: 'postgres',
        detail: 'The store refused the connection or did not answer within 1000 ms',
      });
    }
    expect(host.accepted()).toBe(1);
    // The connection attempt itself ends at the pool's connection timeout, not never.
    expect(await until(() => host.open() === 0, 6_000)).toBe(true);
  }, 15_000);

  it('gives up a query the server never answers and frees its connection, check after check', async () => {
    const host = await fakeServer(handshakeThenSilence);
    const store = openPostgres(host.url);
    cleanup.push(host.close, () => store.close());
    const a = app(store, 300);

    // More checks than the pool has clients (10): none may keep one.
    for (let i = 0; i < 12; i++) {
      const { res, ms } = await readyz(a);
      expect(res, `check ${i}`).not.toBe('hung');
      expect((res as Response).status).toBe(503);
      // Not waiting for an answer that never comes (slack for a loaded machine's timers).
      expect(ms).toBeLessThan(3_000);
      // The timed-out client is destroyed: its connection closes, it does not wait in the pool.
      expect(await until(() => host.open() === 0, 1_000), `check ${i}`).toBe(true);
    }
    expect(host.accepted()).toBe(12);
  }, 30_000);

  it('bounds PGlite too: a check behind a long statement answers 503 in time, then 200', async () => {
    const store = await openPGlite();
    await migrate(store);
    cleanup.push(() => store.close());
    const a = app(store, 300);
    expect((await a.request('/readyz')).status).toBe(200);

    const long = store.query('select pg_sleep(1.5)');
    const { res, ms } = await readyz(a);
    expect((res as Response).status).toBe(503);
    // Not waiting for the 1.5 s statement to end.
    expect(ms).toBeLessThan(1_400);
    await long;
    const again = await a.request('/readyz');
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ status: 'ready', store: 'pglite' });
  });
});
