// @vitest-environment happy-dom
/**
 * The tag core: commands the page queued before the tag loaded, on a campaign landing page, share
 * the landing pageview's session (they used to start one of their own, and the pageview a second:
 * two sessions for one visit). One tag per file: a tag's listeners live as long as the window.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { boot } from '../../widget/boot.ts';
import { cleanPage, events, HOST, tick } from './tag-env.ts';

beforeEach(cleanPage);

describe('core: the stub queue on a campaign landing page', () => {
  it('runs the queued track in the landing session, then the pageview', async () => {
    history.replaceState({}, '', '/landing?utm_source=news&utm_campaign=nov');
    (window as unknown as { touchpoint: { q: unknown[][] } }).touchpoint = {
      q: [['track', 'video_play', { at: 3 }]],
    };
    boot({ site: 'pk_1', host: HOST });
    await tick();
    const list = await events();
    expect(list.map((e) => e.type)).toEqual(['track', 'pageview']);
    expect(new Set(list.map((e) => e.sessionId)).size).toBe(1);
  });
});
