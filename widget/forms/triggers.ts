/** Arms a popup's trigger: calls `show` once when it fires; returns a function that disarms it. */

import type { FormTrigger } from '../../shared/forms.ts';
import { isExitIntent, isFastScrollUp, scrollPercent } from '../../shared/forms-rules.ts';

const on = (
  t: EventTarget,
  type: string,
  fn: (e: never) => void,
  opts?: AddEventListenerOptions,
) => {
  t.addEventListener(type, fn as EventListener, opts);
  return () => t.removeEventListener(type, fn as EventListener, opts);
};

/**
 * `touch` picks the touch flavour of exit intent: a fast upward flick (`isFastScrollUp`), or a
 * swipe from the left edge (the back gesture). `show` answers false when it opened nothing: a
 * click on a `click` trigger's element then does what it would without the form.
 *
 * @example const off = arm({ type: 'scroll', percent: 50 }, () => open(), pageviews, false);
 */
export function arm(
  t: FormTrigger,
  show: () => unknown,
  pageviews: number,
  touch: boolean,
): () => void {
  let off: () => void = () => {};
  const fire = () => {
    off();
    show();
  };
  const d = document;
  switch (t.type) {
    case 'delay': {
      const id = setTimeout(fire, t.seconds * 1000);
      off = () => clearTimeout(id);
      break;
    }
    case 'scroll': {
      const check = () => {
        const el = d.documentElement;
        if (scrollPercent(scrollY, innerHeight, el.scrollHeight) >= t.percent) fire();
      };
      off = on(window, 'scroll', check, { passive: true });
      check();
      break;
    }
    case 'exit_intent': {
      if (!touch) {
        off = on(d, 'mouseout', (e: MouseEvent) => isExitIntent(e) && fire());
        break;
      }
      // Ms timestamps: a scroll sample, the last finger drag, the last click or focus move.
      let y = scrollY;
      let at = Date.now();
      let dragAt = -1e9;
      let navAt = 0;
      // Where the current touch started (none yet: far from the edge).
      let x0 = 1e9;
      let y0 = 0;
      const nav = () => {
        navAt = Date.now();
      };
      // A swipe from the left edge to the right: the browser's back gesture. A tap there
      // (reading near the edge) is not one. Checked on every move and again where the finger
      // lifts: a busy page can get the moves coalesced and dropped, but always the touchend.
      const swipe = (e: TouchEvent) => {
        const t = e.changedTouches[0]!;
        const dx = t.clientX - x0;
        if (x0 < 16 && dx > 30 && dx > Math.abs(t.clientY - y0)) fire();
      };
      // Captured: a page that stops these events still scrolls after them.
      const opts = { passive: true, capture: true };
      const offs = [
        on(
          window,
          'scroll',
          () => {
            const now = Date.now();
            if (isFastScrollUp(y, scrollY, now - at, innerHeight, now - dragAt, now - navAt))
              fire();
            else if (now - at > 100) {
              y = scrollY;
              at = now;
            }
          },
          { passive: true },
        ),
        on(d, 'click', nav, opts),
        on(d, 'focusin', nav, opts),
        on(window, 'hashchange', nav),
        on(
          d,
          'touchstart',
          (e: TouchEvent) => {
            ({ clientX: x0, clientY: y0 } = e.touches[0]!);
          },
          opts,
        ),
        on(
          d,
          'touchmove',
          (e: TouchEvent) => {
            dragAt = Date.now();
            swipe(e);
          },
          opts,
        ),
        on(d, 'touchend', swipe, opts),
        // The browser or the system took a touch that started at the edge: the back gesture.
        on(d, 'touchcancel', () => x0 < 16 && fire(), opts),
      ];
      off = () => {
        for (const f of offs) f();
      };
      break;
    }
    case 'pageviews':
      if (pageviews >= t.count) fire();
      break;
    case 'click':
      off = on(
        d,
        'click',
        (e: MouseEvent) => {
          let hit: Element | null = null;
          try {
            hit = (e.target as Element).closest?.(t.selector) ?? null;
          } catch {
            // an invalid selector never matches
          }
          // The marketer made this element open the form; it must not also navigate away, unless
          // the form did not open (`show` answers false: the page left the route it was armed on).
          if (hit && show() !== false) e.preventDefault();
        },
        { capture: true },
      );
      break;
    default:
      fire();
  }
  return () => off();
}
