/**
 * Floods on a real socket: huge bodies (declared or chunked without Content-Length) are refused
 * with 413 after at most the body limit is read, and the collector's memory does not grow with
 * what the clients send.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningCollector, startCollector } from '../helpers/server.ts';

/** Streams up to `total` bytes as chunked body; resolves with the status line seen (or ''). */
function chunkedFlood(
  c: RunningCollector,
  total: number,
): Promise<{ status: string; sent: number }> {
  return new Promise((resolve) => {
    const sock = net.connect(c.port, '127.0.0.1');
    let resp = '';
    let sent = 0;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      sock.destroy();
      resolve({ status: resp.split('\r\n')[0] ?? '', sent });
    };
    sock.on('data', (d) => {
      resp += d.toString();
    });
    sock.on('error', finish);
    sock.on('close', finish);
    const chunk = Buffer.concat([
      Buffer.from(`${(256 * 1024).toString(16)}\r\n`),
      Buffer.alloc(256 * 1024, 'a'),
      Buffer.from('\r\n'),
    ]);
    sock.write(
      `POST /v1/collect HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nOrigin: ${c.url}\r\n\r\n`,
    );
    const pump = () => {
      while (!done && sent < total) {
        sent += 256 * 1024;
        if (!sock.write(chunk)) return void sock.once('drain', pump);
      }
      if (sent >= total) setTimeout(finish, 2_000);
    };
    pump();
  });
}

describe('request floods on a real socket', () => {
  let c: RunningCollector;
  beforeAll(async () => {
    c = await startCollector();
  });
  afterAll(() => c.dispose());

  it('refuses a declared huge body at once with 413', async () => {
    const res = await new Promise<string>((resolve) => {
      const sock = net.connect(c.port, '127.0.0.1');
      let resp = '';
      sock.on('data', (d) => {
        resp += d.toString();
        if (resp.includes('\r\n\r\n')) {
          sock.destroy();
          resolve(resp);
        }
      });
      sock.write(
        `POST /v1/collect HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000000000\r\n\r\n{`,
      );
    });
    expect(res).toMatch(/^HTTP\/1\.1 413/);
    expect(res).toContain('application/problem+json');
  });

  it('caps chunked bodies without Content-Length: 413, and memory does not follow the flood', async () => {
    const mem = () => {
      const m = process.memoryUsage();
      return m.heapUsed + m.arrayBuffers;
    };
    const base = mem();
    let peak = base;
    const sampler = setInterval(() => {
      peak = Math.max(peak, mem());
    }, 10);
    const floods = await Promise.all(
      Array.from({ length: 12 }, () => chunkedFlood(c, 16 * 1024 * 1024)),
    );
    clearInterval(sampler);
    const sentMb = floods.reduce((s, f) => s + f.sent, 0) / 1e6;
    for (const f of floods) expect(f.status).toMatch(/^HTTP\/1\.1 413|^$/);
    expect(floods.filter((f) => f.status.includes('413')).length).toBeGreaterThan(0);
    // The clients pushed up to 200 MB; the collector buffers at most 64 KB per request.
    expect((peak - base) / 1e6).toBeLessThan(Math.min(64, sentMb / 2));
    // It still serves normal traffic.
    expect((await fetch(`${c.url}/healthz`)).status).toBe(200);
  });
});
