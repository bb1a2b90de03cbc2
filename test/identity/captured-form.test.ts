import { describe, expect, it } from 'vitest';
import { event, ORIGIN } from '../helpers/app.ts';
import { suiteHarness } from '../helpers/fixture.ts';
import { storeCases } from '../helpers/stores.ts';

describe.each(storeCases)('a site form captured by the tag on $name', (sc) => {
  const h = suiteHarness(sc);

  it('identifies the visitor and stitches the anonymous history before it', async () => {
    const t = Date.now() - 60_000;
    await h.collect([event({ anonymousId: 'cap-1', timestamp: t, url: `${ORIGIN}/pricing` })]);
    const res = await h.collect([
      event({
        anonymousId: 'cap-1',
        type: 'form_submit',
        name: 'contact',
        timestamp: t + 30_000,
        traits: { email: ' Cap.Tured@Example.com ', name: 'Cap Tured' },
      }),
    ]);
    expect(res.status).toBe(202);
    const list = await (await h.secret('/v1/leads?q=cap.tured')).json();
    expect(list.data).toHaveLength(1);
    expect(list.data[0]).toMatchObject({ email: 'cap.tured@example.com', anonymousIds: ['cap-1'] });
    const timeline = await (await h.secret(`/v1/leads/${list.data[0].id}/timeline`)).json();
    expect(timeline.data.map((e: { type: string }) => e.type)).toEqual(['form_submit', 'pageview']);
  });

  it('a form_submit without traits identifies nobody', async () => {
    await h.collect([event({ anonymousId: 'cap-2', type: 'form_submit', name: 'x' })]);
    const { rows } = await h.deps.store.query(
      `select 1 from anonymous_links where anonymous_id = 'cap-2'`,
    );
    expect(rows).toHaveLength(0);
  });
});
