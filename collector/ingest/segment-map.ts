/** Segment messages → Touchpoint events (a toNewEvents-like mapping for trusted server-side data). */
import { createHash, randomUUID } from 'node:crypto';
import { cut } from '../../shared/json-fit.ts';
import type { FittedEvent } from '../../shared/schemas.ts';
import type { SegmentMessage } from '../../shared/segment-schemas.ts';
import type { EventType, Props, WireEvent } from '../../shared/wire.ts';
import { LIMITS } from '../../shared/wire.ts';
import { normalizeAnonymousId, normalizeUserId } from '../identity/index.ts';
import type { Site } from '../sites/index.ts';
import { toNewEvents } from './accept.ts';
import type { NewEvent } from './events.ts';

/** A field error of one message in a batch. */
export interface MessageError {
  path: string;
  message: string;
}

/**
 * The anonymous id a message is stored under. A message with only a `userId` gets the synthetic
 * `uid:<userId>` (hashed past 128 characters): identity resolution links it to the user's lead
 * like any browser, so the message reaches the lead and later browsers stitch to it.
 *
 * @example anonymousIdOf(null, 'u-42') // 'uid:u-42'
 */
export function anonymousIdOf(anonymousId: string | null, userId: string | null): string | null {
  if (anonymousId) return cut(anonymousId, LIMITS.idChars);
  if (!userId) return null;
  const synthetic = `uid:${userId}`;
  return synthetic.length <= LIMITS.idChars
    ? synthetic
    : `uid:${createHash('sha256').update(userId).digest('base64url')}`;
}

const TYPES: Record<SegmentMessage['type'], EventType | null> = {
  identify: 'identify',
  track: 'track',
  page: 'pageview',
  screen: 'pageview',
  alias: 'identify',
  group: null,
};

// `cut`, not `slice`: an emoji across the limit must not leave a lone surrogate to store.
const str = (v: unknown, max: number = LIMITS.urlChars) =>
  typeof v === 'string' && v ? cut(v, max) : undefined;
const obj = (v: unknown): Props =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Props) : {};

/**
 * Maps one message to the event to store, or an error (no usable id), or null (`group`).
 * Time: `timestamp` (else `originalTimestamp`, else now) corrected by the skew between the
 * message's (or batch's) `sentAt` and the collector clock; `context` keeps the library, page,
 * campaign and the `userId` identity resolution reads. `repaired`: the message's paths whose
 * strings were made storable (`storableJson`), recorded as `context.repaired`.
 */
export function mapMessage(
  site: Site,
  m: SegmentMessage,
  batch: { sentAt?: number; context?: Props | null },
  receivedAt: Date,
  hashIp: (ip: string | undefined) => string | undefined,
  repaired: string[] = [],
): NewEvent | MessageError | null {
  const type = TYPES[m.type];
  if (!type) return null;
  const userId = normalizeUserId(m.userId);
  const anon = anonymousIdOf(
    normalizeAnonymousId(m.type === 'alias' ? m.previousId : m.anonymousId),
    userId,
  );
  if (!anon) {
    return {
      path: m.type === 'alias' ? 'previousId' : 'anonymousId',
      message: 'anonymousId or userId is required',
    };
  }
  const context = { ...obj(batch.context), ...obj(m.context) };
  const page = obj(context.page);
  const props = obj(m.properties);
  const at = m.timestamp ?? m.originalTimestamp ?? receivedAt.getTime();
  const wire: FittedEvent<WireEvent> = {
    id: m.messageId ?? `seg-${randomUUID()}`,
    type,
    anonymousId: anon,
    timestamp: at,
    url: str(props.url) ?? str(page.url),
    referrer: str(props.referrer) ?? str(page.referrer),
    title: str(props.title) ?? str(page.title),
    name: str(m.type === 'track' ? m.event : (m.name ?? undefined), LIMITS.nameChars),
    properties: props,
    traits: type === 'identify' ? { ...obj(m.traits), ...(userId ? { userId } : {}) } : undefined,
    ...(repaired.length ? { repaired } : {}),
  };
  const userAgent = str(context.userAgent, 1000);
  const [event] = toNewEvents(site, [wire], {
    userAgent,
    ipHash: hashIp(str(context.ip, 100)),
    receivedAt,
    sentAt: m.sentAt ?? batch.sentAt,
    trusted: true,
  });
  if (!event) return null; // dropped by the site's bot policy
  event.context = {
    ...event.context,
    source: 'segment',
    ...(userId ? { userId } : {}),
    ...(context.library ? { library: context.library } : {}),
    ...(context.campaign ? { campaign: context.campaign } : {}),
    ...(context.page ? { page: context.page } : {}),
  };
  return event;
}
