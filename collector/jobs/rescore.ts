/**
 * Rescoring after a rule change: a job row with progress, worked off in batches of leads by any
 * collector process (`FOR UPDATE SKIP LOCKED` on the job and on the leads).
 */

import { qualifyLeads } from '../lifecycle/qualify.ts';
import { currentRules, updateScores } from '../scoring/index.ts';
import { randomId } from '../sites/index.ts';
import type { Queryable, Store } from '../store/index.ts';
import { isUnavailable } from '../store/index.ts';

/** A rescoring job as `GET /v1/scoring/jobs/{id}` shows it. */
export interface JobStatus {
  id: string;
  status: 'running' | 'done' | 'failed';
  done: number;
  total: number;
}

/**
 * Records a job that rescores every lead of the site under rules `version`. Run it in the
 * transaction that saved the rules, so a job never refers to rules that were not committed.
 */
export async function createRescoreJob(
  tx: Queryable,
  siteId: string,
  version: number,
  now: Date,
): Promise<JobStatus> {
  const { rows } = await tx.query<{ n: number }>(
    'select count(*)::int as n from leads where site_id = $1 and merged_into is null',
    [siteId],
  );
  const total = rows[0]!.n;
  const id = `job_${randomId(16)}`;
  const status = total === 0 ? 'done' : 'running';
  await tx.query(
    `insert into scoring_jobs (site_id, job_id, rules_version, status, done, total, created_at, updated_at)
     values ($1, $2, $3, $4, 0, $5, $6, $6)`,
    [siteId, id, version, status, total, now.toISOString()],
  );
  return { id, status, done: 0, total };
}

/** A job of a site, or null. */
export async function jobStatus(
  db: Queryable,
  siteId: string,
  jobId: string,
): Promise<JobStatus | null> {
  const { rows } = await db.query<JobStatus>(
    'select job_id as id, status, done, total from scoring_jobs where site_id = $1 and job_id = $2',
    [siteId, jobId],
  );
  return rows[0] ?? null;
}

const LIVE_LEADS = `
  from leads l left join lead_scores s on s.site_id = l.site_id and s.lead_id = l.lead_id
 where l.site_id = $1 and l.merged_into is null`;

/**
 * Rescores one batch of leads of the running job that waited longest for a step (nobody else
 * working on it): jobs of several sites take turns, so a site rescoring a million leads does not
 * hold back another's rule change for minutes. Marks the job done when no lead is left on older
 * rules. Leads locked by ingest right now are skipped
 * and picked up by a later step. Returns how many leads it rescored.
 *
 * @example while ((await rescoreStep(store, new Date())) > 0);
 */
export async function rescoreStep(store: Store, now: Date, batchSize = 200): Promise<number> {
  let job: { site_id: string; job_id: string; after_lead_id: string | null } | undefined;
  try {
    return await store.transaction(async (tx) => {
      const { rows: jobs } = await tx.query<{
        site_id: string;
        job_id: string;
        after_lead_id: string | null;
      }>(
        `select site_id, job_id, after_lead_id from scoring_jobs where status = 'running'
          order by updated_at, created_at limit 1 for update skip locked`,
      );
      job = jobs[0];
      if (!job) return 0;
      const { site_id: siteId } = job;
      const rv = await currentRules(tx, siteId);
      // Keyset over every live lead: after the last lead scored, so no batch re-reads the ones
      // done before it. Every lead, not only those whose stored state is on older rules: a read
      // may have stored a state computed under the new rules (rememberStates) while the lead's
      // score columns and stage still wait for this job. Past the end, passes from the start
      // pick up leads on older rules that were skipped while ingest held them (the cursor
      // stays at the end).
      const batch = async (after: string, staleOnly: boolean) =>
        (
          await tx.query<{ lead_id: string }>(
            `select l.lead_id ${LIVE_LEADS} and (not $5 or s.rules_version is distinct from $2)
                and l.lead_id > $4
              order by l.lead_id limit $3 for update of l skip locked`,
            [siteId, rv.version, batchSize, after, staleOnly],
          )
        ).rows;
      let rows = await batch(job.after_lead_id ?? '', false);
      const keyset = rows.length > 0;
      if (!keyset) rows = await batch('', true);
      if (rows.length === 0) {
        const left = await tx.query<{ n: number }>(
          `select count(*)::int as n ${LIVE_LEADS} and s.rules_version is distinct from $2`,
          [job.site_id, rv.version],
        );
        // Done, or waiting for leads ingest holds: either way the next step is another job's.
        await tx.query(
          `update scoring_jobs set status = case when $4 then 'done' else status end,
                  done = case when $4 then total else done end, updated_at = $3
            where site_id = $1 and job_id = $2`,
          [job.site_id, job.job_id, now.toISOString(), left.rows[0]!.n === 0],
        );
        return 0;
      }
      const ids = rows.map((r) => r.lead_id);
      const res = await updateScores(tx, job.site_id, rv, { fresh: ids, added: new Map() }, now);
      // A new rule set can lift a lead over the threshold: the same forward-only MQL move.
      const before = new Map([...res].map(([id, r]) => [id, r.before]));
      await qualifyLeads(tx, job.site_id, ids, new Map(), rv.rules.mqlThreshold, now, before);
      await tx.query(
        `update scoring_jobs set done = least(total, done + $3), updated_at = $4,
                after_lead_id = coalesce($5, after_lead_id)
          where site_id = $1 and job_id = $2`,
        [job.site_id, job.job_id, ids.length, now.toISOString(), keyset ? ids.at(-1) : null],
      );
      return ids.length;
    });
  } catch (err) {
    if (!job || isUnavailable(err)) throw err;
    await store.query(
      `update scoring_jobs set status = 'failed', error = $3, updated_at = $4
        where site_id = $1 and job_id = $2`,
      [job.site_id, job.job_id, String(err).slice(0, 500), now.toISOString()],
    );
    throw err;
  }
}
