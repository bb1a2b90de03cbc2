/** The lead list's and export's queries as the routes validate them (DESIGN §6 filters). */
import { leadExportQuerySchema, leadListQuerySchema } from '../../shared/lead-schemas.ts';

/** Parameters that may be repeated: their values join as the comma form (`stage=mql,sql`). */
export const LEAD_LIST_LISTS = ['stage'] as const;

/**
 * `GET /v1/leads` (the OpenAPI document describes the same schema).
 *
 * @example readApiQuery(c, leadListQuery, LEAD_LIST_LISTS)
 */
export const leadListQuery = leadListQuerySchema;

/**
 * `GET /v1/leads/export.csv`.
 *
 * @example readApiQuery(c, leadExportQuery, LEAD_LIST_LISTS)
 */
export const leadExportQuery = leadExportQuerySchema;
