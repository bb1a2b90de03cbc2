/** Binds a fetch handler to a port with Node's HTTP server, with timeouts that free stalled sockets. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';

/** How long the HTTP server waits on a client, in ms. */
export interface HttpTimeouts {
  /** The whole request, headers and body; on expiry the client gets 408 and the socket closes. */
  request: number;
  /** The request's headers (at most `request`). */
  headers: number;
  /** An idle keep-alive connection between two requests. */
  keepAlive: number;
}

/**
 * The collector's limits. Node's defaults (300 s for a request, 60 s for its headers) let a
 * client that announces a body and sends it a byte at a time (slow-loris) hold a socket for
 * minutes, and a few hundred such clients hold them all. A request here is small (bodies are
 * capped at 64 KB), so 30 s is ample even on a poor mobile link; headers come in one packet.
 * Keep-alive: Node's 5 s, stated — behind a load balancer that reuses idle connections longer
 * than that, raise it above the balancer's idle timeout, or the balancer meets closed sockets.
 */
export const HTTP_TIMEOUTS: Readonly<HttpTimeouts> = {
  request: 30_000,
  headers: 10_000,
  keepAlive: 5_000,
};

/**
 * Starts an HTTP server for `fetch` on `port` (0: a free one) and resolves once it listens.
 * Node checks request and header deadlines on a timer (every 30 s by default, which would let
 * a 30 s limit run to a minute); here the check runs at least every second.
 *
 * @example const { server, port } = await listen(app.fetch, { port: 8787 });
 */
export function listen(
  fetch: Parameters<typeof serve>[0]['fetch'],
  opts: { port: number; hostname?: string; timeouts?: HttpTimeouts },
): Promise<{ server: Server; port: number }> {
  const t = opts.timeouts ?? HTTP_TIMEOUTS;
  return new Promise((resolve, reject) => {
    const server = serve(
      {
        fetch,
        port: opts.port,
        hostname: opts.hostname,
        serverOptions: {
          requestTimeout: t.request,
          headersTimeout: t.headers,
          keepAliveTimeout: t.keepAlive,
          connectionsCheckingInterval: Math.min(1_000, Math.ceil(t.headers / 4)),
        },
      },
      (info: AddressInfo) => {
        server.off('error', reject);
        resolve({ server: server as Server, port: info.port });
      },
    );
    // A port in use rejects the start; once listening, server errors are not handled here.
    server.once('error', reject);
  });
}
