/** A collector on a given store, with one site, for `app.request` tests (no ports). */
import { createApp } from '../../collector/app.ts';
import type { Config } from '../../collector/deps.ts';
import { silentLog } from '../../collector/deps.ts';
import { buildDeps } from '../../collector/index.ts';
import { createSite } from '../../collector/sites/index.ts';
import type { Store } from '../../collector/store/index.ts';
import type { WireEvent } from '../../shared/wire.ts';

export const ORIGIN = 'https://www.example.com';
export const ADMIN_TOKEN = 'test-admin-token';

export const testConfig = (over: Partial<Config> = {}): Config => ({
  adminToken: ADMIN_TOKEN,
  distDir: 'dist',
  demo: false,
  bodyLimit: 64 * 1024,
  ...over,
});

/** A movable clock for tests. */
export function testClock(start = Date.parse('2026-01-15T12:00:00Z')) {
  let t = start;
  const clock = () => new Date(t);
  return Object.assign(clock, {
    advance(ms: number) {
      t += ms;
    },
    set(ms: number) {
      t = ms;
    },
  });
}

/**
 * The app with a site allowed from {@link ORIGIN}.
 *
 * @example const h = await harness(store); await h.collect([event()]);
 */
export async function harness(
  store: Store,
  opts: { clock?: () => Date; config?: Partial<Config> } = {},
) {
  const deps = buildDeps(store, {
    config: testConfig(opts.config),
    log: silentLog,
    clock: opts.clock,
  });
  const app = createApp(deps);
  const site = await createSite(store, {
    name: 'Example',
    allowedOrigins: [ORIGIN, 'https://*.example.org'],
  });
  return {
    app,
    deps,
    site,
    /** POSTs a batch to /v1/collect from {@link ORIGIN}. */
    collect(
      events: WireEvent[],
      init: { origin?: string; site?: string; contentType?: string; sentAt?: number } = {},
    ) {
      return app.request('/v1/collect', {
        method: 'POST',
        headers: {
          'content-type': init.contentType ?? 'application/json',
          origin: init.origin ?? ORIGIN,
        },
        body: JSON.stringify({
          site: init.site ?? site.publicKey,
          sentAt: init.sentAt ?? Date.now(),
          events,
        }),
      });
    },
    /** A request with the site's secret key. */
    secret(path: string, init: RequestInit = {}) {
      const headers = new Headers(init.headers);
      headers.set('authorization', `Bearer ${site.secretKey}`);
      if (init.body && !headers.has('content-type'))
        headers.set('content-type', 'application/json');
      return app.request(path, { ...init, headers });
    },
  };
}

let n = 0;
/** A valid wire event; override any field. */
export function event(over: Partial<WireEvent> = {}): WireEvent {
  n++;
  return {
    id: `evt-${Date.now().toString(36)}-${n}-${Math.random().toString(36).slice(2, 8)}`,
    type: 'pageview',
    anonymousId: 'anon-1',
    sessionId: 'sess-1',
    timestamp: Date.now(),
    url: 'https://www.example.com/',
    ...over,
  };
}
