/**
 * The dashboard's Webhooks page in real Chromium: a refused URL shown at its field, an endpoint
 * added with its secret shown once, a real receiver getting a signed delivery the page then
 * lists, and deletion after confirmation.
 */
import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium } from '../helpers/browser.ts';
import { type Received, startReceiver } from '../webhooks/receiver.ts';
import { type DashboardRig, focused, SHOTS, startDashboard } from './dashboard-harness.ts';

/** True when `got` carries the README's signature made with `secret`, checked by hand. */
function signedWith(secret: string, got: Received): boolean {
  const [t, v1] = String(got.headers['touchpoint-signature'])
    .split(',')
    .map((p) => p.split('=')[1]);
  return createHmac('sha256', secret).update(`${t}.${got.body}`).digest('hex') === v1;
}

describe.skipIf(!hasChromium)('dashboard: webhooks', () => {
  let rig: DashboardRig;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const secretHeaders = () => ({
    authorization: `Bearer ${rig.collector.site.secretKey}`,
    'content-type': 'application/json',
  });

  beforeAll(async () => {
    rig = await startDashboard();
    receiver = await startReceiver();
  });
  afterAll(async () => {
    delete process.env.TOUCHPOINT_WEBHOOKS_ALLOW_PRIVATE;
    await receiver?.close();
    await rig?.close();
  });

  it('refuses a private address at the URL field', async () => {
    delete process.env.TOUCHPOINT_WEBHOOKS_ALLOW_PRIVATE;
    const { page } = await rig.signedIn();
    await page
      .getByRole('navigation', { name: 'Sections' })
      .getByRole('link', { name: 'Webhooks' })
      .click();
    await page.getByRole('heading', { name: 'Webhooks' }).waitFor();
    await page.getByLabel('URL').fill('http://127.0.0.1:9/hook');
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    const url = page.getByLabel('URL');
    await expect.poll(() => url.getAttribute('aria-invalid')).toBe('true');
    const error = await page
      .locator(`#${await url.getAttribute('aria-describedby')}`)
      .textContent();
    expect(error).toMatch(/private destinations are disabled/);
    await page.close();
  });

  it('adds an endpoint, shows its secret once, and lists the signed delivery it got', async () => {
    // The receiver runs on this machine: allow private destinations for this test only.
    process.env.TOUCHPOINT_WEBHOOKS_ALLOW_PRIVATE = '1';
    const { page, dialogs } = await rig.signedIn(1280, true);
    await page.goto(`${rig.url}/dashboard/#/webhooks`);
    await page.getByLabel('URL').fill(receiver.url);
    // lead.stage_changed is chosen by default; form.submitted added.
    await page.getByRole('checkbox', { name: /form\.submitted/ }).check();
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    const secret = (await page.locator('.secret > code').textContent()) ?? '';
    expect(secret.length).toBeGreaterThan(20);
    await expect.poll(() => focused(page)).toBe(`code:${secret}`);
    await page.locator('.endpoints li').first().waitFor();
    expect(await page.locator('.endpoints li').first().textContent()).toContain(receiver.url);

    // A sales move: the endpoint is told, signed with the secret the page showed.
    const { rows } = await rig.collector.store.query<{ lead_id: string }>(
      `select lead_id from leads where site_id = $1 and stage = 'mql' order by lead_id limit 1`,
      [rig.collector.site.id],
    );
    const moved = await fetch(`${rig.collector.url}/v1/leads/${rows[0]!.lead_id}/stage`, {
      method: 'POST',
      headers: secretHeaders(),
      body: JSON.stringify({ stage: 'sql' }),
    });
    expect(moved.status).toBe(200);
    await expect.poll(() => receiver.received.length, { timeout: 15_000 }).toBeGreaterThan(0);
    const got = receiver.received[0]!;
    expect(signedWith(secret, got)).toBe(true);
    expect(JSON.parse(got.body)).toMatchObject({ type: 'lead.stage_changed' });

    // The page shows it delivered (after a reload: the list is read when opened).
    await page.reload();
    await page.getByRole('button', { name: 'Show deliveries' }).click();
    const table = page.getByRole('table', { name: 'Deliveries' });
    await expect
      .poll(() => table.locator('tbody tr').first().textContent(), { timeout: 10_000 })
      .toMatch(/lead\.stage_changed\s*delivered/);
    // The secret is not shown again.
    expect(await page.locator('.secret').count()).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'webhooks-1280.png'), fullPage: true });

    await page.getByRole('button', { name: `Delete ${receiver.url}` }).click();
    await page.getByText('No endpoints yet').waitFor();
    expect(dialogs[0]).toContain(`Delete the endpoint ${receiver.url}?`);
    const left = await fetch(`${rig.collector.url}/v1/webhooks`, { headers: secretHeaders() });
    expect(((await left.json()) as { data: unknown[] }).data).toEqual([]);
    await page.close();
  });

  it('sends a test event from the page, and a failed delivery again', async () => {
    process.env.TOUCHPOINT_WEBHOOKS_ALLOW_PRIVATE = '1';
    const hook = await startReceiver();
    try {
      const added = await fetch(`${rig.collector.url}/v1/webhooks`, {
        method: 'POST',
        headers: secretHeaders(),
        body: JSON.stringify({ url: hook.url, events: ['lead.merged'] }),
      });
      expect(added.status).toBe(201);
      const { page, dialogs } = await rig.signedIn(1280, true);
      await page.goto(`${rig.url}/dashboard/#/webhooks`);
      await page.getByRole('button', { name: `Send a test event to ${hook.url}` }).click();
      const item = page.locator('.endpoints li', { hasText: hook.url });
      await expect
        .poll(() => item.getByRole('status').first().textContent())
        .toContain('Test event queued');
      await expect.poll(() => hook.received.length, { timeout: 15_000 }).toBe(1);
      const sent = JSON.parse(hook.received[0]!.body) as { id: string; type: string };
      expect(sent.type).toBe('webhook.test');

      // A day of outage, as the worker records it: the delivery failed.
      await rig.collector.store.query(
        `update webhook_deliveries set status = 'failed' where event_id = $1`,
        [sent.id],
      );
      await page.reload();
      await item.getByRole('button', { name: 'Show deliveries' }).click();
      const again = item.getByRole('button', {
        name: /^Send the webhook\.test delivery of .* again$/,
      });
      await again.click();
      await expect.poll(() => item.getByRole('table').textContent()).toContain('pending');
      await expect.poll(() => hook.received.length, { timeout: 15_000 }).toBe(2);
      expect(JSON.parse(hook.received[1]!.body).id).toBe(sent.id);
      await page.screenshot({ path: join(SHOTS, 'webhooks-again-1280.png'), fullPage: true });

      // A new signing secret, after a confirmation: shown once, focused, and used from now on.
      await item.getByRole('button', { name: `Give ${hook.url} a new signing secret` }).click();
      const shown = item.locator('.secret > code');
      const fresh = (await shown.textContent()) ?? '';
      expect(fresh).toMatch(/^whsec_/);
      await expect.poll(() => focused(page)).toBe(`code:${fresh}`);
      await item.getByRole('button', { name: `Send a test event to ${hook.url}` }).click();
      await expect.poll(() => hook.received.length, { timeout: 15_000 }).toBe(3);
      const last = hook.received[2]!;
      expect(signedWith(fresh, last)).toBe(true);
      expect(dialogs).toEqual([
        `Give ${hook.url} a new signing secret? Every delivery from now on is signed with it: your receiver must check with the new one.`,
      ]);
      await page.close();
    } finally {
      await hook.close();
    }
  });

  it('changes an endpoint’s URL and events in place, with a refused URL shown at its field', async () => {
    delete process.env.TOUCHPOINT_WEBHOOKS_ALLOW_PRIVATE;
    const added = await fetch(`${rig.collector.url}/v1/webhooks`, {
      method: 'POST',
      headers: secretHeaders(),
      body: JSON.stringify({ url: 'https://hooks.example.com/old', events: ['lead.merged'] }),
    });
    const { id } = (await added.json()) as { id: string };
    const { page } = await rig.signedIn();
    await page.goto(`${rig.url}/dashboard/#/webhooks`);
    const item = page.locator('.endpoints li', { hasText: 'https://hooks.example.com/old' });
    await item.getByRole('button', { name: 'Change https://hooks.example.com/old' }).click();
    const form = page.getByRole('form', { name: 'Change https://hooks.example.com/old' });
    const url = form.getByLabel('URL');
    await url.fill('http://127.0.0.1:9/inside');
    await form.getByRole('checkbox', { name: /lead\.created/ }).check();
    await form.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => url.getAttribute('aria-invalid')).toBe('true');
    expect(
      await page.locator(`[id="${await url.getAttribute('aria-describedby')}"]`).textContent(),
    ).toMatch(/private destinations are disabled/);
    // The add form's URL field is another field: not marked.
    expect(
      await page
        .getByRole('form', { name: 'Add a webhook endpoint' })
        .getByLabel('URL')
        .getAttribute('aria-invalid'),
    ).toBeNull();

    await url.fill('https://hooks.example.com/new');
    await form.getByRole('button', { name: 'Save' }).click();
    await page.locator('.endpoints li', { hasText: 'https://hooks.example.com/new' }).waitFor();
    const list = await fetch(`${rig.collector.url}/v1/webhooks`, { headers: secretHeaders() });
    expect(((await list.json()) as { data: unknown[] }).data).toContainEqual(
      expect.objectContaining({
        id,
        url: 'https://hooks.example.com/new',
        events: ['lead.merged', 'lead.created'],
      }),
    );
    await page.close();
  });

  it('fits a 375 px phone, each of an endpoint’s actions on one line', async () => {
    const added = await fetch(`${rig.collector.url}/v1/webhooks`, {
      method: 'POST',
      headers: secretHeaders(),
      body: JSON.stringify({ url: 'https://hooks.example.com/phone', events: ['lead.merged'] }),
    });
    expect(added.status).toBe(201);
    const { page } = await rig.signedIn(375);
    await page.goto(`${rig.url}/dashboard/#/webhooks`);
    await page.getByLabel('URL').waitFor();
    const actions = page.locator('.endpoints li .actions button');
    await actions.first().waitFor();
    const heights = await actions.evaluateAll((bs) =>
      bs.map((b) => b.getBoundingClientRect().height),
    );
    expect(Math.max(...heights)).toBeLessThan(1.5 * Math.min(...heights));
    expect(
      await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      ),
    ).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(SHOTS, 'webhooks-375.png'), fullPage: true });
    await page.close();
  });
});
