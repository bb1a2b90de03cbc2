-- Marketer reports and saved segments (DESIGN §6).

-- Saved lead filters; `filter` is the validated SegmentFilter JSON the leads list applies.
create table segments (
  site_id text not null,
  segment_id text not null,
  name text not null,
  filter jsonb not null,
  created_at timestamptz not null default now(),
  primary key (site_id, segment_id)
);

-- The funnel reads stage moves of a site by time window and walks each lead's history in order.
create index stage_history_site_at on stage_history (site_id, at);
create index stage_history_site_stage_at on stage_history (site_id, to_stage, at);

-- The channels report picks each visitor's first and last session.
create index sessions_site_started on sessions (site_id, started_at);

-- The forms report counts form events of a window without scanning pageviews.
create index events_forms on events (site_id, ts)
  where type in ('form_view', 'form_submit', 'form_dismiss');

-- New visitors of a window (funnel and channels cohorts).
create index visitors_first_seen on visitors (site_id, first_seen_at);
