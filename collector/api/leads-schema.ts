/** The lead list's and export's queries as the routes validate them (DESIGN §6 filters). */
import { z } from 'zod';
import { CHANNELS } from '../../shared/funnel.ts';
import { leadExportQuerySchema, leadListQuerySchema } from '../../shared/lead-schemas.ts';

/**
 * `channel` is one of DESIGN §8's channels, as a saved segment's is: `channel=bogus` is a 400
 * naming the parameter, not an empty list that reads as "no leads from there".
 */
const channel = z.enum(CHANNELS).optional().meta({ description: "the lead's first-touch channel" });

/** Parameters that may be repeated: their values join as the comma form (`stage=mql,sql`). */
export const LEAD_LIST_LISTS = ['stage'] as const;

/**
 * `GET /v1/leads`.
 *
 * @example readApiQuery(c, leadListQuery, LEAD_LIST_LISTS)
 */
export const leadListQuery = leadListQuerySchema.extend({ channel });

/**
 * `GET /v1/leads/export.csv`.
 *
 * @example readApiQuery(c, leadExportQuery, LEAD_LIST_LISTS)
 */
export const leadExportQuery = leadExportQuerySchema.extend({ channel });
