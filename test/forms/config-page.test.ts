import { beforeAll, describe, expect, it } from 'vitest';
import type { FormDefinition } from '../../shared/forms.ts';
import { event } from '../helpers/app.ts';
import { suiteHarness } from '../helpers/fixture.ts';
import { storeCases } from '../helpers/stores.ts';

const form = (id: string, kind: FormDefinition['kind'], targeting?: FormDefinition['targeting']) =>
  ({
    id,
    name: id,
    kind,
    fields: [{ name: 'email', type: 'email', label: 'Email', required: true }],
    ...(targeting ? { targeting } : {}),
  }) as FormDefinition;

const FORMS = [
  form('inline', 'inline', { include: ['/nowhere'] }),
  form('blog', 'bar', { include: ['/blog/*'], exclude: ['*x=1'] }),
  form('pricing', 'popup', { include: ['/pricing*'] }),
  form('mobile', 'slide_in', { device: 'mobile' }),
];

/** The tag asks for its page: the collector answers only forms that may show there. */
describe.each(storeCases)('site config for one page on $name', (sc) => {
  const h = suiteHarness(sc);

  beforeAll(async () => {
    for (const f of FORMS)
      expect(
        (await h.secret('/v1/forms', { method: 'POST', body: JSON.stringify(f) })).status,
      ).toBe(201);
  });

  const ids = async (query: string) => {
    const res = await h.app.request(`/v1/sites/${h.site.publicKey}/config${query}`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(Object.keys(body).sort()).toEqual(['forms', 'settings']);
    return body.forms.map((f: FormDefinition) => f.id).sort();
  };
  const page = (url: string, device?: string) =>
    `?url=${encodeURIComponent(url)}${device ? `&device=${device}` : ''}`;

  it('answers every form without a page, as before', async () => {
    expect(await ids('')).toEqual(['blog', 'inline', 'mobile', 'pricing']);
  });

  it('keeps inline forms and the overlays targeting the URL and device', async () => {
    expect(await ids(page('https://a.com/blog/post', 'desktop'))).toEqual(['blog', 'inline']);
    expect(await ids(page('https://a.com/blog/post?x=1', 'desktop'))).toEqual(['inline']);
    expect(await ids(page('https://a.com/pricing?p=2', 'mobile'))).toEqual([
      'inline',
      'mobile',
      'pricing',
    ]);
    // No device: any device may match.
    expect(await ids(page('https://a.com/'))).toEqual(['inline', 'mobile']);
  });

  it('caches each page answer with its own ETag', async () => {
    const url = `/v1/sites/${h.site.publicKey}/config${page('https://a.com/blog/a', 'desktop')}`;
    const res = await h.app.request(url);
    const etag = res.headers.get('etag')!;
    expect(etag).toBeTruthy();
    const all = await h.app.request(`/v1/sites/${h.site.publicKey}/config`);
    expect(all.headers.get('etag')).not.toBe(etag);
    expect((await h.app.request(url, { headers: { 'if-none-match': etag } })).status).toBe(304);
  });

  it('rejects a bad device or an empty url with a problem naming the field', async () => {
    for (const [q, path] of [
      ['?url=https%3A%2F%2Fa.com%2F&device=tv', 'device'],
      ['?url=', 'url'],
    ]) {
      const res = await h.app.request(`/v1/sites/${h.site.publicKey}/config${q}`);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect((await res.json()).errors[0].path).toBe(path);
    }
  });
});

/**
 * The tag learns from the answer to a pageview whether a popup, slide-in or bar targets that
 * page (`Touchpoint-Forms: 1`, exposed to CORS): only then does it import the forms chunk.
 */
describe.each(storeCases)('overlay forms announced on the collect answer on $name', (sc) => {
  const h = suiteHarness(sc);

  beforeAll(async () => {
    for (const f of [
      form('inline', 'inline'),
      form('blog', 'bar', { include: ['/blog/*'], exclude: ['*x=1'] }),
      form('phones', 'slide_in', { include: ['/shop*'], device: 'mobile' }),
    ])
      expect(
        (await h.secret('/v1/forms', { method: 'POST', body: JSON.stringify(f) })).status,
      ).toBe(201);
  });

  const announced = async (events: ReturnType<typeof event>[]) => {
    const res = await h.collect(events);
    expect(res.status).toBe(202);
    expect(res.headers.get('access-control-expose-headers')).toContain('Touchpoint-Forms');
    return res.headers.get('touchpoint-forms');
  };
  const pv = (path: string) => event({ url: `https://www.example.com${path}` });

  it('says 1 only when the batch’s last pageview is targeted by an overlay (any device)', async () => {
    expect(await announced([pv('/blog/post')])).toBe('1');
    expect(await announced([pv('/blog/post?x=1')])).toBeNull();
    // Inline forms show in their placeholders; the tag finds those itself.
    expect(await announced([pv('/about')])).toBeNull();
    // Device is the chunk's decision: the collector cannot see the screen.
    expect(await announced([pv('/shop/shoes')])).toBe('1');
    expect(await announced([pv('/about'), pv('/blog/b')])).toBe('1');
    expect(await announced([pv('/blog/b'), pv('/about')])).toBeNull();
    expect(
      await announced([event({ type: 'track', name: 'x', url: 'https://www.example.com/blog/c' })]),
    ).toBeNull();
  });

  it('sees a form change at once, without waiting for the cache', async () => {
    expect(await announced([pv('/pricing')])).toBeNull();
    const put = await h.secret('/v1/forms/deal', {
      method: 'PUT',
      body: JSON.stringify(form('deal', 'popup', { include: ['/pricing'] })),
    });
    expect(put.status).toBe(201);
    expect(await announced([pv('/pricing')])).toBe('1');
    expect((await h.secret('/v1/forms/deal', { method: 'DELETE' })).status).toBe(204);
    expect(await announced([pv('/pricing')])).toBeNull();
  });
});
