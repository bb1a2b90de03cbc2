/** Wire types of `POST /v1/collect` (DESIGN §4). Types only: the widget imports these, never zod. */

/** Every event type the tag and the server-side API may send. */
export const EVENT_TYPES = [
  'pageview',
  'track',
  'identify',
  'click',
  'engagement',
  'form_view',
  'form_submit',
  'form_dismiss',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

/** A JSON object of free-form properties or traits. */
export type Props = Record<string, unknown>;

/** One event as the browser sends it. */
export interface WireEvent {
  /** Generated in the browser (uuid); the idempotency key: a replay is counted once. */
  id: string;
  /** One of {@link EVENT_TYPES}. */
  type: EventType;
  /** The browser's anonymous id (cookie `_tp_id`), the unit of identity stitching. */
  anonymousId: string;
  /** Session id: a new one after 30 minutes of inactivity or a new campaign. */
  sessionId?: string;
  /** Client clock, ms since epoch, when the event happened. */
  timestamp: number;
  /** Page URL (emails stripped by the tag). */
  url?: string;
  /** `document.referrer` of the page. */
  referrer?: string;
  /** `document.title`. */
  title?: string;
  /** Event name for `track` and `click`; form id for `form_*` events. */
  name?: string;
  /** Free-form properties; `webdriver: true` marks automation. */
  properties?: Props;
  /** Traits for `identify` (`email`, `userId`, `name`, …). */
  traits?: Props;
}

/** The body of `POST /v1/collect`. */
export interface CollectBatch {
  /** The site's public key, `pk_…`. */
  site: string;
  /** Client clock when the batch was sent; the collector derives clock skew from it. */
  sentAt: number;
  /** 1 to 500 events. */
  events: WireEvent[];
}

/** `202` answer of `POST /v1/collect`, sent only after the events are committed. */
export interface CollectResult {
  accepted: number;
  duplicates: number;
}

/** One validation error of a problem+json answer. */
export interface FieldError {
  /** Dotted path into the request body (`events.0.type`) or a form field name. */
  path: string;
  message: string;
}

/** RFC 9457 problem details, as every error of the collector is answered. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: FieldError[];
}

/** Limits shared by the tag (batching) and the collector (validation). */
export const LIMITS = {
  /** Bytes of one request body. */
  bodyBytes: 64 * 1024,
  /** Events in one `/v1/collect` batch. */
  batchEvents: 500,
  /** Characters of a URL, referrer or title. */
  urlChars: 2048,
  /** Characters of an id (event, anonymous, session). */
  idChars: 128,
  /** Characters of an event name. */
  nameChars: 200,
} as const;
