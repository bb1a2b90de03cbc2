/** The identity audit trail: one row per link, refused link, added identifier, new lead and merge. */
import type { Queryable } from '../store/index.ts';

export type AuditAction = 'create' | 'link' | 'identifier' | 'refused' | 'merge';

export interface AuditRow {
  leadId: string;
  action: AuditAction;
  anonymousId?: string | null;
  kind?: string | null;
  value?: string | null;
  mergedLeadId?: string | null;
  source?: string | null;
  detail?: Record<string, unknown>;
}

/**
 * Appends audit rows in one statement.
 *
 * @example await audit(tx, siteId, now, [{ leadId, action: 'link', anonymousId }]);
 */
export async function audit(
  tx: Queryable,
  siteId: string,
  at: Date,
  rows: AuditRow[],
): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    `insert into identity_audit (site_id, lead_id, action, anonymous_id, kind, value, merged_lead_id,
                                 source, detail, at)
     select $1, x.lead_id, x.action, x.anonymous_id, x.kind, x.value, x.merged_lead_id, x.source,
            coalesce(x.detail, '{}'), $3
       from jsonb_to_recordset($2::jsonb) as x(lead_id text, action text, anonymous_id text,
            kind text, value text, merged_lead_id text, source text, detail jsonb)`,
    [
      siteId,
      JSON.stringify(
        rows.map((r) => ({
          lead_id: r.leadId,
          action: r.action,
          anonymous_id: r.anonymousId ?? null,
          kind: r.kind ?? null,
          value: r.value ?? null,
          merged_lead_id: r.mergedLeadId ?? null,
          source: r.source ?? null,
          detail: r.detail ?? {},
        })),
      ),
      at.toISOString(),
    ],
  );
}
