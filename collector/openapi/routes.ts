/** Every route of DESIGN §2–§6, described for the OpenAPI document (one entry per operation). */
import { z } from 'zod';
import { collectBatchSchema, createSiteSchema } from '../../shared/schemas.ts';
import {
  channelsReportSchema,
  formsReportSchema,
  funnelReportSchema,
  reportQuerySchema,
} from '../api/reports-schema.ts';
import { createSegmentSchema, segmentListSchema, segmentSchema } from '../api/segments-schema.ts';
import * as c from './contract.ts';
import type { RouteDoc } from './registry.ts';

const ok = (schema: z.ZodType, description = 'OK') => ({ 200: { description, schema } });
const json = z.record(z.string(), z.unknown());
const leadId = { id: 'lead id (a merged-away id answers with the survivor)' };

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
      },
    },
    problems: [403, 404, 413, 415, 429],
  },
  ...(['batch', 'track', 'identify', 'page'] as const).map(
    (kind): RouteDoc => ({
      method: 'post',
      path: `/v1/${kind}`,
      summary: `Segment-compatible server-side ${kind}`,
      description:
        'Segment HTTP Tracking API compatible; events from this path are trusted (they may record purchases).',
      tags: ['Ingest'],
      security: 'segmentWriteKey',
      body:
        kind === 'batch'
          ? z.object({ batch: z.array(c.segmentMessageSchema), context: json.optional() })
          : c.segmentMessageSchema,
      responses: ok(z.object({ success: z.boolean() })),
      problems: [413],
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
    responses: { ...ok(c.siteConfigSchema), 304: { description: 'Not modified' } },
  },
  {
    method: 'post',
    path: '/v1/forms/{formId}/submissions',
    summary: 'Submit a form (public)',
    description:
      'Field errors come back keyed by field name. The answer never reveals whether an email is already known.',
    tags: ['Forms'],
    security: 'public',
    body: c.submissionSchema,
    responses: { 202: { description: 'Committed', schema: json } },
    problems: [403, 413, 429],
  },
  {
    method: 'get',
    path: '/v1/forms',
    summary: "The site's forms",
    tags: ['Forms'],
    security: 'secretKey',
    responses: ok(z.object({ data: z.array(c.formDefinitionSchema) })),
  },
  {
    method: 'post',
    path: '/v1/forms',
    summary: 'Create a form',
    tags: ['Forms'],
    security: 'secretKey',
    body: c.formDefinitionSchema,
    responses: { 201: { description: 'Created', schema: c.formDefinitionSchema } },
    problems: [409],
  },
  {
    method: 'get',
    path: '/v1/forms/{id}',
    summary: 'A form',
    tags: ['Forms'],
    security: 'secretKey',
    responses: ok(c.formDefinitionSchema),
  },
  {
    method: 'put',
    path: '/v1/forms/{id}',
    summary: 'Replace a form',
    tags: ['Forms'],
    security: 'secretKey',
    body: c.formDefinitionSchema,
    responses: ok(c.formDefinitionSchema),
  },
  {
    method: 'delete',
    path: '/v1/forms/{id}',
    summary: 'Delete a form',
    tags: ['Forms'],
    security: 'secretKey',
    responses: { 204: { description: 'Deleted' } },
  },
];

const LEADS: RouteDoc[] = [
  {
    method: 'get',
    path: '/v1/leads',
    summary: 'List leads with filters, sort and cursor pagination',
    tags: ['Leads'],
    security: 'secretKey',
    query: c.leadListQuerySchema,
    responses: ok(c.page(c.leadSchema)),
  },
  {
    method: 'get',
    path: '/v1/leads/export.csv',
    summary: 'Export leads as CSV (same filters as the list, streamed)',
    description: 'Cells starting with `=`, `+`, `-` or `@` are escaped for spreadsheets.',
    tags: ['Leads'],
    security: 'secretKey',
    query: c.leadListQuerySchema.omit({ cursor: true, limit: true }),
    responses: { 200: { description: 'CSV', contentType: 'text/csv' } },
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
    body: z.object({ traits: json }),
    responses: ok(c.leadSchema),
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
    path: '/v1/leads/{id}/export',
    summary: 'Everything stored about one person, from every table (right of access)',
    tags: ['Leads'],
    security: 'secretKey',
    params: leadId,
    responses: ok(
      z.object({
        leadId: z.string(),
        exportedAt: z.string(),
        leadIds: z.array(z.string()),
        anonymousIds: z.array(z.string()),
        tables: z.record(z.string(), z.array(json)),
      }),
    ),
  },
  {
    method: 'get',
    path: '/v1/leads/{id}/timeline',
    summary: 'Every event of every stitched anonymous id, newest first',
    tags: ['Leads'],
    security: 'secretKey',
    params: leadId,
    query: c.pageQuerySchema,
    responses: ok(c.page(c.timelineEventSchema)),
  },
  {
    method: 'post',
    path: '/v1/leads/{id}/merge',
    summary: 'Merge another lead into this one',
    tags: ['Leads'],
    security: 'secretKey',
    params: leadId,
    body: z.object({ leadId: z.string() }),
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
    body: c.stageMoveSchema,
    responses: ok(c.leadSchema),
    problems: [409],
  },
  {
    method: 'post',
    path: '/v1/leads/{id}/events',
    summary: 'Record a trusted server-side event (e.g. `purchase` with `value`)',
    tags: ['Lifecycle'],
    security: 'secretKey',
    params: leadId,
    body: c.trustedEventSchema,
    responses: { 202: { description: 'Recorded', schema: json } },
  },
  {
    method: 'get',
    path: '/v1/visitors',
    summary: 'Anonymous prospects (the first lifecycle stage)',
    tags: ['Leads'],
    security: 'secretKey',
    query: c.pageQuerySchema,
    responses: ok(c.page(c.visitorSchema)),
  },
  {
    method: 'get',
    path: '/v1/visitors/{anonymousId}',
    summary: 'A visitor: sessions with touches and channel, events, and its lead once identified',
    tags: ['Leads'],
    security: 'secretKey',
    responses: ok(c.visitorSchema),
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
    tags: ['Scoring'],
    security: 'secretKey',
    responses: ok(c.scoringRulesSchema),
  },
  {
    method: 'put',
    path: '/v1/scoring',
    summary: 'Replace the scoring rules and rescore every lead',
    tags: ['Scoring'],
    security: 'secretKey',
    body: c.scoringRulesSchema,
    responses: {
      202: {
        description: 'Rules saved; rescoring runs',
        schema: z.object({
          rules: c.scoringRulesSchema,
          job: c.scoringJobSchema.pick({ id: true, status: true }),
        }),
      },
    },
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
    body: c.webhookInputSchema,
    responses: {
      201: { description: 'Created', schema: c.webhookSchema.extend({ secret: z.string() }) },
    },
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
    summary: 'Recent deliveries to an endpoint',
    tags: ['Webhooks'],
    security: 'secretKey',
    responses: ok(z.object({ data: z.array(c.deliverySchema) })),
  },
  {
    method: 'post',
    path: '/v1/admin/sites',
    summary: 'Create a site (its secret key is shown once)',
    tags: ['Admin'],
    security: 'adminToken',
    body: createSiteSchema,
    responses: {
      201: {
        description: 'Created',
        schema: z.object({
          site: z.object({
            id: z.string(),
            name: z.string(),
            allowedOrigins: z.array(z.string()),
            botPolicy: z.enum(['flag', 'drop', 'allow']),
          }),
          publicKey: z.string(),
          publicKeyId: z.string(),
          secretKey: z.string(),
        }),
      },
    },
  },
  {
    method: 'post',
    path: '/v1/admin/sites/{id}/keys',
    summary: 'Issue a new public or secret key (rotation; the key is shown once)',
    description:
      'Deploy the new key, then revoke the old one. A secret key is `sk_<keyId>_<secret>`.',
    tags: ['Admin'],
    security: 'adminToken',
    params: { id: 'site id' },
    body: z.object({ kind: z.enum(['public', 'secret']) }),
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
    problems: [404],
  },
  {
    method: 'get',
    path: '/v1/admin/sites/{id}/keys',
    summary: "A site's keys: ids, kinds, public keys, revocation times (never secrets)",
    tags: ['Admin'],
    security: 'adminToken',
    params: { id: 'site id' },
    responses: ok(
      z.object({
        data: z.array(
          z.object({
            keyId: z.string(),
            kind: z.enum(['public', 'secret']),
            publicKey: z.string().nullable(),
            createdAt: z.string(),
            revokedAt: z.string().nullable(),
          }),
        ),
      }),
    ),
    problems: [404],
  },
  {
    method: 'delete',
    path: '/v1/admin/sites/{id}/keys/{keyId}',
    summary: 'Revoke a key (secret keys at once; public keys within the 5 s site cache)',
    tags: ['Admin'],
    security: 'adminToken',
    params: { id: 'site id', keyId: 'key id' },
    responses: { 204: { description: 'Revoked' } },
    problems: [404],
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
    tags: ['Meta'],
    security: 'public',
    responses: {
      ...ok(z.object({ status: z.string(), store: z.string() })),
      503: { description: 'Store unreachable', schema: z.object({ status: z.string() }) },
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
