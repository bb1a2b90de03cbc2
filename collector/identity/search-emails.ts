/** The emails a lead is found by in the lead list's `q=` (migration 015: `leads.emails`). */
import type { Queryable } from '../store/index.ts';

/**
 * Rewrites `leads.emails` of `leadIds` from their email identities, so `q=` finds each lead by
 * every email it holds. Called where emails change hands outside identify: a merge (the loser's
 * emails move to the survivor) and a marketer's email edit (the old address stays an identity).
 *
 * @example await refreshSearchEmails(tx, siteId, [survivorId]);
 */
export async function refreshSearchEmails(
  tx: Queryable,
  siteId: string,
  leadIds: string[],
): Promise<void> {
  await tx.query(
    `update leads l set emails = coalesce((
       select string_agg(i.value, ' ' order by i.value) from identities i
        where i.site_id = l.site_id and i.lead_id = l.lead_id and i.kind = 'email'), '')
      where l.site_id = $1 and l.lead_id = any($2::text[])`,
    [siteId, leadIds],
  );
}
