import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../collector/store/index.ts';
import type { FormDefinition } from '../../shared/forms.ts';
import { harness } from '../helpers/app.ts';
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
  let store: Store;
  let close: () => Promise<void>;
  let h: Awaited<ReturnType<typeof harness>>;

  beforeAll(async () => {
    ({ store, close } = await sc.open());
    h = await harness(store);
    for (const f of FORMS)
      expect(
        (await h.secret('/v1/forms', { method: 'POST', body: JSON.stringify(f) })).status,
      ).toBe(201);
  });
  afterAll(() => close());

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
