/**
 * Every string of every endpoint's sample body, and every object key, replaced in turn by what a
 * store cannot keep byte for byte — a NUL, a lone surrogate, a leading byte order mark — never
 * gets a 5xx: the public and Segment routes repair it (stored, 2xx), the marketer and admin
 * routes refuse it at its field (400 naming the path). Exhaustive where the fuzz suite samples.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { migrate, openPGlite } from '../../collector/store/index.ts';
import { ADMIN_TOKEN } from '../helpers/app.ts';
import { authHeaders, discoverRoutes, fillPath, type Route, sampleBody } from './endpoints.ts';
import { securityFixture } from './fixture.ts';

const store = await openPGlite();
await migrate(store);
const { h, fixture } = await securityFixture(store);
afterAll(() => store.close());

const BAD = ['a\u0000b', '\ud800', '\ufeffx'];

type Path = (string | number)[];

/** Paths of every string value and every object key (`[..., key, KEY]`) in `v`. */
function leaves(v: unknown, at: Path = [], out: { path: Path; key: boolean }[] = []) {
  if (typeof v === 'string') out.push({ path: at, key: false });
  else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) {
      const p = [...at, Array.isArray(v) ? Number(k) : k];
      if (!Array.isArray(v)) out.push({ path: p, key: true });
      leaves(x, p, out);
    }
  return out;
}

/** A copy of `body` with the string (or key) at `path` made unstorable with `bad`. */
function spoil(body: unknown, path: Path, key: boolean, bad: string): unknown {
  const copy = structuredClone(body) as Record<string | number, unknown>;
  let parent = copy;
  for (const p of path.slice(0, -1)) parent = parent[p] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (key) {
    // The same key with `bad` in it, in the same place among the others.
    const entries = Object.entries(parent).map(([k, x]) =>
      k === last ? [`${k}${bad}`, x] : [k, x],
    );
    for (const k of Object.keys(parent)) delete parent[k];
    Object.assign(parent, Object.fromEntries(entries));
  } else parent[last] = `${parent[last] as string}${bad}`;
  return copy;
}

const routes = discoverRoutes(h.app).filter(
  (r) => r.method !== 'GET' && r.method !== 'DELETE' && leaves(sampleBody(r, fixture)).length,
);

describe('unstorable strings in every body (PGlite)', () => {
  it('has bodies to spoil', () => {
    expect(routes.map((r) => `${r.method} ${r.path}`)).toEqual(
      expect.arrayContaining(['POST /v1/collect', 'POST /v1/forms', 'POST /v1/batch']),
    );
  });

  it.each(routes.map((r) => [`${r.method} ${r.path}`, r] as const))(
    '%s: never a 5xx; a refusal names its field',
    async (_name, route: Route) => {
      let n = 0;
      /** The sample, with a form id of its own: the spoiled string must be all that is wrong. */
      const fresh = () => {
        const body = sampleBody(route, fixture) as Record<string, unknown>;
        if (route.path === '/v1/forms') body.id = `unstorable-${n}`;
        if (route.path === '/v1/forms/:id') body.id = fixture.formId;
        return body;
      };
      const send = (body: unknown) => {
        const headers = new Headers(authHeaders(route, fixture, ADMIN_TOKEN));
        headers.set('content-type', 'application/json');
        return h.app.request(fillPath(route.path, fixture), {
          method: route.method,
          headers,
          body: JSON.stringify(body),
        });
      };
      // The sample itself is accepted (the merge sample names the lead itself: 409 after
      // validation and lookup), so a spoiled copy reaches the same code.
      const ok = await send(fresh());
      expect(ok.status, await ok.text()).toBeLessThan(route.path.endsWith('/merge') ? 410 : 300);
      for (const { path, key } of leaves(fresh()))
        for (const bad of BAD) {
          n++;
          const res = await send(spoil(fresh(), path, key, bad));
          const text = await res.text();
          const at = `${route.method} ${route.path} ${key ? 'key' : 'value'} ${path.join('.')} ${JSON.stringify(bad)}`;
          expect(res.status, `${at} → ${text}`).toBeLessThan(500);
          if (res.status === 400 && !key) {
            const paths: string[] = JSON.parse(text).errors?.map((e: { path: string }) => e.path);
            expect(paths, `${at} → ${text}`).toBeDefined();
          }
        }
      expect(n).toBeGreaterThan(0);
    },
    120_000,
  );
});
