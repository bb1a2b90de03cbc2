import { describe, expect, it } from 'vitest';
import { event } from '../helpers/app.ts';
import { suiteHarness } from '../helpers/fixture.ts';
import { storeCases } from '../helpers/stores.ts';
import { count, identitiesOf, leadOfAnon, ownerOf } from './helpers.ts';

const T0 = Date.parse('2026-01-10T10:00:00Z');
const min = 60_000;

describe.each(storeCases)('identity stitching (DESIGN §7) on $name', (sc) => {
  const h = suiteHarness(sc);

  const send = async (...events: ReturnType<typeof event>[]) => {
    const res = await h.collect(events, { sentAt: Date.now() });
    expect(res.status).toBe(202);
  };
  const identify = (anonymousId: string, traits: Record<string, unknown>, timestamp = Date.now()) =>
    event({ type: 'identify', anonymousId, traits, timestamp });

  it('case 1: nothing known → one new lead at stage lead, identifiers and browser linked', async () => {
    await send(
      event({ anonymousId: 'c1' }),
      identify('c1', { email: 'c1@example.com', name: 'Cee One' }),
    );
    const lead = await leadOfAnon(h.store, 'c1');
    expect(lead).not.toBeNull();
    expect(await ownerOf(h.store, 'email', 'c1@example.com')).toBe(lead);
    const { rows } = await h.store.query<{ stage: string; name: string; email: string }>(
      'select stage, name, email from leads where lead_id = $1',
      [lead],
    );
    expect(rows[0]).toEqual({ stage: 'lead', name: 'Cee One', email: 'c1@example.com' });
    const hist = await h.store.query<{
      from_stage: string;
      to_stage: string;
      actor: string;
      reason: string;
    }>(
      'select from_stage, to_stage, actor, reason from stage_history where lead_id = $1 order by seq',
      [lead],
    );
    expect(hist.rows).toEqual([
      { from_stage: 'visitor', to_stage: 'lead', actor: 'system', reason: 'identified' },
    ]);
    const hooks = await h.store.query<{ type: string }>(
      `select type from webhook_events where data->>'leadId' = $1 order by type`,
      [lead],
    );
    expect(hooks.rows.map((r) => r.type)).toEqual([
      'lead.created',
      'lead.identified',
      'lead.stage_changed',
    ]);
    expect(
      await count(h.store, `select count(*)::int as n from identity_audit where lead_id = $1`, [
        lead,
      ]),
    ).toBeGreaterThanOrEqual(3);
  });

  it('case 2: a known email on a second browser links that browser, its past included', async () => {
    await send(identify('c2-laptop', { email: 'c2@example.com' }));
    const lead = await leadOfAnon(h.store, 'c2-laptop');
    await send(event({ anonymousId: 'c2-phone', timestamp: T0 }));
    expect(await leadOfAnon(h.store, 'c2-phone')).toBeNull();
    await send(identify('c2-phone', { email: 'c2@example.com' }));
    expect(await leadOfAnon(h.store, 'c2-phone', new Date(T0 - 1000))).toBe(lead);
    expect(await count(h.store, 'select count(*)::int as n from leads')).toBe(2);
  });

  it('case 3: identifiers new to the browser’s lead are added to it', async () => {
    await send(identify('c3', { email: 'c3@example.com' }));
    const lead = await leadOfAnon(h.store, 'c3');
    await send(identify('c3', { userId: 'u-c3', plan: 'pro' }));
    expect(await identitiesOf(h.store, lead!)).toEqual(['email:c3@example.com', 'userId:u-c3']);
    const { rows } = await h.store.query<{ traits: Record<string, unknown> }>(
      'select traits from leads where lead_id = $1',
      [lead],
    );
    expect(rows[0]!.traits).toMatchObject({ email: 'c3@example.com', plan: 'pro' });
  });

  it('case 4: a browser of L1 identifying as L2 switches from then on, no merge', async () => {
    await send(identify('c4-other', { email: 'c4b@example.com' }));
    const l2 = await leadOfAnon(h.store, 'c4-other');
    const tIdentify = Date.now() - 10 * min;
    await send(identify('c4', { email: 'c4a@example.com' }, tIdentify - 30 * min));
    const l1 = await leadOfAnon(h.store, 'c4');
    const before = event({ anonymousId: 'c4', timestamp: tIdentify - 5 * min });
    await send(before, identify('c4', { email: 'c4b@example.com' }, tIdentify));
    const after = event({ anonymousId: 'c4', timestamp: tIdentify + min });
    await send(after);
    expect(l1).not.toBe(l2);
    expect(await identitiesOf(h.store, l1!)).toEqual(['email:c4a@example.com']);
    expect(await identitiesOf(h.store, l2!)).toEqual(['email:c4b@example.com']);
    expect(await leadOfAnon(h.store, 'c4', new Date(tIdentify - 5 * min))).toBe(l1);
    expect(await leadOfAnon(h.store, 'c4', new Date(tIdentify + min))).toBe(l2);
    expect(
      await count(h.store, 'select count(*)::int as n from leads where merged_into is not null'),
    ).toBe(0);
  });

  it('a second person typing a new email on a known browser gets a new lead, not the first one', async () => {
    await send(identify('c4n', { email: 'first@example.com' }, Date.now() - 60 * min));
    const first = await leadOfAnon(h.store, 'c4n');
    await send(identify('c4n', { email: 'second@example.com' }));
    const second = await leadOfAnon(h.store, 'c4n');
    expect(second).not.toBe(first);
    expect(await identitiesOf(h.store, first!)).toEqual(['email:first@example.com']);
    expect(await identitiesOf(h.store, second!)).toEqual(['email:second@example.com']);
  });

  it('normalizes email casing and whitespace into one lead', async () => {
    await send(identify('case-a', { email: '  Mixed.Case@Example.COM ' }));
    await send(identify('case-b', { email: 'mixed.case@example.com' }));
    const a = await leadOfAnon(h.store, 'case-a');
    expect(a).not.toBeNull();
    expect(await leadOfAnon(h.store, 'case-b')).toBe(a);
    expect(await identitiesOf(h.store, a!)).toEqual(['email:mixed.case@example.com']);
  });

  it('blocked values create nothing', async () => {
    const before = await count(h.store, 'select count(*)::int as n from leads');
    const blocked = [
      '',
      'null',
      'undefined',
      'Anonymous',
      '0',
      '-1',
      '[object Object]',
      'NaN',
      ' none ',
    ];
    await send(...blocked.map((v, i) => identify(`blocked-${i}`, { email: v, userId: v })));
    expect(await count(h.store, 'select count(*)::int as n from leads')).toBe(before);
    expect(
      await count(
        h.store,
        `select count(*)::int as n from anonymous_links where anonymous_id like 'blocked-%'`,
      ),
    ).toBe(0);
    expect(
      await count(
        h.store,
        `select count(*)::int as n from identities where value in ('null', '0', '-1', 'none', '')`,
      ),
    ).toBe(0);
  });

  it('an identify from a placeholder anonymous id still makes and finds the lead, linking no browser', async () => {
    const email = 'placeholder.id@example.com';
    const lead = async () => {
      const res = await h.secret(`/v1/leads?q=${encodeURIComponent(email)}`);
      expect(res.status).toBe(200);
      return (await res.json()).data as {
        id: string;
        stage: string;
        name: string;
        identities: unknown[];
        anonymousIds: string[];
      }[];
    };
    await send(identify('undefined', { email, name: 'Pla Ceholder' }));
    const [created] = await lead();
    expect(created).toMatchObject({ stage: 'lead', name: 'Pla Ceholder', anonymousIds: [] });

    // Another placeholder browser adds its userId to the same person; a real one stitches to it.
    await send(identify('0', { email: ` ${email.toUpperCase()}`, userId: 'u-placeholder' }));
    await send(identify('placeholder-real', { email }));
    expect(await lead()).toEqual([
      expect.objectContaining({
        id: created!.id,
        identities: expect.arrayContaining([
          { kind: 'email', value: email },
          { kind: 'userId', value: 'u-placeholder' },
        ]),
        anonymousIds: ['placeholder-real'],
      }),
    ]);
    expect(
      await count(
        h.store,
        `select count(*)::int as n from anonymous_links where anonymous_id in ('undefined', '0')`,
      ),
    ).toBe(0);
  });

  it('an email longer than 254 characters identifies nobody (the forms refuse it too)', async () => {
    const at254 = `${'x'.repeat(248)}@x.com`;
    await send(
      identify('long-255', { email: `y${at254}` }),
      identify('long-254', { email: at254.toUpperCase() }),
    );
    expect(await leadOfAnon(h.store, 'long-255')).toBeNull();
    expect(await ownerOf(h.store, 'email', at254)).toBe(await leadOfAnon(h.store, 'long-254'));
    expect(await leadOfAnon(h.store, 'long-254')).not.toBeNull();
  });

  const timelineUrls = async (leadId: string) => {
    const res = await h.secret(`/v1/leads/${leadId}/timeline?limit=200`);
    expect(res.status).toBe(200);
    return ((await res.json()).data as { url: string | null }[]).map((e) => e.url);
  };

  it('identify after anonymous browsing: the past and the future are in the timeline', async () => {
    const past = event({
      anonymousId: 'ab',
      timestamp: Date.now() - 3 * 86_400_000,
      url: 'https://www.example.com/past',
    });
    await send(past);
    await send(identify('ab', { email: 'ab@example.com' }));
    await send(event({ anonymousId: 'ab', url: 'https://www.example.com/future' }));
    const lead = await ownerOf(h.store, 'email', 'ab@example.com');
    expect(await leadOfAnon(h.store, 'ab', new Date(0))).toBe(lead);
    expect(await timelineUrls(lead!)).toEqual(
      expect.arrayContaining(['https://www.example.com/past', 'https://www.example.com/future']),
    );
  });

  it('identify before browsing: later visits on that browser and a second one join the lead', async () => {
    await send(identify('ib-1', { email: 'ib@example.com' }, Date.now() - 60 * min));
    await send(event({ anonymousId: 'ib-1', url: 'https://www.example.com/one' }));
    await send(
      event({
        anonymousId: 'ib-2',
        url: 'https://www.example.com/two',
        timestamp: Date.now() - 30 * min,
      }),
    );
    await send(identify('ib-2', { email: 'IB@example.com' }));
    const lead = await ownerOf(h.store, 'email', 'ib@example.com');
    expect(await timelineUrls(lead!)).toEqual(
      expect.arrayContaining(['https://www.example.com/one', 'https://www.example.com/two']),
    );
  });

  it('a late-arriving old event lands in the timeline of the lead it belonged to', async () => {
    await send(identify('late-other', { email: 'late-b@example.com' }));
    const tSwitch = Date.now() - 20 * min;
    await send(identify('late', { email: 'late-a@example.com' }, tSwitch - 60 * min));
    await send(identify('late', { email: 'late-b@example.com' }, tSwitch));
    const l1 = await ownerOf(h.store, 'email', 'late-a@example.com');
    const l2 = await ownerOf(h.store, 'email', 'late-b@example.com');
    // Sent after the switch, but it happened before it.
    await send(
      event({
        anonymousId: 'late',
        timestamp: tSwitch - 10 * min,
        url: 'https://www.example.com/old',
      }),
    );
    expect(await leadOfAnon(h.store, 'late', new Date(tSwitch - 10 * min))).toBe(l1);
    expect(l1).not.toBe(l2);
    expect(await timelineUrls(l1!)).toContain('https://www.example.com/old');
    expect(await timelineUrls(l2!)).not.toContain('https://www.example.com/old');
  });

  it('refuses, audits and logs a link past 100 anonymous ids per lead', async () => {
    await send(identify('cap-0', { email: 'cap@example.com' }));
    const lead = await leadOfAnon(h.store, 'cap-0');
    await h.store.query(
      `insert into anonymous_links (site_id, anonymous_id, valid_from, lead_id)
       select $1, 'cap-' || i, '-infinity', $2 from generate_series(1, 99) as i`,
      [h.site.site.id, lead],
    );
    await send(identify('cap-100', { email: 'cap@example.com' }));
    expect(await leadOfAnon(h.store, 'cap-100')).toBeNull();
    expect(
      await count(
        h.store,
        `select count(*)::int as n from identity_audit
          where lead_id = $1 and action = 'refused' and anonymous_id = 'cap-100'`,
        [lead],
      ),
    ).toBe(1);
    // A browser already linked keeps working.
    await send(identify('cap-5', { email: 'cap@example.com', plan: 'team' }));
    expect(await leadOfAnon(h.store, 'cap-5')).toBe(lead);
  });

  it('a userId and an email owned by two people never merge them (userId wins)', async () => {
    await send(identify('uw-1', { userId: 'uw-user' }));
    await send(identify('uw-2', { email: 'uw@example.com' }));
    const byUser = await ownerOf(h.store, 'userId', 'uw-user');
    const byEmail = await ownerOf(h.store, 'email', 'uw@example.com');
    await send(identify('uw-3', { userId: 'uw-user', email: 'uw@example.com' }));
    expect(await leadOfAnon(h.store, 'uw-3')).toBe(byUser);
    expect(await ownerOf(h.store, 'email', 'uw@example.com')).toBe(byEmail);
    expect(
      await count(
        h.store,
        `select count(*)::int as n from identity_audit where action = 'refused' and value = 'uw@example.com'`,
      ),
    ).toBe(1);
  });
});
