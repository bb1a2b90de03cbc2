-- Core schema. Every primary key starts with site_id so the schema can be distributed by
-- site (Citus) unchanged; `sites` and `site_keys` are small lookup tables (reference tables there).

create table sites (
  site_id text primary key,
  name text not null,
  allowed_origins text[] not null default '{}',
  bot_policy text not null default 'flag' check (bot_policy in ('flag', 'drop', 'allow')),
  settings jsonb not null default '{}',
  created_at timestamptz not null default now()
);

-- Public keys are stored as they are (they are public); secret keys only as SHA-256 hashes.
create table site_keys (
  site_id text not null references sites (site_id) on delete cascade,
  key_id text not null,
  kind text not null check (kind in ('public', 'secret')),
  public_key text,
  secret_hash bytea,
  created_at timestamptz not null default now(),
  revoked_at timestamptz,
  primary key (site_id, key_id)
);
create unique index site_keys_public on site_keys (public_key) where kind = 'public';
create unique index site_keys_key_id on site_keys (key_id);

-- The event log. Events keep the anonymous id they were sent with; which lead they belong to is
-- resolved through anonymous_links, so identifying never rewrites this table.
create table events (
  site_id text not null,
  event_id text not null,
  anonymous_id text not null,
  session_id text,
  type text not null,
  name text,
  ts timestamptz not null,
  client_ts timestamptz not null,
  received_at timestamptz not null,
  skew_ms integer not null default 0,
  url text,
  referrer text,
  title text,
  properties jsonb not null default '{}',
  traits jsonb,
  context jsonb not null default '{}',
  is_bot boolean not null default false,
  trusted boolean not null default false,
  primary key (site_id, event_id)
);
create index events_anon_ts on events (site_id, anonymous_id, ts);
create index events_site_ts on events (site_id, ts);

-- Anonymous visitors (one row per anonymous id): the first lifecycle stage.
create table visitors (
  site_id text not null,
  anonymous_id text not null,
  first_seen_at timestamptz not null,
  last_seen_at timestamptz not null,
  first_touch jsonb,
  last_touch jsonb,
  is_bot boolean not null default false,
  primary key (site_id, anonymous_id)
);
create index visitors_last_seen on visitors (site_id, last_seen_at);

-- Sessions with their touch (landing URL, referrer, campaign) and channel.
create table sessions (
  site_id text not null,
  session_id text not null,
  anonymous_id text not null,
  started_at timestamptz not null,
  last_seen_at timestamptz not null,
  events integer not null default 0,
  pageviews integer not null default 0,
  channel text not null default 'direct',
  source text,
  medium text,
  campaign text,
  referrer text,
  landing_url text,
  primary key (site_id, session_id)
);
create index sessions_anon on sessions (site_id, anonymous_id, started_at);

-- Identified people.
create table leads (
  site_id text not null,
  lead_id text not null,
  email text,
  name text,
  traits jsonb not null default '{}',
  stage text not null default 'lead',
  stage_changed_at timestamptz not null default now(),
  score_total double precision not null default 0,
  score_fit double precision not null default 0,
  score_engagement double precision not null default 0,
  merged_into text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  first_seen_at timestamptz,
  last_seen_at timestamptz,
  primary key (site_id, lead_id)
);
create index leads_created on leads (site_id, created_at, lead_id);
create index leads_stage on leads (site_id, stage);
create index leads_email on leads (site_id, email);

-- Identifiers (email, userId) of a lead; one identifier belongs to one lead.
create table identities (
  site_id text not null,
  kind text not null,
  value text not null,
  lead_id text not null,
  created_at timestamptz not null default now(),
  primary key (site_id, kind, value)
);
create index identities_lead on identities (site_id, lead_id);

-- Which lead an anonymous id's events belong to, from valid_from on. The first link of an
-- anonymous id starts at -infinity (its whole past); a later identity change on the same
-- device adds a link from that moment, so earlier events stay with the earlier lead.
create table anonymous_links (
  site_id text not null,
  anonymous_id text not null,
  valid_from timestamptz not null,
  lead_id text not null,
  linked_at timestamptz not null default now(),
  primary key (site_id, anonymous_id, valid_from)
);
create index anonymous_links_lead on anonymous_links (site_id, lead_id);

-- Every stage move: { from, to, at, reason, actor }.
create table stage_history (
  site_id text not null,
  lead_id text not null,
  seq bigint generated always as identity,
  from_stage text,
  to_stage text not null,
  at timestamptz not null,
  reason text,
  actor text not null,
  primary key (site_id, lead_id, seq)
);

-- Transactional outbox: a change and the webhook event announcing it commit together.
-- Delivery (fan-out to endpoints, retries) reads from here.
create table webhook_events (
  site_id text not null,
  event_id text not null,
  type text not null,
  data jsonb not null,
  created_at timestamptz not null,
  primary key (site_id, event_id)
);
create index webhook_events_created on webhook_events (created_at);
