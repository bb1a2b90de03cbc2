-- Scoring rules (versioned), per-lead engagement state, rescoring jobs, webhook endpoints and
-- deliveries. Every primary key starts with site_id (DESIGN §9).

-- Every PUT /v1/scoring is a new version; the highest is current. No row: the default rules
-- (version 0).
create table scoring_rules (
  site_id text not null,
  version integer not null,
  rules jsonb not null,
  created_at timestamptz not null,
  primary key (site_id, version)
);

-- Per-lead engagement state (shared/scoring.ts RuleState per rule id), valid for one rules
-- version: ingest folds new events into it; a lead whose version is not current is recomputed
-- from its history.
create table lead_scores (
  site_id text not null,
  lead_id text not null,
  rules_version integer not null,
  state jsonb not null default '{}',
  updated_at timestamptz not null,
  primary key (site_id, lead_id)
);

-- Background rescoring after a rule change; progress is done / total.
create table scoring_jobs (
  site_id text not null,
  job_id text not null,
  rules_version integer not null,
  status text not null check (status in ('running', 'done', 'failed')),
  done integer not null default 0,
  total integer not null default 0,
  error text,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  primary key (site_id, job_id)
);
create index scoring_jobs_running on scoring_jobs (created_at) where status = 'running';

-- Webhook endpoints. The signing secret is stored as-is because HMAC needs it; it is returned
-- only once, when the endpoint is created.
create table webhook_endpoints (
  site_id text not null,
  endpoint_id text not null,
  url text not null,
  events text[] not null,
  secret text not null,
  created_at timestamptz not null,
  primary key (site_id, endpoint_id)
);

-- Outbox rows not yet fanned out to endpoints.
alter table webhook_events add column fanned_out_at timestamptz;
create index webhook_events_pending on webhook_events (created_at) where fanned_out_at is null;

-- One delivery per (endpoint, event): the exact body to send, attempts and outcome.
create table webhook_deliveries (
  site_id text not null,
  delivery_id text not null,
  endpoint_id text not null,
  event_id text not null,
  type text not null,
  body text not null,
  status text not null check (status in ('pending', 'delivered', 'failed')),
  attempts integer not null default 0,
  next_attempt_at timestamptz not null,
  last_status integer,
  last_error text,
  created_at timestamptz not null,
  delivered_at timestamptz,
  primary key (site_id, delivery_id),
  unique (site_id, endpoint_id, event_id),
  -- Erasing a person deletes their outbox events; the bodies sent about them go too.
  foreign key (site_id, event_id) references webhook_events (site_id, event_id) on delete cascade,
  foreign key (site_id, endpoint_id) references webhook_endpoints (site_id, endpoint_id)
    on delete cascade
);
create index webhook_deliveries_due on webhook_deliveries (next_attempt_at) where status = 'pending';
create index webhook_deliveries_endpoint on webhook_deliveries (site_id, endpoint_id, created_at);
