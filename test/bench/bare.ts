/**
 * The baseline: a bare Hono handler on @hono/node-server that parses the same JSON body and
 * answers 202, so the benchmark measures what the collector adds (validation, store, commit).
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const app = new Hono();
app.post('/v1/collect', async (c) => {
  const body = (await c.req.json()) as { events: unknown[] };
  return c.json({ accepted: body.events.length, duplicates: 0 }, 202);
});

serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
  console.log(JSON.stringify({ msg: 'collector listening', url: `http://127.0.0.1:${info.port}` }));
});
process.on('SIGTERM', () => process.exit(0));
