/** Lead rows as identity resolution needs them: create, lock, follow merges, merge traits. */
import type { Props } from '../../shared/wire.ts';
import { moveStage } from '../lifecycle/stages.ts';
import { randomId } from '../sites/index.ts';
import type { Queryable } from '../store/index.ts';

/** A new lead id. */
export const newLeadId = (): string => `lead_${randomId(16)}`;

/**
 * Locks the given leads (`for update`, in sorted order) and maps each id to the live lead it
 * stands for now: itself, or the survivor it was merged into. Unknown ids map to nothing.
 *
 * @example const live = (await lockLive(tx, siteId, [id])).get(id); // undefined: no such lead
 */
export async function lockLive(
  tx: Queryable,
  siteId: string,
  ids: string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let pending = [...new Set(ids)].sort();
  const via = new Map<string, string>(pending.map((id) => [id, id]));
  // A merge chain is short (each merge adds one hop); the bound only guards against a cycle.
  for (let hop = 0; pending.length > 0 && hop < 20; hop++) {
    const { rows } = await tx.query<{ lead_id: string; merged_into: string | null }>(
      `select lead_id, merged_into from leads where site_id = $1 and lead_id = any($2::text[])
        order by lead_id for update`,
      [siteId, pending],
    );
    const next: string[] = [];
    for (const r of rows) {
      const origins = [...via].filter(([, cur]) => cur === r.lead_id).map(([o]) => o);
      if (r.merged_into) {
        for (const o of origins) via.set(o, r.merged_into);
        next.push(r.merged_into);
      } else for (const o of origins) out.set(o, r.lead_id);
    }
    pending = [...new Set(next)].sort();
  }
  return out;
}

/** The display name carried by traits: `name`, else `firstName lastName`. */
export function nameOf(traits: Props): string | null {
  if (typeof traits.name === 'string' && traits.name.trim()) return traits.name.trim();
  const parts = [traits.firstName, traits.lastName].filter(
    (p): p is string => typeof p === 'string' && p.trim() !== '',
  );
  return parts.length > 0 ? parts.map((p) => p.trim()).join(' ') : null;
}

/**
 * Inserts a lead at stage `visitor` and moves it to `lead` (actor `system`, reason `identified`),
 * so the move is the first row of its stage history and fires `lead.stage_changed`.
 */
export async function createLead(
  tx: Queryable,
  l: {
    siteId: string;
    leadId: string;
    email: string | null;
    traits: Props;
    at: Date;
    now: Date;
    firstSeenAt: Date;
  },
): Promise<void> {
  await tx.query(
    `insert into leads (site_id, lead_id, email, name, traits, stage, stage_changed_at, created_at,
                        updated_at, first_seen_at, last_seen_at)
     values ($1, $2, $3, $4, $5, 'visitor', $6, $6, $6, $7, $8)`,
    [
      l.siteId,
      l.leadId,
      l.email,
      nameOf(l.traits),
      JSON.stringify(l.traits),
      l.now.toISOString(),
      l.firstSeenAt.toISOString(),
      l.at.toISOString(),
    ],
  );
  await moveStage(tx, {
    siteId: l.siteId,
    leadId: l.leadId,
    from: 'visitor',
    to: 'lead',
    at: l.now,
    reason: 'identified',
    actor: 'system',
  });
}

/**
 * Merges `traits` into a lead's traits (top-level keys replaced) and keeps the `name` and
 * `email` columns in sync with them.
 */
export async function applyTraits(
  tx: Queryable,
  siteId: string,
  leadId: string,
  traits: Props,
  now: Date,
): Promise<void> {
  if (Object.keys(traits).length === 0) return;
  const email = typeof traits.email === 'string' ? traits.email : null;
  await tx.query(
    `update leads set traits = traits || $3::jsonb, name = coalesce($4, name),
            email = coalesce($5, email), updated_at = $6
      where site_id = $1 and lead_id = $2`,
    [siteId, leadId, JSON.stringify(traits), nameOf(traits), email, now.toISOString()],
  );
}
