/** Explicit merge of two leads (DESIGN §7 rule 5): the only way two leads become one. */
import type { Props } from '../../shared/wire.ts';
import { moveStage, type Stage, stageRank } from '../lifecycle/stages.ts';
import type { Queryable } from '../store/index.ts';
import { enqueueWebhook } from '../webhooks/outbox.ts';
import { audit } from './audit.ts';
import { lockLive, nameOf } from './leads.ts';
import { refreshSearchEmails } from './search-emails.ts';

interface LeadRow {
  lead_id: string;
  email: string | null;
  name: string | null;
  traits: Props;
  stage: string;
}

/** Empty trait values lose to the other lead's values. */
const isEmpty = (v: unknown) =>
  v === null || v === undefined || (typeof v === 'string' && v.trim() === '');

/** Survivor's non-empty values win; the loser fills what the survivor lacks. */
export function mergeTraits(survivor: Props, loser: Props): Props {
  const out: Props = { ...loser, ...survivor };
  for (const [k, v] of Object.entries(loser)) if (isEmpty(survivor[k]) && !isEmpty(v)) out[k] = v;
  return out;
}

export type MergeResult =
  | { ok: true; survivorId: string; mergedId: string }
  | { ok: false; reason: 'not-found' | 'same-lead' };

/**
 * Merges `loserId` into `survivorId`: identities, anonymous-id links (and so events) and stage
 * history move to the survivor; traits merge (survivor's non-empty values win); the stage
 * becomes the one furthest down the lifecycle; the loser keeps `merged_into`. Both leads are
 * locked in sorted order; ids of already merged leads stand for their survivors.
 *
 * @example await mergeLeads(tx, { siteId, survivorId: 'lead_a', loserId: 'lead_b', now, actor: 'api' });
 */
export async function mergeLeads(
  tx: Queryable,
  m: { siteId: string; survivorId: string; loserId: string; now: Date; actor: string },
): Promise<MergeResult> {
  const { siteId, now } = m;
  const live = await lockLive(tx, siteId, [m.survivorId, m.loserId]);
  const s = live.get(m.survivorId);
  const l = live.get(m.loserId);
  if (!s || !l) return { ok: false, reason: 'not-found' };
  if (s === l) return { ok: false, reason: 'same-lead' };
  const { rows } = await tx.query<LeadRow>(
    `select lead_id, email, name, traits, stage from leads
      where site_id = $1 and lead_id = any($2::text[])`,
    [siteId, [s, l]],
  );
  const sur = rows.find((r) => r.lead_id === s)!;
  const los = rows.find((r) => r.lead_id === l)!;
  const at = now.toISOString();

  for (const table of ['identities', 'anonymous_links', 'stage_history']) {
    await tx.query(`update ${table} set lead_id = $3 where site_id = $1 and lead_id = $2`, [
      siteId,
      l,
      s,
    ]);
  }
  // The loser's emails are the survivor's now: `q=` finds it by them.
  await refreshSearchEmails(tx, siteId, [s]);
  const traits = mergeTraits(sur.traits, los.traits);
  await tx.query(
    `update leads sv set traits = $3, email = coalesce(sv.email, lo.email),
            name = coalesce($4, sv.name, lo.name), created_at = least(sv.created_at, lo.created_at),
            first_seen_at = least(sv.first_seen_at, lo.first_seen_at),
            last_seen_at = greatest(sv.last_seen_at, lo.last_seen_at), updated_at = $5
       from leads lo
      where sv.site_id = $1 and sv.lead_id = $2 and lo.site_id = $1 and lo.lead_id = $6`,
    [siteId, s, JSON.stringify(traits), nameOf(sur.traits) ?? sur.name, at, l],
  );
  // Leads merged into the loser earlier now point straight at the survivor (one hop).
  await tx.query(
    `update leads set merged_into = $3, updated_at = $4
      where site_id = $1 and (lead_id = $2 or merged_into = $2)`,
    [siteId, l, s, at],
  );
  if (stageRank(los.stage) > stageRank(sur.stage)) {
    await moveStage(tx, {
      siteId,
      leadId: s,
      from: sur.stage,
      to: los.stage as Stage,
      at: now,
      reason: `merged ${l}`,
      actor: m.actor,
    });
  }
  await audit(tx, siteId, now, [
    { leadId: s, action: 'merge', mergedLeadId: l, source: m.actor, detail: { stage: los.stage } },
  ]);
  await enqueueWebhook(tx, siteId, 'lead.merged', { leadId: s, mergedLeadId: l }, now);
  return { ok: true, survivorId: s, mergedId: l };
}
