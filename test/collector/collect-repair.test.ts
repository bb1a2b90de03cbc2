/**
 * What a store cannot keep byte for byte — a lone UTF-16 surrogate (half an emoji, cut by a
 * page's own `slice`, sent by `JSON.stringify` as `"\ud83d"`), a NUL character, a byte order
 * mark starting a string — is repaired and recorded, never the reason a batch is refused: on
 * `/v1/collect`, form submissions and the Segment-compatible API, on both stores.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FormDefinition } from '../../shared/forms.ts';
import { pathsUnder, storableJson, storableText } from '../../shared/json-storable.ts';
import { event, ORIGIN } from '../helpers/app.ts';
import { suiteHarness } from '../helpers/fixture.ts';
import { storeCases } from '../helpers/stores.ts';

const FFFD = '\ufffd';

describe('making a parsed body storable', () => {
  it('repairs strings and keys at any depth, records their paths, keeps lengths', () => {
    const repaired: string[] = [];
    const out = storableJson(
      {
        ok: 'fine 😀',
        q: 'ab\ud83d',
        'k\udc00': 1,
        list: ['x', '\udfff'],
        deep: { deeper: { s: '\ud800\ud800' } },
      },
      'properties',
      repaired,
    );
    expect(out).toEqual({
      ok: 'fine 😀',
      q: `ab${FFFD}`,
      [`k${FFFD}`]: 1,
      list: ['x', FFFD],
      deep: { deeper: { s: FFFD + FFFD } },
    });
    expect(repaired).toEqual([
      'properties.q',
      `properties.k${FFFD}`,
      'properties.list.1',
      'properties.deep.deeper.s',
    ]);
  });

  it('returns what is well-formed as the same object, and keeps __proto__ as plain data', () => {
    const fine = JSON.parse('{"a":[1,{"b":"😀"}],"__proto__":{"x":1}}');
    const repaired: string[] = [];
    expect(storableJson(fine, '', repaired)).toBe(fine);
    expect(repaired).toEqual([]);
    const bad = JSON.parse('{"__proto__":{"polluted":"\\ud800"}}');
    const out = storableJson(bad, '', repaired) as Record<string, unknown>;
    expect(Object.hasOwn(out, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toEqual({ polluted: FFFD });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('replaces NUL by U+FFFD and removes byte order marks at the start of a string only', () => {
    const repaired: string[] = [];
    expect(
      storableJson(
        { name: 'a\u0000b', title: '\ufeff\ufeffHome', mid: 'a\ufeffb', '\u0000k': '\ufeff' },
        '',
        repaired,
      ),
    ).toEqual({ name: `a${FFFD}b`, title: 'Home', mid: 'a\ufeffb', [`${FFFD}k`]: '' });
    // The key and then its value, each at the repaired key's path.
    expect(repaired).toEqual(['name', 'title', `${FFFD}k`, `${FFFD}k`]);
    expect(storableText('\ufeffab\u0000\ud83d')).toBe(`ab${FFFD}${FFFD}`);
  });

  it('keeps the first of two keys that become equal', () => {
    const repaired: string[] = [];
    expect(storableJson({ '\ud800': 1, '\udc00': 2 }, '', repaired)).toEqual({ [FFFD]: 1 });
    expect(repaired).toEqual([FFFD, FFFD]);
  });

  it('survives a body nested 100,000 deep (the walk stops at 32 levels)', () => {
    const deep = JSON.parse(`${'['.repeat(100_000)}"\\ud800"${']'.repeat(100_000)}`);
    expect(() => storableJson(deep, '', [])).not.toThrow();
  });

  it('gives each event its own paths, relative to it', () => {
    const all = ['events.0.title', 'events.1.properties.q', 'events.10.url', 'site'];
    expect(pathsUnder(all, 'events.1.')).toEqual(['properties.q']);
    expect(pathsUnder(all, 'events.10.')).toEqual(['url']);
    expect(pathsUnder(all, 'events.2.')).toEqual([]);
  });
});

const contact: FormDefinition = {
  id: 'contact',
  name: 'Contact us',
  kind: 'inline',
  trigger: { type: 'load' },
  fields: [
    { name: 'email', type: 'email', label: 'Email', required: true },
    { name: 'name', type: 'text', label: 'Name' },
    { name: 'company', type: 'text', label: 'Company' },
  ],
};

interface Row {
  event_id: string;
  url: string | null;
  referrer: string | null;
  title: string | null;
  name: string | null;
  anonymous_id: string;
  properties: Record<string, unknown>;
  traits: Record<string, unknown> | null;
  context: { truncated?: string[]; repaired?: string[] };
}

/** One code unit or code point: any Unicode character, or half of a surrogate pair on its own. */
const unit = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
);
/** Any string, lone surrogates included (and NUL, and a leading U+FEFF). */
const anyString = fc.string({ unit, maxLength: 60 });

describe.each(storeCases)('unstorable strings on $name', (sc) => {
  const h = suiteHarness(sc);

  beforeAll(async () => {
    const res = await h.secret('/v1/forms', { method: 'POST', body: JSON.stringify(contact) });
    expect(res.status).toBe(201);
  });

  const rows = async (ids: string[]) =>
    (
      await h.store.query<Row>(
        `select event_id, url, referrer, title, name, anonymous_id, properties, traits, context
           from events where event_id = any($1::text[])`,
        [ids],
      )
    ).rows.sort((a, b) => ids.indexOf(a.event_id) - ids.indexOf(b.event_id));

  const metric = async (name: string) => {
    const text = await (await h.app.request('/metrics')).text();
    return [...text.matchAll(new RegExp(`^${name}\\{[^}]*\\} (\\d+)`, 'gm'))].reduce(
      (n, m) => n + Number(m[1]),
      0,
    );
  };

  it('POST /v1/collect: stores the batch repaired (U+FFFD for lone surrogates and NUL, no leading BOM), answers 202', async () => {
    const before = await metric('touchpoint_events_repaired_total');
    const bad = event({
      type: 'track',
      name: 'search\ud83d',
      title: 'Sale \ud83d',
      url: 'https://www.example.com/?q=\udc00',
      referrer: 'https://ref.example/\ud800',
      properties: { q: '🔎 shoes \ud83d', 'k\udfff': 'v', list: ['ok', '\ud800'] },
    });
    const who = event({
      type: 'identify',
      traits: { email: 'lan@example.com', name: 'Lan \ud83d' },
    });
    const good = event({ type: 'track', name: 'signup', properties: { plan: 'pro 😀' } });
    // A NUL from pasted binary, a byte order mark from a copied file's first line.
    const nul = event({
      type: 'track',
      name: 'paste\u0000d',
      title: '\ufeffPricing',
      properties: { note: 'a\u0000b', '\ufeffkey': 'v' },
    });
    const body = JSON.stringify({
      site: h.site.publicKey,
      sentAt: Date.now(),
      events: [bad, who, good, nul],
    });
    // What the tag sends: JSON.stringify writes a lone surrogate as an escape, not as bytes.
    expect(body).toContain('\\ud83d');
    const res = await h.app.request('/v1/collect', {
      method: 'POST',
      headers: { 'content-type': 'text/plain;charset=UTF-8', origin: ORIGIN },
      body,
    });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 4, duplicates: 0 });

    const [b, w, g, n] = await rows([bad.id, who.id, good.id, nul.id]);
    expect(b).toMatchObject({
      name: `search${FFFD}`,
      title: `Sale ${FFFD}`,
      url: `https://www.example.com/?q=${FFFD}`,
      referrer: `https://ref.example/${FFFD}`,
      properties: { q: `🔎 shoes ${FFFD}`, [`k${FFFD}`]: 'v', list: ['ok', FFFD] },
    });
    // In the order of the body (the test helper's keys first).
    expect(b!.context.repaired).toEqual([
      'url',
      'name',
      'title',
      'referrer',
      'properties.q',
      `properties.k${FFFD}`,
      'properties.list.1',
    ]);
    expect(w!.traits).toEqual({ email: 'lan@example.com', name: `Lan ${FFFD}` });
    expect(w!.context.repaired).toEqual(['traits.name']);
    expect(g!.properties).toEqual({ plan: 'pro 😀' });
    expect(g!.context.repaired).toBeUndefined();
    expect(n).toMatchObject({
      name: `paste${FFFD}d`,
      title: 'Pricing',
      properties: { note: `a${FFFD}b`, key: 'v' },
    });
    expect(n!.context.repaired).toEqual(['name', 'title', 'properties.note', 'properties.key']);
    expect((await metric('touchpoint_events_repaired_total')) - before).toBe(3);
  });

  it('POST /v1/forms/{formId}/submissions: stores the submission and its events repaired', async () => {
    const id = `sub-${Date.now().toString(36)}`;
    const res = await h.app.request('/v1/forms/contact/submissions', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN },
      body: JSON.stringify({
        site: h.site.publicKey,
        id,
        anonymousId: 'anon-form',
        url: 'https://www.example.com/contact?\ud800',
        elapsedMs: 8_000,
        hp: '',
        values: { email: 'ana@example.com', name: 'Ana \ud83d', company: '\ufeff\udc00Acme\u0000' },
      }),
    });
    expect(res.status).toBe(202);
    const sub = await h.store.query<{ field_values: Record<string, unknown>; url: string }>(
      'select field_values, url from form_submissions where submission_id = $1',
      [id],
    );
    expect(sub.rows[0]).toEqual({
      field_values: {
        email: 'ana@example.com',
        name: `Ana ${FFFD}`,
        company: `${FFFD}Acme${FFFD}`,
      },
      url: `https://www.example.com/contact?${FFFD}`,
    });
    const [identify, submit] = await rows([`${id}:identify`, `${id}:submit`]);
    expect(identify!.traits).toMatchObject({ name: `Ana ${FFFD}`, company: `${FFFD}Acme${FFFD}` });
    expect(identify!.context.repaired).toEqual(['url', 'values.name', 'values.company']);
    expect(submit!.context.repaired).toEqual(['url', 'values.name', 'values.company']);
  });

  const segment = (path: string, body: unknown) =>
    h.app.request(path, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${Buffer.from(`${h.site.secretKey}:`).toString('base64')}`,
      },
      body: JSON.stringify(body),
    });

  it('Segment API: stores a batch with lone surrogates and NUL, repaired, answers 200', async () => {
    const tag = Date.now().toString(36);
    const res = await segment('/v1/batch', {
      context: { page: { title: 'Home \ud83d' } },
      batch: [
        {
          type: 'track',
          messageId: `seg-bad-${tag}`,
          anonymousId: 'seg-a',
          event: 'Order \ud83d',
          properties: { note: '\udc00\u0000' },
        },
        { type: 'track', messageId: `seg-good-${tag}`, anonymousId: 'seg-a', event: 'Order' },
      ],
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const [bad, good] = await rows([`seg-bad-${tag}`, `seg-good-${tag}`]);
    expect(bad!.name).toBe(`Order ${FFFD}`);
    expect(bad!.properties).toEqual({ note: FFFD + FFFD });
    expect(bad!.context).toMatchObject({ page: { title: `Home ${FFFD}` } });
    expect(bad!.context.repaired).toEqual(['event', 'properties.note', 'context.page.title']);
    expect(good!.name).toBe('Order');

    const single = await segment('/v1/identify', {
      messageId: `seg-id-${tag}`,
      userId: 'u-surrogate',
      traits: { name: 'Bình \ud83d' },
    });
    expect(single.status).toBe(200);
    const [id] = await rows([`seg-id-${tag}`]);
    expect(id!.traits).toMatchObject({ name: `Bình ${FFFD}` });
    expect(id!.context.repaired).toEqual(['traits.name']);
  });

  it('Segment API: never splits an emoji where it cuts an id or a URL (was a 500)', async () => {
    // Cut to 128 and 2,048 characters by the mapping: with an emoji across the limit, `slice`
    // left its first half, a lone surrogate, and the insert failed.
    const messageId = `seg-cut-${Date.now().toString(36)}`;
    const res = await segment('/v1/page', {
      messageId,
      anonymousId: `${'a'.repeat(127)}😀`,
      properties: { url: `https://www.example.com/${'x'.repeat(2_023)}😀` },
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const [cut] = await rows([messageId]);
    expect(cut!.anonymous_id).toBe('a'.repeat(127));
    expect(cut!.url).toBe(`https://www.example.com/${'x'.repeat(2_023)}`);
  });

  it('property: any string as a property value or key is stored, repaired where it must be', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(anyString, anyString, async (value, key) => {
        const bad = event({
          id: `prop-${n++}-${Math.random().toString(36).slice(2)}`,
          type: 'track',
          name: 'p',
          // Built with fromEntries: a computed `__proto__` key would set the prototype instead.
          properties: Object.fromEntries([
            ['v', value],
            [key, 1],
          ]),
        });
        const good = event({ type: 'track', name: 'good' });
        const res = await h.collect([bad, good]);
        expect(res.status, await res.clone().text()).toBe(202);
        const k = storableText(key);
        const [b, g] = await rows([bad.id, good.id]);
        expect(g).toBeDefined();
        // A key that becomes `v` is that same key: the first value stays.
        if (k === 'v') return;
        expect(b!.properties.v).toBe(storableText(value));
        expect(b!.properties[k]).toBe(1);
        const expected = [
          ...(value === storableText(value) ? [] : ['properties.v']),
          ...(key === k ? [] : [`properties.${k}`]),
        ];
        expect(b!.context.repaired ?? []).toEqual(expected);
      }),
      { seed: 20_260_301, numRuns: 150 },
    );
  });
});
