/** Identity resolution (DESIGN §7): one identify signal → which lead, which links, which identifiers. */
import type { Props } from '../../shared/wire.ts';
import { jsonLog } from '../deps.ts';
import type { Queryable } from '../store/index.ts';
import { enqueueWebhook } from '../webhooks/outbox.ts';
import { type AuditRow, audit } from './audit.ts';
import {
  type Identifier,
  identifiersOf,
  normalizeAnonymousId,
  normalizeEmail,
} from './identifiers.ts';
import { applyTraits, createLead, lockLive, newLeadId } from './leads.ts';
import { addLink, anonymousCount, linkAt, MAX_ANONYMOUS_IDS } from './links.ts';
import { lockKeys } from './locks.ts';

export interface IdentifyInput {
  siteId: string;
  /** The browser (or synthetic server-side) anonymous id of the signal; a placeholder is not linked. */
  anonymousId: string;
  email?: unknown;
  userId?: unknown;
  /** Traits to merge into the lead (`email` is normalized, blocked ids dropped). */
  traits?: Props | null;
  /** When the signal happened (event time): a device switching people switches from here. */
  at: Date;
  /** Where it came from: `tag`, `form`, `segment`, `api`. */
  source: string;
  /** Collector clock (audit, creation time); defaults to `at`. */
  now?: Date;
}

export interface IdentifyResult {
  /**
   * The lead the signal resolved to, or null (nothing to identify): the anonymous id's events at
   * `at` belong to it, unless that id is a placeholder (not linked).
   */
  leadId: string | null;
  created: boolean;
  /** The anonymous id got a new link. */
  linked: boolean;
  /** Identifier or link refusals (owned by another lead, anonymous-id cap). */
  refused: AuditRow[];
}

const NONE: IdentifyResult = { leadId: null, created: false, linked: false, refused: [] };

/**
 * Resolves one identify signal inside the caller's transaction, serialized per identifier.
 *
 * 1. nothing known → a new lead owning the identifiers, the anonymous id linked for all time;
 * 2. identifiers known (lead L), anonymous id unlinked → linked to L for all time;
 * 3. anonymous id in L, identifiers L's or new → identifiers added to L;
 * 4. anonymous id in L1, identifiers in L2 → no merge: linked to L2 from `at` on;
 *    an anonymous id whose lead already has a *different* identifier of the same kind is
 *    treated the same way (a second person on the device, so a new lead from `at` on).
 * 5. merges happen only through `mergeLeads`.
 *
 * A placeholder anonymous id (DESIGN §7's blocked values) is never linked; its identifiers still
 * find their lead or make one (cases 1–3 without the link).
 *
 * @example await resolveIdentity(tx, { siteId, anonymousId: 'a-1', email: 'Ada@x.com', traits: {}, at, source: 'tag' });
 */
export async function resolveIdentity(
  tx: Queryable,
  input: IdentifyInput,
): Promise<IdentifyResult> {
  const { siteId, at, source } = input;
  const now = input.now ?? at;
  // A placeholder anonymous id (`undefined`, `0`…) is every broken browser's at once: it is never
  // linked, but the email or userId it came with still finds or makes its lead, as on the
  // Segment path (DESIGN §7 ignores blocked values, not the signal carrying them).
  const anon = normalizeAnonymousId(input.anonymousId);
  const ids = identifiersOf(input);
  if (!anon && ids.length === 0) return NONE;
  await lockKeys(tx, siteId, lockKeysOf(input));

  const owners = await ownersOf(tx, siteId, ids);
  const current = anon ? await linkAt(tx, siteId, anon, at) : null;
  const live = await lockLive(tx, siteId, [...owners.values(), ...(current ? [current] : [])]);
  const ownerOf = (i: Identifier) => {
    const o = owners.get(key(i));
    return o ? (live.get(o) ?? null) : null;
  };
  const anonLead = current ? (live.get(current) ?? null) : null;
  // userId is the stronger identifier: when userId and email point at two people, userId wins.
  let target = ids.map(ownerOf).find((l) => l !== null) ?? null;
  const refused: AuditRow[] = [];
  const rows: AuditRow[] = [];
  let created = false;
  let linked = false;
  // A browser new to any lead is linked for its whole past; one switching people, from `at` on.
  const link = async (anonymousId: string, leadId: string) => {
    await addLink(tx, { siteId, anonymousId, leadId, from: anonLead ? at : null, now });
    rows.push({ leadId, action: 'link', anonymousId, source, detail: linkDetail(anonLead, at) });
    linked = true;
  };

  if (!target) {
    if (ids.length === 0) {
      if (!anonLead) return NONE;
      target = anonLead;
    } else if (anonLead && !(await holdsOtherOfKind(tx, siteId, anonLead, ids))) {
      target = anonLead; // case 3
    } else {
      // case 1 (unknown device), or a second person on a known device (from `at` on).
      target = newLeadId();
      created = true;
      await createLead(tx, {
        siteId,
        leadId: target,
        email: ids.find((i) => i.kind === 'email')?.value ?? null,
        traits: {},
        at,
        now,
        firstSeenAt: anonLead || !anon ? at : ((await visitorFirstSeen(tx, siteId, anon)) ?? at),
      });
      rows.push({ leadId: target, action: 'create', anonymousId: anon, source });
      if (anon) await link(anon, target);
    }
  } else if (anon && anonLead !== target) {
    // case 2 (from the whole past) or case 4 (from `at` on; the past stays with anonLead).
    const { count, has } = await anonymousCount(tx, siteId, target, anon);
    if (!has && count >= MAX_ANONYMOUS_IDS) {
      const r: AuditRow = {
        leadId: target,
        action: 'refused',
        anonymousId: anon,
        source,
        detail: { reason: 'anonymous-id-cap', max: MAX_ANONYMOUS_IDS },
      };
      refused.push(r);
      jsonLog.warn('identity link refused: anonymous id cap', {
        siteId,
        leadId: target,
        anonymousId: anon,
      });
    } else {
      await link(anon, target);
    }
  }

  // Identifiers: new ones join the target; ones owned by another lead are refused, never moved.
  const fresh: Identifier[] = [];
  for (const i of ids) {
    const o = ownerOf(i);
    if (o === null) fresh.push(i);
    else if (o !== target) {
      refused.push({
        leadId: target,
        action: 'refused',
        kind: i.kind,
        value: i.value,
        source,
        detail: { reason: 'owned-by-other-lead', otherLeadId: o },
      });
    }
  }
  if (fresh.length > 0) {
    await tx.query(
      `insert into identities (site_id, kind, value, lead_id, created_at)
       select $1, k, v, $2, $3 from unnest($4::text[], $5::text[]) as x(k, v)
       on conflict do nothing`,
      [siteId, target, now.toISOString(), fresh.map((i) => i.kind), fresh.map((i) => i.value)],
    );
    for (const i of fresh)
      rows.push({ leadId: target, action: 'identifier', kind: i.kind, value: i.value, source });
  }
  await audit(tx, siteId, now, [...rows, ...refused]);

  const emailOk = ids.some((i) => i.kind === 'email' && (ownerOf(i) ?? target) === target);
  await applyTraits(tx, siteId, target, cleanTraits(input.traits, emailOk), now);

  if (created) {
    await enqueueWebhook(
      tx,
      siteId,
      'lead.created',
      { leadId: target, anonymousId: anon, source, email: emailOf(ids) },
      now,
    );
  }
  if (created || linked || fresh.length > 0) {
    await enqueueWebhook(
      tx,
      siteId,
      'lead.identified',
      { leadId: target, anonymousId: anon, source, created, identifiers: fresh },
      now,
    );
  }
  return { leadId: target, created, linked, refused };
}

/**
 * The lock keys of one identify signal: its anonymous id (unless a placeholder, which is never
 * linked) and identifiers (see `lockKeys`). A batch locks the keys of all its signals at once,
 * in one sorted order.
 */
export function lockKeysOf(input: Pick<IdentifyInput, 'anonymousId' | 'email' | 'userId'>) {
  const anon = normalizeAnonymousId(input.anonymousId);
  return [...(anon ? [`anon|${anon}`] : []), ...identifiersOf(input).map(key)];
}

const key = (i: Identifier) => `${i.kind}|${i.value}`;

const emailOf = (ids: Identifier[]) => ids.find((i) => i.kind === 'email')?.value ?? null;

const linkDetail = (previous: string | null, at: Date) =>
  previous ? { from: at.toISOString(), previousLeadId: previous } : { from: '-infinity' };

/** Current owner lead of each identifier (before following merges). */
async function ownersOf(
  tx: Queryable,
  siteId: string,
  ids: Identifier[],
): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const { rows } = await tx.query<{ kind: string; value: string; lead_id: string }>(
    `select kind, value, lead_id from identities
      where site_id = $1 and (kind, value) in (select * from unnest($2::text[], $3::text[]))`,
    [siteId, ids.map((i) => i.kind), ids.map((i) => i.value)],
  );
  return new Map(rows.map((r) => [`${r.kind}|${r.value}`, r.lead_id]));
}

/** True when the lead already owns an identifier of one of these kinds with another value. */
async function holdsOtherOfKind(tx: Queryable, siteId: string, leadId: string, ids: Identifier[]) {
  const { rows } = await tx.query<{ kind: string; value: string }>(
    'select kind, value from identities where site_id = $1 and lead_id = $2',
    [siteId, leadId],
  );
  return ids.some((i) => rows.some((r) => r.kind === i.kind && r.value !== i.value));
}

async function visitorFirstSeen(tx: Queryable, siteId: string, anon: string): Promise<Date | null> {
  const { rows } = await tx.query<{ first_seen_at: Date }>(
    'select first_seen_at from visitors where site_id = $1 and anonymous_id = $2',
    [siteId, anon],
  );
  return rows[0]?.first_seen_at ?? null;
}

/** Traits to store: the email normalized (or dropped when refused), placeholder ids dropped. */
function cleanTraits(traits: Props | null | undefined, emailOk: boolean): Props {
  const out: Props = { ...(traits ?? {}) };
  const email = normalizeEmail(out.email);
  if (email && emailOk) out.email = email;
  else delete out.email;
  if ('userId' in out && identifiersOf({ userId: out.userId }).length === 0) delete out.userId;
  return out;
}
