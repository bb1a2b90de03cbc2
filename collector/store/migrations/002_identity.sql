-- Identity stitching (DESIGN §7): the audit trail of every link, refused link and merge, and the
-- indexes the marketer API's lead list, timeline and visitor queries use.

-- One row per identity decision, so "why is this browser in that lead?" always has an answer.
-- action: 'create' (new lead), 'link' (anonymous id linked), 'identifier' (email/userId added),
-- 'refused' (link refused: anonymous-id cap, or an identifier owned by another lead), 'merge'.
create table identity_audit (
  site_id text not null,
  audit_id bigint generated always as identity,
  lead_id text not null,
  action text not null,
  anonymous_id text,
  kind text,
  value text,
  merged_lead_id text,
  source text,
  detail jsonb not null default '{}',
  at timestamptz not null,
  primary key (site_id, audit_id)
);
create index identity_audit_lead on identity_audit (site_id, lead_id);
create index identity_audit_merged on identity_audit (site_id, merged_lead_id) where merged_lead_id is not null;

-- Lead list: keyset pagination per sort key, only live (not merged) leads.
create index leads_live_score on leads (site_id, score_total, lead_id) where merged_into is null;
create index leads_live_created on leads (site_id, created_at, lead_id) where merged_into is null;
create index leads_live_last_seen on leads (site_id, (coalesce(last_seen_at, created_at)), lead_id) where merged_into is null;
create index leads_merged_into on leads (site_id, merged_into) where merged_into is not null;

-- Visitor list, newest first.
create index visitors_last_seen_id on visitors (site_id, last_seen_at, anonymous_id);

-- Lead list `channel` filter: sessions (and visitors' first touch) of one channel.
create index sessions_channel on sessions (site_id, channel, anonymous_id);
create index visitors_first_channel on visitors (site_id, (first_touch->>'channel'), anonymous_id);
