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

  describe('touch exit intent', () => {
    /** A touch event as a browser sends it: the finger at (x, y), lifted on `touchend`. */
    const touch = (type: string, x: number, y = 300) => {
      const at = { clientX: x, clientY: y } as Touch;
      document.dispatchEvent(
        new TouchEvent(type, {
          touches: type === 'touchend' ? [] : [at],
          changedTouches: [at],
          bubbles: true,
        }),
      );
    };
    /** The page scrolls to `y` after `ms` (a scroll event, as the browser sends it). */
    const scrollAfter = (ms: number, y: number) => {
      vi.advanceTimersByTime(ms);
      scrollTo(0, y);
      window.dispatchEvent(new Event('scroll'));
    };
    /** A reader far down the page, 2 s after loading it. */
    const reader = () => {
      vi.useFakeTimers({ toFake: ['Date', 'setTimeout'] });
      scrollTo(0, 0);
      const show = vi.fn();
      const off = arm({ type: 'exit_intent' }, show, 1, true);
      scrollAfter(1_000, 3000);
      scrollAfter(1_000, 3000);
      return { show, off };
    };

    it('a finger flicking the page far up fires, the glide after it included', () => {
      const { show, off } = reader();
      touch('touchstart', 200, 200);
      touch('touchmove', 200, 400);
      touch('touchend', 200);
      // 768 px viewport: more than 192 px in 100 ms.
      scrollAfter(50, 2850);
      expect(show).not.toHaveBeenCalled();
      scrollAfter(50, 2700);
      expect(show).toHaveBeenCalledTimes(1);
      off();
    });

    it('a "back to top" link, a script or a slow drag back never fires', () => {
      const { show, off } = reader();
      // The link is tapped right after a flick down the page: no finger moves it up.
      touch('touchstart', 200, 400);
      touch('touchmove', 200, 200);
      touch('touchend', 200);
      touch('touchstart', 100, 600);
      touch('touchend', 100);
      document.body.click();
      for (let y = 2600; y >= 0; y -= 400) scrollAfter(20, y);
      expect(show).not.toHaveBeenCalled();
      // A script jumps back up, instantly: no finger involved.
      scrollAfter(2_000, 3000);
      scrollAfter(2_000, 3000);
      scrollAfter(10, 0);
      // The reader drags back 200 px over 150 ms to re-read a paragraph.
      scrollAfter(2_000, 3000);
      touch('touchstart', 200, 200);
      for (let i = 1; i <= 10; i++) {
        touch('touchmove', 200, 200 + i * 20);
        scrollAfter(15, 3000 - i * 20);
      }
      expect(show).not.toHaveBeenCalled();
      off();
    });

    it('a swipe from the left edge fires, a tap there does not', () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      const show = vi.fn();
      const off = arm({ type: 'exit_intent' }, show, 1, true);
      touch('touchstart', 8);
      touch('touchend', 8);
      // Scrolling down from the edge is no swipe either.
      touch('touchstart', 8);
      touch('touchmove', 40, 100);
      expect(show).not.toHaveBeenCalled();
      touch('touchstart', 8);
      touch('touchmove', 60, 310);
      expect(show).toHaveBeenCalledTimes(1);
      off();
      // The browser taking a touch that began at the edge (its back gesture) counts too.
      const taken = vi.fn();
      const off2 = arm({ type: 'exit_intent' }, taken, 1, true);
      touch('touchstart', 300);
      touch('touchcancel', 300);
      expect(taken).not.toHaveBeenCalled();
      touch('touchstart', 5);
      touch('touchcancel', 5);
      expect(taken).toHaveBeenCalledTimes(1);
      off2();
    });

    it('a swipe whose moves a busy page never got fires where the finger lifts', () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      const show = vi.fn();
      const off = arm({ type: 'exit_intent' }, show, 1, true);
      // Lifted where it touched, or after going down the page: no swipe.
      touch('touchstart', 6);
      touch('touchend', 9);
      touch('touchstart', 6);
      touch('touchend', 50, 420);
      expect(show).not.toHaveBeenCalled();
      // Chromium coalesces the moves of a busy page and drops what is pending at touchend.
      touch('touchstart', 6);
      touch('touchend', 160, 310);
      expect(show).toHaveBeenCalledTimes(1);
      off();
    });
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
    const m = memory({ site: 'pk_test' });
    m.update('demo', { shownAt: 5, shownSession: 's1' });
    m.learn(['email']);
    expect(m.pageview()).toBe(1);
    const again = memory({ site: 'pk_test' });
    expect(again.form('demo')).toEqual({ shownAt: 5, shownSession: 's1' });
    expect(again.data.k).toEqual({ email: true });
    expect(again.pageview()).toBe(2);
    expect(memory({ site: 'pk_other' }).form('demo')).toEqual({});
  });

  it('starts afresh from unreadable storage', () => {
    localStorage.setItem('tp_forms_pk_bad', '{nope');
    expect(memory({ site: 'pk_bad' }).form('x')).toEqual({});
  });
});
