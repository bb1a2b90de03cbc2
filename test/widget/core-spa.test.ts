// @vitest-environment happy-dom
/**
 * The tag core: SPA pageview dedupe. In happy-dom (no IndexedDB: the queue's memory
 * fallback runs; IndexedDB is covered in Chromium). The collector host is unreachable, so
 * everything stays queued for inspection. One tag per file: a tag's listeners live as long as
 * the window.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { start } from '../../widget/core.ts';
import { cleanPage, events, HOST, tick } from './tag-env.ts';

beforeEach(cleanPage);

describe('core', () => {
  it('counts a pageview per route: SPA pushState yes, same route / hash / replaceState no', async () => {
    const [, pageview] = start({ site: 'pk_1', host: HOST });
    pageview();
    // Each navigation in its own tick, as a user clicks (a router's redirect within one tick
    // counts only where it lands).
    for (const [m, url] of [
      ['pushState', '/a'],
      ['pushState', '/a#x'],
      ['replaceState', '/a'],
      ['pushState', '/b?q=1'],
      ['replaceState', '/b?q=2'],
    ] as const) {
      history[m]({}, '', url);
      await tick();
    }
    const pv = (await events()).filter((e) => e.type === 'pageview');
    expect(pv.map((e) => new URL(e.url!).pathname + new URL(e.url!).search)).toEqual([
      '/start',
      '/a',
      '/b?q=1',
      '/b?q=2',
    ]);
    expect(pv[1]!.referrer).toContain('/start');
    // One visitor, one session, ids persisted and mirrored.
    expect(new Set(pv.map((e) => e.anonymousId)).size).toBe(1);
    expect(document.cookie).toContain(`_tp_id=${pv[0]!.anonymousId}`);
    expect(JSON.parse(localStorage._tp).id).toBe(pv[0]!.anonymousId);
  });
});
