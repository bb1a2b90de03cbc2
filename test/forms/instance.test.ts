// @vitest-environment happy-dom
/** One form on screen (`openForm`) in happy-dom: how it closes, where focus goes, what it says. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FormDefinition, Locale } from '../../shared/forms.ts';
import { openForm } from '../../widget/forms/instance.tsx';

const definition = (kind: FormDefinition['kind']): FormDefinition => ({
  id: 'f',
  name: 'Form',
  kind,
  fields: [
    { name: 'email', type: 'email', label: 'Email', required: true },
    { name: 'size', type: 'select', label: 'Size', required: true, options: [{ value: 'a' }] },
    { name: 'consent', type: 'consent', label: 'I agree.', required: true },
  ],
});

/** Opens a form of `kind` in a fresh `<tp-form>` at the end of the page. */
function open(kind: FormDefinition['kind'], locale: Locale = 'en') {
  const host = document.body.appendChild(document.createElement('tp-form'));
  const root = host.attachShadow({ mode: 'open' });
  const closed = vi.fn();
  const def = definition(kind);
  // Inline forms have no `closed`: they stay until the page goes.
  const opts = { def, fields: def.fields, locale, root, send: vi.fn() };
  openForm(kind === 'inline' ? opts : { ...opts, closed });
  const $ = <E extends Element = HTMLElement>(sel: string) => root.querySelector<E>(sel)!;
  const submit = () => {
    $('form').dispatchEvent(new Event('submit', { cancelable: true }));
    return root.querySelector('[role=status]')?.textContent;
  };
  const fill = () => {
    const email = $<HTMLInputElement>('#f-email');
    email.value = 'an@example.com';
    email.dispatchEvent(new Event('input', { bubbles: true }));
    const size = $<HTMLSelectElement>('#f-size');
    size.value = 'a';
    size.dispatchEvent(new Event('change', { bubbles: true }));
    $<HTMLInputElement>('#f-consent').click();
  };
  return { root, closed, $, submit, fill };
}

/** A press at (`x`, 0): happy-dom lays nothing out, so any `x` > 0 is outside every box. */
const pointer = (target: Element, x = 5) =>
  target.dispatchEvent(
    new PointerEvent('pointerdown', { bubbles: true, composed: true, clientX: x }),
  );
const click = (target: Element, x = 5) =>
  target.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true, clientX: x }));
const key = (init: KeyboardEventInit & { keyCode?: number }) => {
  const e = new KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init });
  if (init.keyCode) Object.defineProperty(e, 'keyCode', { value: init.keyCode });
  document.dispatchEvent(e);
};
const focused = () => document.activeElement?.id;

describe('openForm', () => {
  beforeEach(() => {
    document.body.innerHTML = '<button id="before">Menu</button><a id="later" href="#x">x</a>';
    vi.useFakeTimers({ toFake: ['Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('closes from the backdrop only on a press and a click both on it, not right after opening', () => {
    const { $, closed } = open('popup');
    // A click on `::backdrop` targets the <dialog>, outside its box.
    const dialog = $<HTMLDialogElement>('dialog');
    expect(dialog.open).toBe(true);
    // The rest of the tap that opened it: pressed before the backdrop existed, clicked on it.
    click(dialog);
    // A press and click on the backdrop within 500 ms of opening (a double tap, say).
    vi.advanceTimersByTime(300);
    pointer(dialog);
    click(dialog);
    expect(closed).not.toHaveBeenCalled();
    // Text selected in a field and released over the backdrop: the click goes to the dialog.
    vi.advanceTimersByTime(1_000);
    pointer($('#f-email'));
    click(dialog);
    // A press and click on the dialog's own padding, inside its box.
    pointer(dialog, 0);
    click(dialog, 0);
    expect(closed).not.toHaveBeenCalled();
    expect($('[role=dialog]')).not.toBeNull();
    expect(document.documentElement.style.overflow).toBe('hidden');
    // A click on the backdrop; the page scrolls again.
    pointer(dialog);
    click(dialog);
    expect(closed).toHaveBeenCalledWith(false);
    expect(document.documentElement.style.overflow).toBe('');
  });

  it('locks the page scroll while a popup is open and gives back exactly what it had', () => {
    const html = document.documentElement.style;
    html.setProperty('overflow', 'auto');
    const { closed } = open('popup');
    expect(html.getPropertyValue('overflow')).toBe('hidden');
    key({ key: 'Escape' });
    expect(closed).toHaveBeenCalledWith(false);
    expect(html.getPropertyValue('overflow')).toBe('auto');
    expect(html.getPropertyPriority('overflow')).toBe('');
    html.removeProperty('overflow');
  });

  it('leaves room under an open bar at the end of the page, and takes it back on close', () => {
    const html = document.documentElement.style;
    const a = open('bar');
    expect(html.paddingBottom).toMatch(/px$/);
    a.$('.x').click();
    expect(html.paddingBottom).toBe('');
  });

  it('lets ESC end an input method composition, and closes on ESC after it', () => {
    const { closed, root } = open('popup', 'vi');
    key({ key: 'Escape', isComposing: true });
    key({ key: 'Escape', keyCode: 229 });
    expect(closed).not.toHaveBeenCalled();
    expect(root.querySelector('[role=dialog]')).not.toBeNull();
    key({ key: 'Escape' });
    expect(closed).toHaveBeenCalledWith(false);
  });

  it.each(['slide_in', 'bar'] as const)(
    'returns focus from a closed %s to where the visitor was',
    (kind) => {
      // Shown while the visitor was on the menu button.
      document.getElementById('before')!.focus();
      const a = open(kind);
      a.$('.x').focus();
      a.$('.x').click();
      expect(a.closed).toHaveBeenCalledWith(false);
      expect(focused()).toBe('before');
      // Shown on load; the visitor then went to a link of the page, and on into the form.
      (document.activeElement as HTMLElement).blur();
      const b = open(kind);
      document.getElementById('later')!.focus();
      b.$('#f-email').focus();
      key({ key: 'Escape' });
      expect(b.closed).toHaveBeenCalled();
      expect(focused()).toBe('later');
      // Closed while focus is elsewhere in the page: focus stays there.
      const c = open(kind);
      document.getElementById('before')!.focus();
      c.$('.x').click();
      expect(focused()).toBe('before');
    },
  );

  it('asks to tick a box and choose an option, in English and Vietnamese', () => {
    const en = open('inline');
    en.submit();
    expect(en.$('#f-email-e').textContent).toBe('This field is required.');
    expect(en.$('#f-size-e').textContent).toBe('Please choose an option.');
    expect(en.$('#f-consent-e').textContent).toBe('Please tick this box.');
    const vi_ = open('inline', 'vi');
    vi_.submit();
    expect(vi_.$('#f-email-e').textContent).toBe('Vui lòng điền trường này.');
    expect(vi_.$('#f-size-e').textContent).toBe('Vui lòng chọn một mục.');
    expect(vi_.$('#f-consent-e').textContent).toBe('Vui lòng đánh dấu ô này.');
  });

  it('offline, says the details are saved to be sent later, not received', () => {
    const online = open('inline');
    online.fill();
    expect(online.submit()).toBe('Thank you! We received your details.');
    vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);
    const en = open('inline');
    en.fill();
    expect(en.submit()).toBe(
      'Thank you! Your details are saved and will be sent when you are back online.',
    );
    const vi_ = open('inline', 'vi');
    vi_.fill();
    expect(vi_.submit()).toBe(
      'Cảm ơn bạn! Thông tin đã được lưu và sẽ được gửi khi bạn có mạng trở lại.',
    );
  });

  it('is laid out left to right whatever the page’s direction', () => {
    document.documentElement.dir = 'rtl';
    expect(open('inline').$('.w').getAttribute('dir')).toBe('ltr');
    document.documentElement.dir = '';
  });
});
