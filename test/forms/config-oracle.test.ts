/**
 * The public site config must not tell a stranger whether an email is a lead: what it reports
 * as known for a browser comes only from what that browser itself sent.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createSite } from '../../collector/sites/index.ts';
import type { FormDefinition } from '../../shared/forms.ts';
import { event, ORIGIN } from '../helpers/app.ts';
import { suiteHarness } from '../helpers/fixture.ts';
import { storeCases } from '../helpers/stores.ts';

const signup: FormDefinition = {
  id: 'signup',
  name: 'Sign up',
  kind: 'inline',
  fields: [
    { name: 'email', type: 'email', label: 'Email', required: true },
    { name: 'name', type: 'text', progressive: true },
    { name: 'company', type: 'text', progressive: true, required: true },
    { name: 'phone', type: 'tel', progressive: true },
    { name: 'consent', type: 'consent', required: true, label: 'I agree to be contacted.' },
  ],
};

let seq = 0;

describe.each(storeCases)('site config privacy on $name', (sc) => {
  const h = suiteHarness(sc);
  /** Public and secret key of the site where the victim's email is known, and of one where it is not. */
  let known: { publicKey: string; secretKey: string };
  let unknown: { publicKey: string; secretKey: string };

  const withSecret = (secretKey: string, path: string, init: RequestInit = {}) =>
    h.app.request(path, {
      ...init,
      headers: { authorization: `Bearer ${secretKey}`, 'content-type': 'application/json' },
    });

  const submit = (publicKey: string, anonymousId: string, values: Record<string, unknown>) =>
    h.app.request('/v1/forms/signup/submissions', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN },
      body: JSON.stringify({
        site: publicKey,
        id: `oracle-${Date.now().toString(36)}-${++seq}`,
        anonymousId,
        url: 'https://www.example.com/signup',
        elapsedMs: 9_000,
        hp: '',
        values,
      }),
    });

  const config = (publicKey: string, anonymousId: string) =>
    h.app.request(`/v1/sites/${publicKey}/config?anonymousId=${anonymousId}`);

  beforeAll(async () => {
    known = { publicKey: h.site.publicKey, secretKey: h.site.secretKey };
    unknown = await createSite(h.store, { name: 'Twin', allowedOrigins: [ORIGIN] });
    for (const s of [known, unknown]) {
      const res = await withSecret(s.secretKey, '/v1/forms', {
        method: 'POST',
        body: JSON.stringify(signup),
      });
      expect(res.status).toBe(201);
    }
    // On the first site the victim signed up from their laptop and told the tag their phone.
    const victim = {
      email: 'victim@example.com',
      name: 'Vy',
      company: 'Victim Co',
      consent: true,
    };
    expect((await submit(known.publicKey, 'victim-laptop', victim)).status).toBe(202);
    const identify = event({
      type: 'identify',
      anonymousId: 'victim-laptop',
      traits: { email: 'victim@example.com', phone: '+84 90 123 4567' },
    });
    expect((await h.collect([identify])).status).toBe(202);
  });

  it('answers a stranger who typed a known email exactly as one who typed an unknown email', async () => {
    // The attack: someone else's email from a fresh browser, then the config for that browser.
    const typed = { email: ' Victim@Example.com ', consent: true };
    for (const s of [known, unknown])
      expect((await submit(s.publicKey, 'stranger', typed)).status).toBe(202);
    // Stitching did link the stranger's browser to the victim's lead on the first site…
    const lead = await h.secret(`/v1/leads?q=${encodeURIComponent('victim@example.com')}`);
    const [victimLead] = (await lead.json()).data;
    expect(victimLead.traits).toMatchObject({ company: 'Victim Co', phone: '+84 90 123 4567' });
    expect(victimLead.anonymousIds).toEqual(expect.arrayContaining(['victim-laptop', 'stranger']));

    // …yet both sites answer byte for byte the same: only what the stranger sent is known.
    const a = await config(known.publicKey, 'stranger');
    const b = await config(unknown.publicKey, 'stranger');
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.headers.get('etag')).toBe(b.headers.get('etag'));
    const [textA, textB] = [await a.text(), await b.text()];
    expect(textA).toBe(textB);
    expect(JSON.parse(textA).visitor).toEqual({
      known: { email: true, consent: true },
      identified: true,
    });
  });

  it('still skips what a returning visitor sent from the same browser', async () => {
    const res = await config(known.publicKey, 'victim-laptop');
    expect((await res.json()).visitor).toEqual({
      known: { email: true, name: true, company: true, phone: true, consent: true },
      identified: true,
    });
  });

  it('counts what a browser told the tag through identify, without any form', async () => {
    const identify = event({
      type: 'identify',
      anonymousId: 'tag-only',
      traits: { email: 'tag@example.com', company: 'Tag Co' },
    });
    expect((await h.collect([identify])).status).toBe(202);
    const res = await config(known.publicKey, 'tag-only');
    expect((await res.json()).visitor).toEqual({
      known: { email: true, company: true },
      identified: true,
    });
  });
});
