// @vitest-environment happy-dom
/**
 * The tag core: Do Not Track. In happy-dom (no IndexedDB: the queue's memory
 * fallback runs; IndexedDB is covered in Chromium). The collector host is unreachable, so
 * everything stays queued for inspection. One tag per file: a tag's listeners live as long as
 * the window.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { start } from '../../widget/core.ts';
import { cleanPage, events, HOST, tick } from './tag-env.ts';

beforeEach(cleanPage);

describe('core', () => {
  it('respects Do Not Track unless told otherwise', async () => {
    Object.defineProperty(navigator, 'doNotTrack', { value: '1', configurable: true });
    const [, pageview] = start({ site: 'pk_1', host: HOST });
    pageview();
    await tick();
    expect(await events()).toEqual([]);
    // Nothing stored about the visitor either.
    expect(document.cookie).toBe('');
    expect(localStorage.length).toBe(0);
    const [, pageviewAnyway] = start({ site: 'pk_1', host: HOST, respectDnt: 'false' });
    pageviewAnyway();
    await tick();
    expect(await events()).toHaveLength(1);
    Object.defineProperty(navigator, 'doNotTrack', { value: null, configurable: true });
  });
});
