/** The HTTP server's timeouts (collector/http/listen.ts): a stalled client loses its socket. */
import type { Server } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HTTP_TIMEOUTS, listen } from '../../collector/http/listen.ts';
import { migrate, openPGlite, type Store } from '../../collector/store/index.ts';
import { harness, ORIGIN } from '../helpers/app.ts';

/** Sends `chunks` on a raw socket, then waits: what came back and when the server hung up. */
function stall(port: number, chunks: string[]): Promise<{ reply: string; closedAfterMs: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1', () => {
      for (const c of chunks) socket.write(c);
    });
    let reply = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => {
      reply += d;
    });
    socket.on('error', reject);
    socket.on('close', () => resolve({ reply, closedAfterMs: Date.now() - started }));
    // Far below Node's 300 s default, far above the injected limits.
    socket.setTimeout(10_000, () => {
      socket.destroy();
      reject(new Error(`still open after 10 s; got ${JSON.stringify(reply)}`));
    });
  });
}

describe('HTTP server timeouts', () => {
  let store: Store;
  let server: Server;
  let port: number;
  let site: string;
  const timeouts = { request: 600, headers: 300, keepAlive: 300 };

  beforeAll(async () => {
    store = await openPGlite();
    await migrate(store);
    const h = await harness(store);
    site = h.site.publicKey;
    ({ server, port } = await listen(h.app.fetch, { port: 0, hostname: '127.0.0.1', timeouts }));
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await store.close();
  });

  it('answers 408 and closes a collect whose body stops short of its Content-Length', async () => {
    const body = `{"site":"${site}"`;
    const { reply, closedAfterMs } = await stall(port, [
      [
        'POST /v1/collect HTTP/1.1',
        'Host: 127.0.0.1',
        `Origin: ${ORIGIN}`,
        'Content-Type: application/json',
        'Content-Length: 1000',
        '',
        body,
      ].join('\r\n'),
    ]);
    expect(reply).toMatch(/^HTTP\/1\.1 408 /);
    expect(closedAfterMs).toBeGreaterThanOrEqual(timeouts.request - 100);
    expect(closedAfterMs).toBeLessThan(timeouts.request + 3_000);
  });

  it('answers 408 and closes a request whose headers never end', async () => {
    const { reply, closedAfterMs } = await stall(port, [
      'POST /v1/collect HTTP/1.1\r\nHost: 127.0.0.1\r\n',
    ]);
    expect(reply).toMatch(/^HTTP\/1\.1 408 /);
    expect(closedAfterMs).toBeLessThan(timeouts.headers + 3_000);
  });

  it('closes an idle keep-alive connection after an answered request', async () => {
    const { reply, closedAfterMs } = await stall(port, [
      'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n',
    ]);
    expect(reply).toMatch(/^HTTP\/1\.1 200 /);
    expect(reply).toMatch(/keep-alive/i);
    expect(closedAfterMs).toBeLessThan(timeouts.keepAlive + 3_000);
  });

  it('uses the production limits unless told otherwise', async () => {
    const h = await harness(store);
    const prod = await listen(h.app.fetch, { port: 0, hostname: '127.0.0.1' });
    try {
      expect(prod.server.requestTimeout).toBe(HTTP_TIMEOUTS.request);
      expect(prod.server.headersTimeout).toBe(HTTP_TIMEOUTS.headers);
      expect(prod.server.keepAliveTimeout).toBe(HTTP_TIMEOUTS.keepAlive);
      expect(HTTP_TIMEOUTS.headers).toBeLessThanOrEqual(HTTP_TIMEOUTS.request);
      expect(HTTP_TIMEOUTS.request).toBeLessThanOrEqual(30_000);
    } finally {
      await new Promise((r) => prod.server.close(r));
    }
  });
});
