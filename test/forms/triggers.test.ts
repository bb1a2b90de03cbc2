// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { memory } from '../../widget/forms/memory.ts';
import { arm } from '../../widget/forms/triggers.ts';

const mouseout = (clientY: number, relatedTarget: Element | null) =>
  document.dispatchEvent(new MouseEvent('mouseout', { clientY, relatedTarget, bubbles: true }));

describe('arming triggers', () => {
  afterEach(() => vi.useRealTimers());

  it('load and pageviews fire at once (pageviews only from the n-th view)', () => {
    const show = vi.fn();
    arm({ type: 'load' }, show, 1, false);
    arm({ type: 'pageviews', count: 3 }, show, 2, false);
    expect(show).toHaveBeenCalledTimes(1);
    arm({ type: 'pageviews', count: 3 }, show, 3, false);
    expect(show).toHaveBeenCalledTimes(2);
  });

  it('delay fires after the seconds, and not when disarmed', () => {
    vi.useFakeTimers();
    const show = vi.fn();
    arm({ type: 'delay', seconds: 5 }, show, 1, false);
    const off = arm({ type: 'delay', seconds: 5 }, show, 1, false);
    off();
    vi.advanceTimersByTime(4_900);
    expect(show).not.toHaveBeenCalled();
    vi.advanceTimersByTime(200);
    expect(show).toHaveBeenCalledTimes(1);
  });

  it('desktop exit intent fires once when leaving through the top, not onto a link', () => {
    const show = vi.fn();
    const off = arm({ type: 'exit_intent' }, show, 1, false);
    const link = document.createElement('a');
    document.body.append(link);
    mouseout(-1, link);
    mouseout(400, null);
    expect(show).not.toHaveBeenCalled();
    mouseout(-1, null);
    mouseout(-1, null);
    expect(show).toHaveBeenCalledTimes(1);
    off();
  });

  it('click fires for the selector (and its children), every time, without navigating', () => {
    document.body.innerHTML = '<a href="/contact" class="cta"><b>Talk to sales</b></a><p>other</p>';
    const show = vi.fn();
    const off = arm({ type: 'click', selector: '.cta' }, show, 1, false);
    const ev = new MouseEvent('click', { bubbles: true, cancelable: true });
    document.querySelector('b')!.dispatchEvent(ev);
    expect(ev.defaultPrevented).toBe(true);
    document.querySelector('p')!.click();
    document.querySelector('b')!.click();
    expect(show).toHaveBeenCalledTimes(2);
    off();
    const bad = vi.fn();
    const off2 = arm({ type: 'click', selector: '[[[' }, bad, 1, false);
    document.querySelector('p')!.click();
    expect(bad).not.toHaveBeenCalled();
    off2();
  });
});

describe('form memory', () => {
  it('survives a reload (localStorage) and counts page views', () => {
    const m = memory('pk_test');
    m.update('demo', { shownAt: 5, shownSession: 's1' });
    m.learn(['email']);
    expect(m.pageview()).toBe(1);
    const again = memory('pk_test');
    expect(again.form('demo')).toEqual({ shownAt: 5, shownSession: 's1' });
    expect(again.data.k).toEqual({ email: true });
    expect(again.pageview()).toBe(2);
    expect(memory('pk_other').form('demo')).toEqual({});
  });

  it('starts afresh from unreadable storage', () => {
    localStorage.setItem('tp_forms_pk_bad', '{nope');
    expect(memory('pk_bad').form('x')).toEqual({});
  });
});
