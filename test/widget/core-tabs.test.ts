// @vitest-environment happy-dom
/**
 * The tag core across tabs: the stored state is read once per task (start-up and the first
 * pageview share one read), and what another tab or subdomain stored meanwhile is taken in the
 * next task — the cookie winning over its localStorage mirror. happy-dom, memory queue.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { start } from '../../widget/core.ts';
import { cleanPage, events, HOST, tick } from './tag-env.ts';

beforeEach(cleanPage);

describe('core', () => {
  it("takes another tab's id and session in the next task, the cookie over its mirror", async () => {
    const [command, pageview] = start({ site: 'pk_1', host: HOST });
    pageview();
    await tick();
    const mine = JSON.parse(localStorage._tp);
    // Another tab reset the visitor: new id in the shared cookie, its mirror and session here.
    // biome-ignore lint/suspicious/noDocumentCookie: the test plays another tab
    document.cookie = '_tp_id=from-other-tab;path=/';
    localStorage._tp = JSON.stringify({
      ...mine,
      id: 'stale-mirror',
      s: { i: 'other-session', t: Date.now() },
    });
    command('track', 'after');
    await tick();
    const [first, after] = await events();
    expect(first!.anonymousId).toBe(mine.id);
    expect(after!.anonymousId).toBe('from-other-tab');
    expect(after!.sessionId).toBe('other-session');
    expect(JSON.parse(localStorage._tp).id).toBe('from-other-tab');
  });
});
