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
 * `touch` picks the touch flavour of exit intent: a fast upward scroll, or a touch starting at
 * the left edge (the swipe-back gesture).
 *
 * @example const off = arm({ type: 'scroll', percent: 50 }, () => open(), pageviews, false);
 */
export function arm(
  t: FormTrigger,
  show: () => void,
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
      let last = scrollY;
      let at = Date.now();
      const a = on(
        window,
        'scroll',
        () => {
          const now = Date.now();
          if (isFastScrollUp(last, scrollY, now - at)) fire();
          else if (now - at > 100) {
            last = scrollY;
            at = now;
          }
        },
        { passive: true },
      );
      const b = on(d, 'touchstart', (e: TouchEvent) => e.touches[0]!.clientX < 16 && fire(), {
        passive: true,
      });
      off = () => {
        a();
        b();
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
          if (hit) {
            // The marketer made this element open the form; it must not also navigate away.
            e.preventDefault();
            show();
          }
        },
        { capture: true },
      );
      break;
    default:
      fire();
  }
  return () => off();
}
