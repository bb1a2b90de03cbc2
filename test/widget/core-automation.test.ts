// @vitest-environment happy-dom
/**
 * The tag core: automation flag and email stripping. In happy-dom (no IndexedDB: the queue's memory
 * fallback runs; IndexedDB is covered in Chromium). The collector host is unreachable, so
 * everything stays queued for inspection. One tag per file: a tag's listeners live as long as
 * the window.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { start } from '../../widget/core.ts';
import { cleanPage, events, HOST, tick } from './tag-env.ts';

beforeEach(cleanPage);

describe('core', () => {
  it('flags automation instead of dropping it, and strips emails from URLs', async () => {
    Object.defineProperty(navigator, 'webdriver', { value: true, configurable: true });
    history.replaceState({}, '', '/thanks?email=jo@x.io');
    const [, pageview] = start({ site: 'pk_1', host: HOST });
    pageview();
    await tick();
    const [pv] = await events();
    expect(pv!.properties).toEqual({ webdriver: true });
    expect(pv!.url).not.toContain('jo@x.io');
  });
});
