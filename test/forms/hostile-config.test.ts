/**
 * The public config route against a stranger: it must not tell which server-side users exist
 * (`uid:` ids), must not read a repeated parameter as its first value, and one site's targeting
 * globs must not make it (or ingest) slow for everyone.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { targetsPage } from '../../collector/forms/config.ts';
import type { FormDefinition, FormTargeting } from '../../shared/forms.ts';
import { targetingMatches } from '../../shared/forms-rules.ts';
import { event } from '../helpers/app.ts';
import { suiteHarness } from '../helpers/fixture.ts';
import { storeCases } from '../helpers/stores.ts';

const signup: FormDefinition = {
  id: 'signup',
  name: 'Sign up',
  kind: 'inline',
  fields: [
    { name: 'email', type: 'email', label: 'Email', required: true },
    { name: 'company', type: 'text', progressive: true },
  ],
};

/** The audit's popups: 50 includes each of `*` + 495 `a` + two digits, none matching. */
const slowPopup = (n: number): FormDefinition => ({
  id: `slow-${n}`,
  name: `Slow ${n}`,
  kind: 'popup',
  fields: [{ name: 'email', type: 'email' }],
  targeting: {
    include: Array.from(
      { length: 50 },
      (_, i) => `*${'a'.repeat(495)}b${String(n * 50 + i).padStart(2, '0')}`,
    ),
    // Long literals with a `b` deep inside: slow for `indexOf`, tried on the path too.
    exclude: Array.from({ length: 50 }, (_, i) => `/*${'a'.repeat(32)}b${'a'.repeat(400)}*${i}`),
  },
});

describe.each(storeCases)('public site config against strangers on $name', (sc) => {
  const h = suiteHarness(sc);

  const config = (query: string) => h.app.request(`/v1/sites/${h.site.publicKey}/config${query}`);

  const expectProblem = async (res: Response, path: string) => {
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const body = await res.json();
    expect(body.errors.map((e: { path: string }) => e.path)).toContain(path);
    return body;
  };

  beforeAll(async () => {
    expect(
      (await h.secret('/v1/forms', { method: 'POST', body: JSON.stringify(signup) })).status,
    ).toBe(201);
    // A server-side user: the site's backend identified them through the Segment API, so their
    // events are stored under the collector's own id `uid:secretuser`.
    const res = await h.app.request('/v1/batch', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${Buffer.from(`${h.site.secretKey}:`).toString('base64')}`,
      },
      body: JSON.stringify({
        batch: [
          {
            type: 'identify',
            messageId: 'identify-secretuser',
            userId: 'secretuser',
            traits: { email: 'secret@example.com', company: 'Secret Co' },
          },
        ],
      }),
    });
    expect(res.status).toBe(200);
  });

  it('refuses server-side anonymous ids, known or not, with the same problem', async () => {
    const known = await expectProblem(await config('?anonymousId=uid:secretuser'), 'anonymousId');
    const unknown = await expectProblem(await config('?anonymousId=uid:nosuch'), 'anonymousId');
    expect(known).toEqual(unknown);
    expect(JSON.stringify(known)).not.toContain('"known"');
    await expectProblem(await config('?anonymousId=lead:lead_abc'), 'anonymousId');
    // A browser id still gets its (empty) knowledge.
    const browser = await config('?anonymousId=browser-1');
    expect(browser.status).toBe(200);
    expect((await browser.json()).visitor).toEqual({ known: {}, identified: false });
  });

  it('answers 400 naming a parameter given twice', async () => {
    const url = encodeURIComponent('https://a.com/');
    for (const [query, path] of [
      ['?anonymousId=a&anonymousId=b', 'anonymousId'],
      [`?url=${url}&url=${url}`, 'url'],
      [`?url=${url}&device=mobile&device=desktop`, 'device'],
    ] as const) {
      await expectProblem(await config(query), path);
    }
    // Parameters the route does not read are ignored, as on every route.
    expect((await config('?x=1&x=2')).status).toBe(200);
  });

  it('still checks lengths and the device', async () => {
    await expectProblem(await config('?anonymousId='), 'anonymousId');
    await expectProblem(await config(`?anonymousId=${'a'.repeat(129)}`), 'anonymousId');
    await expectProblem(await config(`?url=${'a'.repeat(4097)}`), 'url');
    await expectProblem(await config('?url=https%3A%2F%2Fa.com%2F&device=tv'), 'device');
    expect((await config(`?url=${'a'.repeat(4096)}&anonymousId=${'a'.repeat(128)}`)).status).toBe(
      200,
    );
  });

  // Backtracking took about 1.6 s per request here, so these 5 requests would take 8 s.
  it('answers the config at once despite hostile targeting globs', { timeout: 5_000 }, async () => {
    for (let n = 0; n < 5; n++)
      expect(
        (await h.secret('/v1/forms', { method: 'POST', body: JSON.stringify(slowPopup(n)) }))
          .status,
      ).toBe(201);
    for (let i = 0; i < 5; i++) {
      const res = await config(`?url=${'a'.repeat(4000)}`);
      expect(res.status).toBe(200);
      expect((await res.json()).forms.map((f: FormDefinition) => f.id)).toEqual(['signup']);
    }
    // Ingest asks the same question on every pageview batch (`Touchpoint-Forms`).
    const res = await h.collect([event({ url: `https://www.example.com/${'a'.repeat(2000)}` })]);
    expect(res.status).toBe(202);
    expect(res.headers.get('touchpoint-forms')).toBeNull();
  });
});

describe('the collector’s targeting', () => {
  const unit = fc.constantFrom('a', 'A', '/', '?', '#', '*', '.', '=');
  const glob = fc.string({ unit, maxLength: 8 });
  const targeting: fc.Arbitrary<FormTargeting> = fc.record(
    {
      include: fc.array(glob, { maxLength: 3 }),
      exclude: fc.array(glob, { maxLength: 3 }),
      device: fc.constantFrom('all', 'desktop', 'mobile'),
    },
    { requiredKeys: [] },
  );
  const url = fc.oneof(
    fc.string({ unit, maxLength: 10 }).map((p) => `https://x.com/${p}`),
    fc.string({ unit, maxLength: 10 }),
  );

  it('agrees with the forms chunk’s targetingMatches (property)', () => {
    fc.assert(
      fc.property(
        fc.option(targeting, { nil: undefined }),
        url,
        fc.constantFrom(undefined, 'desktop' as const, 'mobile' as const),
        (t, u, device) => {
          const want = device
            ? targetingMatches(t, u, device)
            : targetingMatches(t && { ...t, device: undefined }, u, 'desktop');
          expect(targetsPage(t, u, device)).toBe(want);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
