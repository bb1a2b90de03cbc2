/**
 * Every HTTP endpoint of the collector, enumerated from Hono's `app.routes`, with how it
 * authenticates and a sample valid body. New routes are covered as they land: an endpoint
 * missing from {@link SAMPLES} is still fuzzed and put in the tenancy matrix, with `{}` as body.
 */

export type Auth = 'public' | 'secret' | 'basic' | 'admin' | 'none';

export interface Route {
  method: string;
  /** Hono pattern, e.g. `/v1/leads/:id`. */
  path: string;
  auth: Auth;
}

/** Ids that exist in the fixture, by route parameter name, for requests meant to pass routing. */
export interface Fixture {
  siteId: string;
  publicKey: string;
  secretKey: string;
  leadId: string;
  anonymousId: string;
  formId: string;
  keyId: string;
  webhookId: string;
  segmentId: string;
  jobId: string;
}

/** Public endpoints (no secret): the tag and the forms write or read with the public key. */
const PUBLIC: [string, RegExp][] = [
  ['POST', /^\/v1\/collect$/],
  ['POST', /^\/v1\/forms\/:[^/]+\/submissions$/],
  ['GET', /^\/v1\/sites\/:[^/]+\/config$/],
];
/** Segment HTTP Tracking API: Basic auth with the secret key as user name. */
const BASIC = [/^\/v1\/(batch|track|identify|page|screen|group|alias|import)$/];

/** How a route authenticates, from its path. */
export function authOf(method: string, path: string): Auth {
  if (!path.startsWith('/v1/')) return 'none';
  if (path.startsWith('/v1/admin/')) return 'admin';
  if (PUBLIC.some(([m, r]) => m === method && r.test(path))) return 'public';
  if (BASIC.some((r) => r.test(path))) return 'basic';
  return 'secret';
}

/** Concrete routes of the app (middleware and preflights left out), sorted, unique. */
export function discoverRoutes(app: { routes: { method: string; path: string }[] }): Route[] {
  const seen = new Map<string, Route>();
  for (const r of app.routes) {
    if (r.method === 'ALL' || r.method === 'OPTIONS' || r.path.includes('*')) continue;
    const key = `${r.method} ${r.path}`;
    if (!seen.has(key))
      seen.set(key, { method: r.method, path: r.path, auth: authOf(r.method, r.path) });
  }
  // Deletions last: attacks on the other routes still find the fixture's rows.
  const rank = (r: Route) => `${r.method === 'DELETE' ? 1 : 0} ${r.path} ${r.method}`;
  return [...seen.values()].sort((a, b) => rank(a).localeCompare(rank(b)));
}

/** The value of a route parameter in the fixture (`:id` depends on the resource). */
export function paramValue(path: string, name: string, f: Fixture): string {
  switch (name) {
    case 'publicKey':
      return f.publicKey;
    case 'anonymousId':
      return f.anonymousId;
    case 'formId':
      return f.formId;
    case 'keyId':
      return f.keyId;
    case 'leadId':
      return f.leadId;
    default:
      if (path.startsWith('/v1/leads')) return f.leadId;
      if (path.startsWith('/v1/visitors')) return f.anonymousId;
      if (path.startsWith('/v1/forms')) return f.formId;
      if (path.startsWith('/v1/admin/sites')) return f.siteId;
      if (path.startsWith('/v1/webhooks')) return f.webhookId;
      if (path.startsWith('/v1/segments')) return f.segmentId;
      if (path.startsWith('/v1/scoring/jobs')) return f.jobId;
      return 'x';
  }
}

/** A route's path with each `:param` replaced (by the fixture, or by `value` when given). */
export function fillPath(path: string, f: Fixture, value?: (name: string) => string): string {
  return path.replace(/:(\w+)(\{[^}]*\})?/g, (_m, name: string) =>
    value ? value(name) : encodeURIComponent(paramValue(path, name, f)),
  );
}

/** A form using every part of a definition that holds text (attacks reach each of them). */
const formDefinition = {
  id: 'fuzz-form',
  name: 'Fuzz',
  kind: 'popup',
  trigger: { type: 'click', selector: '#demo' },
  targeting: { include: ['/pricing*'], exclude: ['/blog/*'], device: 'all' },
  fields: [
    { name: 'email', type: 'email', label: 'Email', required: true, placeholder: 'you@work' },
    {
      name: 'size',
      type: 'select',
      label: { en: 'Size', vi: 'Quy mô' },
      options: [{ value: 'small', label: 'Small' }],
    },
    { name: 'source', type: 'hidden', value: 'fuzz' },
  ],
  texts: { title: 'Hello', description: { en: 'Hi', vi: 'Chào' }, submit: 'Go', success: 'Ok' },
  theme: { '--tp-accent': '#0a58ca' },
};

/** A sample valid body per endpoint (`METHOD path`), built from the fixture. */
export const SAMPLES: Record<string, (f: Fixture) => unknown> = {
  'POST /v1/collect': (f) => ({
    site: f.publicKey,
    sentAt: Date.now(),
    events: [
      {
        id: `fz-${Math.random().toString(36).slice(2)}`,
        type: 'track',
        anonymousId: f.anonymousId,
        sessionId: 's-1',
        timestamp: Date.now(),
        url: 'https://www.example.com/p',
        name: 'Clicked',
        properties: { plan: 'pro', n: 1 },
      },
    ],
  }),
  'POST /v1/forms/:formId/submissions': (f) => ({
    site: f.publicKey,
    id: `sub-${Math.random().toString(36).slice(2)}`,
    anonymousId: f.anonymousId,
    sessionId: 's-1',
    values: { email: 'fuzz@example.com' },
    url: 'https://www.example.com/',
    elapsedMs: 5000,
    hp: '',
  }),
  'POST /v1/batch': () => ({
    batch: [
      { type: 'track', event: 'Signed Up', userId: 'u-1', properties: { plan: 'pro' } },
      { type: 'identify', userId: 'u-1', traits: { email: 'u1@example.com' } },
    ],
  }),
  'POST /v1/track': () => ({ userId: 'u-1', event: 'Order Completed', properties: { value: 10 } }),
  'POST /v1/identify': () => ({ userId: 'u-1', traits: { email: 'u1@example.com' } }),
  'POST /v1/page': () => ({ userId: 'u-1', name: 'Home', properties: { url: 'https://x.com/' } }),
  'PATCH /v1/leads/:id': () => ({ traits: { title: 'Director' } }),
  'POST /v1/leads/:id/stage': () => ({ stage: 'opportunity', reason: 'fuzz' }),
  'POST /v1/leads/:id/merge': (f) => ({ leadId: f.leadId }),
  'POST /v1/leads/:id/events': () => ({
    type: 'track',
    name: 'purchase',
    properties: { value: 10 },
  }),
  'PUT /v1/scoring': () => ({
    mqlThreshold: 50,
    halfLifeDays: 30,
    caps: { fit: 50, engagement: 100, total: 100 },
    fit: [{ id: 'w', label: 'W', trait: 'email', op: 'freeEmailDomain', value: false, points: 10 }],
    engagement: [
      { id: 'p', label: 'P', event: { type: 'pageview', url: '*/pricing*' }, points: 10 },
    ],
  }),
  'POST /v1/segments': () => ({ name: 'Hot', filter: { stage: 'mql', minScore: 50 } }),
  'POST /v1/webhooks': () => ({ url: 'https://hooks.example.com/tp', events: ['lead.created'] }),
  'POST /v1/forms': () => formDefinition,
  'PUT /v1/forms/:id': () => formDefinition,
  'POST /v1/admin/sites': () => ({ name: 'Fuzz', allowedOrigins: ['https://fuzz.example'] }),
  'POST /v1/admin/sites/:id/keys': () => ({ kind: 'public' }),
  // No allowedOrigins: the attacks on /v1/collect that follow must still come from an allowed one.
  'PATCH /v1/admin/sites/:id': () => ({
    name: 'Fuzz',
    botPolicy: 'flag',
    settings: { retentionDays: 395 },
  }),
};

/** The sample body of a route, `{}` when the table has none (new endpoints still get fuzzed). */
export function sampleBody(route: Route, f: Fixture): unknown {
  const make = SAMPLES[`${route.method} ${route.path}`];
  return make ? make(f) : {};
}

/** Headers that authenticate a request the way `route` expects, with the fixture's keys. */
export function authHeaders(route: Route, f: Fixture, adminToken: string): Record<string, string> {
  switch (route.auth) {
    case 'secret':
      return { authorization: `Bearer ${f.secretKey}` };
    case 'basic':
      return { authorization: `Basic ${Buffer.from(`${f.secretKey}:`).toString('base64')}` };
    case 'admin':
      return { authorization: `Bearer ${adminToken}` };
    case 'public':
      return { origin: 'https://www.example.com' };
    default:
      return {};
  }
}
