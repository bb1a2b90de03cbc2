/**
 * The contract between the tag's core (`widget/`) and the lazily loaded forms chunk
 * (`widget/forms/`): types, and the one selector both use. The core fetches nothing for forms until a form will show; then
 * it `import()`s the chunk and calls its `mount(host)`.
 */
import type { Locale, SiteConfig } from './forms.ts';
import type { Props, WireEvent } from './wire.ts';

/** A form submission as queued by the tag and sent to `POST /v1/forms/{formId}/submissions`. */
export interface SubmissionBody {
  site: string;
  /** Generated in the browser: the idempotency key of the submission. */
  id: string;
  anonymousId: string;
  sessionId?: string;
  values: Record<string, unknown>;
  url?: string;
  /** Time from form shown to submit, for the minimum-fill-time spam check. */
  elapsedMs: number;
  /** Honeypot field value: empty from humans. */
  hp: string;
  /** Language the form was shown in: the consent text stored is the one the visitor read. */
  locale?: Locale;
}

/** A form submission as the tag queues it: the body plus `f`, the form id (not sent). */
export type QueuedSubmission = SubmissionBody & { f: string };

/** What the core hands the forms chunk: the tag's settings plus access to its queue and ids. */
export interface FormsHost {
  /** The site's public key. */
  site: string;
  /** Collector origin, e.g. `https://collector.example.com`. */
  host: string;
  /** CSP nonce of the tag's script element, for the injected stylesheet. */
  nonce?: string;
  /** Present (`data-capture-forms`): capture every form of the page, not only `[data-tp-capture]` ones. */
  captureForms?: string;
  anonymousId(): string;
  sessionId(): string;
  /**
   * Queues an event durably (form_view, form_dismiss, form_submit of a captured site form) —
   * same queue as every other event.
   */
  track(type: WireEvent['type'], x: Pick<WireEvent, 'name' | 'properties' | 'traits'>): void;
  /** Queues a submission durably; it is delivered (exactly once) even across offline periods and reloads. */
  submit(item: QueuedSubmission): void;
  /** Marks this browser's visitor as identified (the core may rotate identity as DESIGN §7 says). */
  identified(traits: Props): void;
  /**
   * Optional: truthy while the visitor has not let the site remember them — consent required and
   * not given (or denied), or Do Not Track / Global Privacy Control on. Then the chunk stores
   * nothing (no form memory in localStorage) and asks for the site config without the anonymous
   * id. Absent: the visitor may be remembered.
   */
  forgets?(): unknown;
  /**
   * Optional: the site config the core already fetched. Without it the chunk fetches
   * `GET {host}/v1/sites/{site}/config?anonymousId=…` itself (which also tells it which
   * field names are known for progressive profiling).
   */
  config?: SiteConfig;
  /** Optional: page views of this visitor so far (for the `pageviews` trigger); else the chunk counts its own. */
  pageviews?(): number;
}

/**
 * The site forms the chunk captures: every form with `data-capture-forms` on the tag, else the
 * `[data-tp-capture]` ones. Capturing is rare, so the chunk does it: the core only loads the chunk
 * early on pages that have such a form; the chunk then queues a `form_submit` event with the form's
 * fields as traits — never passwords, hidden, file or payment fields — and identifies the visitor
 * when there is an email.
 */
export const captureSelector = (host: Pick<FormsHost, 'captureForms'>): string =>
  host.captureForms != null ? 'form' : '[data-tp-capture]';

/** The host's functions in order, as the core tag passes them to `mount` (no names to ship). */
export type HostFns = [
  anonymousId: FormsHost['anonymousId'],
  sessionId: FormsHost['sessionId'],
  track: FormsHost['track'],
  submit: FormsHost['submit'],
  identified: FormsHost['identified'],
  forgets: NonNullable<FormsHost['forgets']>,
];

/**
 * The forms chunk's entry. `formId` set: show that form now (`touchpoint('form', id)`). The core
 * tag passes its settings as `host` and its functions positionally after `formId` (`fns`, in
 * {@link HostFns} order), which the chunk puts together into a {@link FormsHost}; other hosts
 * (tests, embedders) pass a whole `FormsHost` and no `fns`.
 */
export type MountForms = (
  host: FormsHost | Pick<FormsHost, 'site' | 'host' | 'nonce' | 'captureForms'>,
  formId?: string,
  ...fns: HostFns | []
) => void;
