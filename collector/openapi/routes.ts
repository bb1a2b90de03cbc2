/** Every route of DESIGN §2–§6, described for the OpenAPI document (one entry per operation). */
import { z } from 'zod';
import {
  formCreateSchema,
  formDefinitionSchema,
  formUpdateSchema,
  submissionBodySchema,
  submissionListQuery,
} from '../../shared/forms-schema.ts';
import {
  leadExportQuerySchema,
  leadListQuerySchema,
  mergeLeadSchema,
  pageQuerySchema,
  patchLeadSchema,
  visitorListQuerySchema,
} from '../../shared/lead-schemas.ts';
import {
  browserAnonymousId,
  collectBatchSchema,
  createSiteSchema,
  patchSiteSchema,
} from '../../shared/schemas.ts';
import { scoringRulesSchema } from '../../shared/scoring-schema.ts';
import {
  SEGMENT_TYPES,
  segmentBatchSchema,
  segmentSingleSchema,
} from '../../shared/segment-schemas.ts';
import {
  channelsReportSchema,
  formsReportSchema,
  funnelReportSchema,
  reportQuerySchema,
} from '../api/reports-schema.ts';
import { createSegmentSchema, segmentListSchema, segmentSchema } from '../api/segments-schema.ts';
import { stageMoveSchema, trustedEventSchema } from '../lifecycle/schemas.ts';
import {
  adminSiteSchema,
  createdSiteSchema,
  issueKeySchema,
  siteListSchema,
} from '../sites/routes.ts';
import { createEndpointSchema, updateEndpointSchema } from '../webhooks/endpoints.ts';
import { deliveriesQuery } from '../webhooks/routes.ts';
import * as c from './contract.ts';
import type { RouteDoc } from './registry.ts';

const ok = (schema: z.ZodType, description = 'OK') => ({ 200: { description, schema } });
const json = z.record(z.string(), z.unknown());
const leadId = { id: 'lead id (a merged-away id answers with the survivor)' };
const unknownSite: [number, string] = [404, 'No site has this public key'];
const unknownSegment: [number, string] = [
  404,
  'No saved segment of this site has the `segment` id',
];
const adminOff = 'the admin API is disabled (`TOUCHPOINT_ADMIN_TOKEN` is not set)';
/** The admin API answers 404 to everything while it is disabled. */
const adminNotFound = (what: string): [number, string] => [404, `${what}, or ${adminOff}`];

const INGEST: RouteDoc[] = [
  {
    method: 'post',
    path: '/v1/collect',
    summary: 'Ingest a batch of events from the tag',
    description:
      'Also accepted as `text/plain` (sendBeacon). Answered only after the events are durably committed; a replayed event `id` counts as a duplicate.',
    tags: ['Ingest'],
    security: 'public',
    body: collectBatchSchema,
    responses: {
      202: {
        description: 'Committed',
        schema: z.object({ accepted: z.int(), duplicates: z.int() }),
        headers: {
          'Touchpoint-Forms':
            '`1` when a popup, slide-in or bar of the site targets the URL of the batch’s last pageview (the tag then loads the forms chunk); absent otherwise',
        },
      },
    },
    problems: [403, unknownSite, 429],
  },
  ...(['batch', ...SEGMENT_TYPES] as const).map(
    (kind): RouteDoc => ({
      method: 'post',
      path: `/v1/${kind}`,
      summary: `Segment-compatible server-side ${kind}`,
      description:
        'Segment HTTP Tracking API compatible; events from this path are trusted (they may record purchases).',
      tags: ['Ingest'],
      security: 'segmentWriteKey',
      body: kind === 'batch' ? segmentBatchSchema : segmentSingleSchema(kind),
      responses: ok(z.object({ success: z.boolean() })),
    }),
  ),
];

const FORMS: RouteDoc[] = [
  {
    method: 'get',
    path: '/v1/sites/{publicKey}/config',
    summary: "A site's public configuration: its forms and settings",
    description: 'Cacheable, with an `ETag`.',
    tags: ['Forms'],
    security: 'public',
    params: { publicKey: 'the site public key `pk_…`' },
    query: z.object({
      anonymousId: browserAnonymousId.optional().meta({
        description:
          "the visitor's anonymous id: adds what this site already knows (`uid:`/`lead:` ids are refused)",
      }),
      url: z.string().min(1).max(4096).optional().meta({
        description:
          'the page (the tag sends it): only inline forms and the popups, slide-ins and bars targeting it',
      }),
      device: z
        .enum(['mobile', 'desktop'])
        .optional()
        .meta({ description: 'with `url`: the device the forms must target (absent: any)' }),
    }),
    responses: {
      ...ok(
        z.object({
          forms: z.array(formDefinitionSchema),
          settings: json,
          visitor: json.optional(),
        }),
      ),
      304: { description: 'Not modified (`If-None-Match`)' },
    },
    problems: [unknownSite],
  },
  {
    method: 'post',
    path: '/v1/forms/{formId}/submissions',
    summary: 'Submit a form (public)',
    description:
      'Field errors come back keyed by field name. The answer never reveals whether an email is already known.',
    tags: ['Forms'],
    security: 'public',
    params: { formId: 'the form id' },
    body: submissionBodySchema,
    responses: {
      202: {
        description: 'Committed',
        schema: z.object({ id: z.string(), received: z.literal(true) }),
      },
    },
    problems: [403, [404, 'No such form, or no site has the body’s public key'], 429],
  },
  {
    method: 'get',
    path: '/v1/forms',
    summary: "The site's forms",
    tags: ['Forms'],
    security: 'secretKey',
    responses: ok(z.object({ data: z.array(formDefinitionSchema) })),
  },
  {
    method: 'post',
    path: '/v1/forms',
    summary: 'Create a form',
    description:
      'Without an `id`, the form gets one made from its name (`Đặt lịch demo` → `dat-lich-demo`, then `-2`, `-3`… when taken). Select options may be bare strings and a trigger without settings its bare type (`"exit_intent"`); the answer shows them in their full form.',
    tags: ['Forms'],
    security: 'secretKey',
    body: formCreateSchema,
    responses: { 201: { description: 'Created', schema: formDefinitionSchema } },
    problems: [409],
  },
  {
    method: 'get',
    path: '/v1/forms/{id}',
    summary: 'A form',
    tags: ['Forms'],
    security: 'secretKey',
    responses: ok(formDefinitionSchema),
  },
  {
    method: 'put',
    path: '/v1/forms/{id}',
    summary: 'Replace (or create) a form',
    tags: ['Forms'],
    security: 'secretKey',
    body: formUpdateSchema,
    responses: {
      ...ok(formDefinitionSchema, 'Replaced'),
      201: { description: 'Created', schema: formDefinitionSchema },
    },
  },
  {
    method: 'delete',
    path: '/v1/forms/{id}',
    summary: 'Delete a form',
    tags: ['Forms'],
    security: 'secretKey',
    responses: { 204: { description: 'Deleted' } },
  },
  {
    method: 'get',
    path: '/v1/forms/{formId}/submissions',
    summary: "A form's submissions, newest first (quarantined ones with their reason)",
    tags: ['Forms'],
    security: 'secretKey',
    params: { formId: 'the form id (a deleted form’s submissions stay listable)' },
    query: submissionListQuery,
    responses: ok(c.page(c.submissionRecordSchema)),
  },
];

const LEADS: RouteDoc[] = [
  {
    method: 'get',
    path: '/v1/leads',
    summary: 'List leads with filters, sort and cursor pagination',
    tags: ['Leads'],
    security: 'secretKey',
    query: leadListQuerySchema,
    responses: ok(
      c.page(c.leadSchema).extend({
        total: z.int().optional().meta({ description: 'with `count=true`: every matching lead' }),
      }),
    ),
    problems: [unknownSegment],
  },
  {
    method: 'get',
    path: '/v1/leads/export.csv',
    summary: 'Export leads as CSV (same filters as the list, streamed)',
    description: 'Cells starting with `=`, `+`, `-` or `@` are escaped for spreadsheets.',
    tags: ['Leads'],
    security: 'secretKey',
    query: leadExportQuerySchema,
    responses: { 200: { description: 'CSV', contentType: 'text/csv' } },
    problems: [unknownSegment],
  },
  {
    method: 'get',
    path: '/v1/leads/{id}',
    summary: 'A lead: profile, score with breakdown, stage history, identities, touches',
    tags: ['Leads'],
    security: 'secretKey',
    params: leadId,
    responses: ok(c.leadSchema),
  },
  {
    method: 'patch',
    path: '/v1/leads/{id}',
    summary: "Update a lead's traits",
    tags: ['Leads'],
    security: 'secretKey',
    params: leadId,
    body: patchLeadSchema,
    responses: ok(c.leadSchema),
    problems: [[409, 'Another lead has this email: merge the two leads instead']],
  },
  {
    method: 'delete',
    path: '/v1/leads/{id}',
    summary: 'Erase a lead, its identities and its events',
    tags: ['Leads'],
    security: 'secretKey',
    params: leadId,
    responses: { 204: { description: 'Erased' } },
  },
  {
    method: 'get',
    path: '/v1/leads/{id}/timeline',
    summary: 'Every event of every stitched anonymous id, newest first',
    tags: ['Leads'],
    security: 'secretKey',
    params: leadId,
    query: pageQuerySchema,
    responses: ok(c.page(c.timelineEventSchema)),
  },
  {
    method: 'get',
    path: '/v1/leads/{id}/export',
    summary: 'Everything stored about one person, as a JSON download (data subject access)',
    tags: ['Leads'],
    security: 'secretKey',
    params: leadId,
    responses: {
      ...ok(
        z.object({
          leadId: z.string(),
          exportedAt: z.iso.datetime(),
          leadIds: z.array(z.string()),
          anonymousIds: z.array(z.string()),
          tables: z.record(z.string(), z.array(json)),
        }),
      ),
    },
  },
  {
    method: 'post',
    path: '/v1/leads/{id}/merge',
    summary: 'Merge another lead into this one',
    tags: ['Leads'],
    security: 'secretKey',
    params: leadId,
    body: mergeLeadSchema,
    responses: ok(c.leadSchema),
    problems: [409],
  },
  {
    method: 'post',
    path: '/v1/leads/{id}/stage',
    summary: 'Move a lead to a stage (backwards and exits need a reason)',
    tags: ['Lifecycle'],
    security: 'secretKey',
    params: leadId,
    body: stageMoveSchema,
    responses: ok(c.stageMovedSchema),
    problems: [409],
  },
  {
    method: 'post',
    path: '/v1/leads/{id}/events',
    summary: 'Record a trusted server-side event (e.g. `purchase` with `value`)',
    tags: ['Lifecycle'],
    security: 'secretKey',
    params: leadId,
    body: trustedEventSchema,
    responses: { 202: { description: 'Recorded', schema: c.trustedEventAnswerSchema } },
  },
  {
    method: 'get',
    path: '/v1/visitors',
    summary: 'Anonymous prospects (the first lifecycle stage)',
    tags: ['Leads'],
    security: 'secretKey',
    query: visitorListQuerySchema,
    responses: ok(c.page(c.visitorSchema)),
  },
  {
    method: 'get',
    path: '/v1/visitors/{anonymousId}',
    summary: 'A visitor: sessions with touches and channel, events, and its lead once identified',
    tags: ['Leads'],
    security: 'secretKey',
    responses: ok(c.visitorDetailSchema),
  },
];

const MARKETER: RouteDoc[] = [
  {
    method: 'get',
    path: '/v1/reports/funnel',
    summary: 'Funnel per lifecycle stage, with the seed models and optional channel breakdown',
    description:
      'Per stage: people there now, entries in [from, to), how many of those reached a later stage by `to`, median and p90 time in stage over stays that ended in the window; lost and disqualified reasons; the same population mapped onto the CRM funnel, the customer lifecycle and the CX journey (see `shared/funnel.ts`).',
    tags: ['Reports'],
    security: 'secretKey',
    query: reportQuerySchema,
    responses: ok(funnelReportSchema),
  },
  {
    method: 'get',
    path: '/v1/reports/channels',
    summary: 'Visitors → leads → MQLs → customers per channel (first and last touch)',
    tags: ['Reports'],
    security: 'secretKey',
    query: reportQuerySchema,
    responses: ok(channelsReportSchema),
  },
  {
    method: 'get',
    path: '/v1/reports/forms',
    summary: 'Form views → submissions → conversion per form',
    tags: ['Reports'],
    security: 'secretKey',
    query: reportQuerySchema,
    responses: ok(formsReportSchema),
  },
  {
    method: 'get',
    path: '/v1/segments',
    summary: 'Saved segments',
    tags: ['Segments'],
    security: 'secretKey',
    responses: ok(segmentListSchema),
  },
  {
    method: 'post',
    path: '/v1/segments',
    summary: 'Save a segment (a named lead filter; use it as `segment=ID` on the list)',
    tags: ['Segments'],
    security: 'secretKey',
    body: createSegmentSchema,
    responses: { 201: { description: 'Created', schema: segmentSchema } },
    problems: [409],
  },
  {
    method: 'get',
    path: '/v1/segments/{id}',
    summary: 'A segment',
    tags: ['Segments'],
    security: 'secretKey',
    responses: ok(segmentSchema),
  },
  {
    method: 'delete',
    path: '/v1/segments/{id}',
    summary: 'Delete a segment',
    tags: ['Segments'],
    security: 'secretKey',
    responses: { 204: { description: 'Deleted' } },
  },
  {
    method: 'get',
    path: '/v1/scoring',
    summary: "The site's scoring rules",
    description:
      'The rules exactly as PUT takes them; the version is in the `ETag` (`"rules-v3"`) and `Touchpoint-Rules-Version` headers.',
    tags: ['Scoring'],
    security: 'secretKey',
    responses: {
      ...ok(scoringRulesSchema),
      304: { description: 'Not modified (`If-None-Match`)' },
    },
  },
  {
    method: 'put',
    path: '/v1/scoring',
    summary: 'Replace the scoring rules and rescore every lead',
    description:
      'With `If-Match` (the ETag of the GET the edit started from), a save over rules changed since then answers 412 instead of replacing them.',
    tags: ['Scoring'],
    security: 'secretKey',
    body: scoringRulesSchema,
    responses: {
      202: {
        description: 'Rules saved; rescoring runs',
        schema: z.object({
          rules: scoringRulesSchema,
          version: z.int(),
          job: c.scoringJobSchema.pick({ id: true, status: true }),
        }),
      },
    },
    problems: [412],
  },
  {
    method: 'get',
    path: '/v1/scoring/jobs/{id}',
    summary: 'Progress of a rescoring job',
    tags: ['Scoring'],
    security: 'secretKey',
    responses: ok(c.scoringJobSchema),
  },
  {
    method: 'get',
    path: '/v1/webhooks',
    summary: 'Webhook endpoints',
    tags: ['Webhooks'],
    security: 'secretKey',
    responses: ok(z.object({ data: z.array(c.webhookSchema) })),
  },
  {
    method: 'post',
    path: '/v1/webhooks',
    summary: 'Add a webhook endpoint (its signing secret is shown once)',
    tags: ['Webhooks'],
    security: 'secretKey',
    body: createEndpointSchema,
    responses: {
      201: { description: 'Created', schema: c.webhookSchema.extend({ secret: z.string() }) },
    },
  },
  {
    method: 'patch',
    path: '/v1/webhooks/{id}',
    summary: 'Change an endpoint’s URL or event types',
    tags: ['Webhooks'],
    security: 'secretKey',
    body: updateEndpointSchema,
    responses: ok(c.webhookSchema),
  },
  {
    method: 'post',
    path: '/v1/webhooks/{id}/secret',
    summary: 'Give an endpoint a new signing secret (shown once; used from the next delivery on)',
    tags: ['Webhooks'],
    security: 'secretKey',
    responses: ok(c.webhookSchema.extend({ secret: z.string() })),
  },
  {
    method: 'delete',
    path: '/v1/webhooks/{id}',
    summary: 'Remove a webhook endpoint',
    tags: ['Webhooks'],
    security: 'secretKey',
    responses: { 204: { description: 'Removed' } },
  },
  {
    method: 'get',
    path: '/v1/webhooks/{id}/deliveries',
    summary: 'Deliveries to an endpoint, newest first',
    tags: ['Webhooks'],
    security: 'secretKey',
    query: deliveriesQuery,
    responses: ok(c.page(c.deliverySchema)),
  },
  {
    method: 'post',
    path: '/v1/webhooks/{id}/test',
    summary: 'Send the endpoint a signed webhook.test event (at the delivery worker’s next pass)',
    tags: ['Webhooks'],
    security: 'secretKey',
    responses: { 202: { description: 'Queued', schema: c.deliverySchema } },
  },
  {
    method: 'post',
    path: '/v1/webhooks/{id}/deliveries/{deliveryId}/retry',
    summary: 'Send a delivery again (same body and event id), failed or not',
    tags: ['Webhooks'],
    security: 'secretKey',
    responses: { 202: { description: 'Queued', schema: c.deliverySchema } },
  },
  {
    method: 'post',
    path: '/v1/admin/sites',
    summary: 'Create a site (its secret key is shown once)',
    tags: ['Admin'],
    security: 'adminToken',
    body: createSiteSchema,
    responses: { 201: { description: 'Created', schema: createdSiteSchema } },
    problems: [[404, `Not found: ${adminOff}`]],
  },
  {
    method: 'get',
    path: '/v1/admin/sites',
    summary: 'Sites, newest first (without their keys)',
    tags: ['Admin'],
    security: 'adminToken',
    query: pageQuerySchema,
    responses: ok(siteListSchema),
    problems: [[404, `Not found: ${adminOff}`]],
  },
  {
    method: 'get',
    path: '/v1/admin/sites/{id}',
    summary: 'A site (without its keys)',
    tags: ['Admin'],
    security: 'adminToken',
    responses: ok(adminSiteSchema),
    problems: [adminNotFound('No such site')],
  },
  {
    method: 'patch',
    path: '/v1/admin/sites/{id}',
    summary: "Change a site's name, allowed origins, bot policy or settings",
    description:
      'Each field given replaces the site’s (origins normalised as on creation); `settings` is merged into the stored ones, a key set to `null` going back to its default. Takes effect at once on the replica that answers, within 5 s (the site cache) on the others.',
    tags: ['Admin'],
    security: 'adminToken',
    body: patchSiteSchema,
    responses: ok(adminSiteSchema, 'Changed'),
    problems: [adminNotFound('No such site')],
  },
  {
    method: 'post',
    path: '/v1/admin/sites/{id}/keys',
    summary: 'Issue a new key for a site (rotation; a secret key is shown once)',
    tags: ['Admin'],
    security: 'adminToken',
    body: issueKeySchema,
    responses: {
      201: {
        description: 'Issued',
        schema: z.object({
          keyId: z.string(),
          kind: z.enum(['public', 'secret']),
          key: z.string(),
        }),
      },
    },
    problems: [adminNotFound('No such site')],
  },
  {
    method: 'get',
    path: '/v1/admin/sites/{id}/keys',
    summary: "A site's keys (secret keys only by id)",
    tags: ['Admin'],
    security: 'adminToken',
    responses: ok(z.object({ data: z.array(c.siteKeySchema) })),
    problems: [adminNotFound('No such site')],
  },
  {
    method: 'delete',
    path: '/v1/admin/sites/{id}/keys/{keyId}',
    summary: 'Revoke a key',
    tags: ['Admin'],
    security: 'adminToken',
    responses: { 204: { description: 'Revoked' } },
    problems: [adminNotFound('No such site or key')],
  },
];

const OPERATIONS: RouteDoc[] = [
  {
    method: 'get',
    path: '/openapi.json',
    summary: 'This document',
    tags: ['Meta'],
    security: 'public',
    responses: ok(json),
  },
  {
    method: 'get',
    path: '/docs',
    summary: 'A readable reference of this document',
    tags: ['Meta'],
    security: 'public',
    responses: { 200: { description: 'HTML', contentType: 'text/html' } },
  },
  {
    method: 'get',
    path: '/healthz',
    summary: 'Liveness',
    tags: ['Meta'],
    security: 'public',
    responses: ok(z.object({ status: z.string() })),
  },
  {
    method: 'get',
    path: '/readyz',
    summary: 'Readiness: the store answers',
    description:
      'A store that does not answer within 1 s (`config.readyTimeoutMs`) is a 503, answered within that bound.',
    tags: ['Meta'],
    security: 'public',
    responses: {
      ...ok(z.object({ status: z.string(), store: z.string() })),
      503: {
        description: 'Store unreachable',
        schema: z.object({ status: z.string(), store: z.string(), detail: z.string() }),
      },
    },
  },
  {
    method: 'get',
    path: '/metrics',
    summary: 'Prometheus metrics',
    tags: ['Meta'],
    security: 'public',
    responses: { 200: { description: 'Prometheus text format', contentType: 'text/plain' } },
  },
];

/** The API as documented: every public and marketer operation. */
export const ROUTES: readonly RouteDoc[] = [
  ...INGEST,
  ...FORMS,
  ...LEADS,
  ...MARKETER,
  ...OPERATIONS,
];
