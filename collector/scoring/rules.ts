/** A site's scoring rules, versioned: every save is a new version; no saved version means defaults. */
import { DEFAULT_RULES } from '../../shared/scoring-defaults.ts';
import type { ScoringRules } from '../../shared/scoring-rules.ts';
import type { Queryable } from '../store/index.ts';

/** The rules in force for a site. Version 0 is {@link DEFAULT_RULES}. */
export interface RulesVersion {
  version: number;
  rules: ScoringRules;
  createdAt: Date | null;
}

/**
 * The current rules of a site.
 *
 * @example const { version, rules } = await currentRules(tx, site.id);
 */
export async function currentRules(db: Queryable, siteId: string): Promise<RulesVersion> {
  const { rows } = await db.query<{ version: number; rules: ScoringRules; created_at: Date }>(
    `select version, rules, created_at from scoring_rules
      where site_id = $1 order by version desc limit 1`,
    [siteId],
  );
  const r = rows[0];
  return r
    ? { version: r.version, rules: r.rules, createdAt: r.created_at }
    : { version: 0, rules: DEFAULT_RULES, createdAt: null };
}

/** The ETag of a site's rules version: `"rules-v3"`. */
export const rulesEtag = (version: number): string => `"rules-v${version}"`;

/** Serializes saves of one site's rules until the transaction ends (re-entrant within it). */
export async function lockRules(tx: Queryable, siteId: string): Promise<void> {
  await tx.query(`select pg_advisory_xact_lock(hashtext('scoring_rules:' || $1))`, [siteId]);
}

/**
 * Stores `rules` as the site's next version and returns it. Concurrent saves of one site are
 * serialized by an advisory lock so each gets its own version number.
 */
export async function saveRules(
  tx: Queryable,
  siteId: string,
  rules: ScoringRules,
  now: Date,
): Promise<RulesVersion> {
  await lockRules(tx, siteId);
  const { rows } = await tx.query<{ version: number }>(
    `insert into scoring_rules (site_id, version, rules, created_at)
     select $1, coalesce(max(version), 0) + 1, $2, $3 from scoring_rules where site_id = $1
     returning version`,
    [siteId, JSON.stringify(rules), now.toISOString()],
  );
  return { version: rows[0]!.version, rules, createdAt: now };
}
