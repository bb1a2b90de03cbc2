-- The funnel report (GET /v1/reports/funnel) as indexed aggregates instead of a scan of every
-- stage move, session and link of the site (100k leads: 2.7 s). What it needs is kept at write
-- time by triggers, so every writer (ingest, the API, merges, erasure, seeds) keeps it exact
-- without knowing about it:
--   leads.first_channel / first_session_at: the lead's first-touch channel as the lead list
--     defines it (FIRST_CHANNEL_SQL): its earliest session inside its link ranges, else the
--     first touch kept on its first browser; null when none (the report reads `other`), and
--     the start of that session;
--   visitors.first_channel / first_session_at / linked_at: the same for an anonymous id, and
--     when it was first linked to a lead (null: still an anonymous visitor);
--   funnel_stays: one row per stay in a stage (a stage_history row, or the implied entry into
--     `lead` of a lead whose entry was never recorded), with when it was left, when the lead
--     first went further down the lifecycle after it, and when it last entered each stage
--     before it (so "distinct leads entering a step" is a count, not a distinct over stays).

alter table leads add column first_channel text;
alter table leads add column first_session_at timestamptz;
alter table visitors add column first_channel text;
alter table visitors add column first_session_at timestamptz;
alter table visitors add column linked_at timestamptz;

create table funnel_stays (
  site_id text not null,
  lead_id text not null,
  -- stage_history.seq; 0 for the implied entry into `lead` at the lead's creation.
  seq bigint not null,
  stage text not null,
  entered_at timestamptz not null,
  -- The next move of the lead (null: still there).
  left_at timestamptz,
  -- The first later entry into a stage further down the lifecycle (null: none; always null
  -- for the side exits).
  converted_at timestamptz,
  -- The lead's first-touch channel as stored (null: `other`).
  channel text,
  -- Exit reason, trimmed (null when empty).
  reason text,
  -- Per stage: the lead's latest earlier entry into that stage (null: none).
  prev_visitor timestamptz,
  prev_lead timestamptz,
  prev_mql timestamptz,
  prev_sql timestamptz,
  prev_opportunity timestamptz,
  prev_customer timestamptz,
  prev_repeat_customer timestamptz,
  prev_disqualified timestamptz,
  prev_lost timestamptz,
  primary key (site_id, lead_id, seq)
);
-- Stays entered in a window; stays left in a window with what their time in stage needs (an
-- index-only scan where pages are all-visible).
create index funnel_stays_entered on funnel_stays (site_id, entered_at);
create index funnel_stays_left on funnel_stays (site_id, left_at) include (entered_at, stage, channel)
  where left_at is not null;
-- Unlinked visitors per channel, and visitors linked in a window (covering, as above).
create index visitors_unlinked on visitors (site_id, first_channel) where linked_at is null and not is_bot;
create index visitors_linked_at on visitors (site_id, linked_at) include (first_seen_at, first_channel)
  where linked_at is not null and not is_bot;
-- People per stage and channel now; the lead list's channel filter.
create index leads_live_stage_channel on leads (site_id, stage, first_channel) where merged_into is null;
create index leads_live_channel on leads (site_id, first_channel) where merged_into is null;

-- The first touch of some leads (see above): the earliest session inside a link range (the
-- range of link `al` ends at the anonymous id's next link), else the visitor first touch of
-- an anonymous id linked for its whole past, earliest visitor first.
create function tp_refresh_lead_channels(p_site text, p_leads text[]) returns void
language sql as $$
  update leads l set first_channel = coalesce(f.channel, f.touch_channel),
                     first_session_at = f.started_at
    from (select x.lead_id, s.channel, s.started_at,
                 case when s.channel is null then
                   (select v.first_touch->>'channel' from anonymous_links al
                      join visitors v on v.site_id = al.site_id and v.anonymous_id = al.anonymous_id
                     where al.site_id = p_site and al.lead_id = x.lead_id
                       and al.valid_from = '-infinity' and v.first_touch is not null
                     order by v.first_seen_at limit 1)
                 end as touch_channel
            from unnest(p_leads) as x(lead_id)
            left join lateral (
              select s.channel, s.started_at from anonymous_links al
                join sessions s on s.site_id = al.site_id and s.anonymous_id = al.anonymous_id
                 and s.started_at >= al.valid_from
                 and not exists (select 1 from anonymous_links nx
                                  where nx.site_id = al.site_id and nx.anonymous_id = al.anonymous_id
                                    and nx.valid_from > al.valid_from
                                    and nx.valid_from <= s.started_at)
               where al.site_id = p_site and al.lead_id = x.lead_id
               order by s.started_at, s.session_id limit 1) s on true) f
   where l.site_id = p_site and l.lead_id = f.lead_id
     and (l.first_channel is distinct from coalesce(f.channel, f.touch_channel)
          or l.first_session_at is distinct from f.started_at)
$$;

-- The first session and first link of some anonymous ids.
create function tp_refresh_visitors(p_site text, p_anons text[]) returns void
language sql as $$
  update visitors v set first_channel = f.channel, first_session_at = f.started_at,
                        linked_at = f.linked_at
    from (select x.anonymous_id, s.channel, s.started_at,
                 (select min(a.linked_at) from anonymous_links a
                   where a.site_id = p_site and a.anonymous_id = x.anonymous_id) as linked_at
            from unnest(p_anons) as x(anonymous_id)
            left join lateral (
              select s.channel, s.started_at from sessions s
               where s.site_id = p_site and s.anonymous_id = x.anonymous_id
               order by s.started_at limit 1) s on true) f
   where v.site_id = p_site and v.anonymous_id = f.anonymous_id
     and (v.first_channel is distinct from f.channel
          or v.first_session_at is distinct from f.started_at
          or v.linked_at is distinct from f.linked_at)
$$;

-- Links of these anonymous ids changed: every lead linked to them (a new link also ends the
-- range of the previous one), the given leads (links moved or deleted away from them), and
-- the visitors.
create function tp_refresh_links(p_site text, p_anons text[], p_leads text[]) returns void
language sql as $$
  select tp_refresh_lead_channels(p_site, array(
    select a.lead_id from unnest(p_anons) as x(anonymous_id)
      join anonymous_links a on a.site_id = p_site and a.anonymous_id = x.anonymous_id
    union select unnest(p_leads)));
  select tp_refresh_visitors(p_site, p_anons);
$$;

-- Rebuilds the stays of some leads from their history (none for a merged-away or erased lead).
create function tp_refresh_funnel_stays(p_site text, p_leads text[]) returns void
language sql as $$
  -- Joins with unnest(), not "= any()": a parameter array is searched linearly per row.
  delete from funnel_stays f using unnest(p_leads) as x(lead_id)
   where f.site_id = p_site and f.lead_id = x.lead_id;
  with l as (
    select lead_id, ld.created_at, ld.first_channel
      from unnest(p_leads) as x(lead_id) join leads ld using (lead_id)
     where ld.site_id = p_site and ld.merged_into is null),
  h0 as (
    select x.lead_id, x.seq, x.to_stage as stage, x.at, x.reason, l.first_channel
      from stage_history x join l using (lead_id)
     where x.site_id = p_site
    union all
    select l.lead_id, 0, 'lead', l.created_at, null, l.first_channel from l
     where not exists (select 1 from stage_history y
                        where y.site_id = p_site and y.lead_id = l.lead_id
                          and (y.from_stage is null or y.from_stage = 'visitor'))),
  r as (
    select h0.*, coalesce(array_position(array['visitor', 'lead', 'mql', 'sql', 'opportunity',
             'customer', 'repeat_customer']::text[], h0.stage), 0) as stage_rank
      from h0),
  h as (
    select r.*, lead(r.at) over w as left_at,
           max(r.at) filter (where r.stage = 'visitor') over p as prev_visitor,
           max(r.at) filter (where r.stage = 'lead') over p as prev_lead,
           max(r.at) filter (where r.stage = 'mql') over p as prev_mql,
           max(r.at) filter (where r.stage = 'sql') over p as prev_sql,
           max(r.at) filter (where r.stage = 'opportunity') over p as prev_opportunity,
           max(r.at) filter (where r.stage = 'customer') over p as prev_customer,
           max(r.at) filter (where r.stage = 'repeat_customer') over p as prev_repeat_customer,
           max(r.at) filter (where r.stage = 'disqualified') over p as prev_disqualified,
           max(r.at) filter (where r.stage = 'lost') over p as prev_lost,
           -- Per forward rank 1…7: the lead's first later entry at that rank.
           array[min(r.at) filter (where r.stage_rank = 1) over n,
                 min(r.at) filter (where r.stage_rank = 2) over n,
                 min(r.at) filter (where r.stage_rank = 3) over n,
                 min(r.at) filter (where r.stage_rank = 4) over n,
                 min(r.at) filter (where r.stage_rank = 5) over n,
                 min(r.at) filter (where r.stage_rank = 6) over n,
                 min(r.at) filter (where r.stage_rank = 7) over n] as next_at
      from r
    window w as (partition by r.lead_id order by r.at, r.seq),
           p as (w rows between unbounded preceding and 1 preceding),
           n as (w rows between 1 following and unbounded following))
  insert into funnel_stays (site_id, lead_id, seq, stage, entered_at, left_at, converted_at,
                            channel, reason, prev_visitor, prev_lead, prev_mql, prev_sql,
                            prev_opportunity, prev_customer, prev_repeat_customer,
                            prev_disqualified, prev_lost)
  select p_site, h.lead_id, h.seq, h.stage, h.at, h.left_at,
         case when h.stage_rank > 0 then
           (select min(t) from unnest(h.next_at) with ordinality as u(t, k) where k > h.stage_rank)
         end,
         h.first_channel, nullif(btrim(h.reason), ''),
         h.prev_visitor, h.prev_lead, h.prev_mql, h.prev_sql, h.prev_opportunity, h.prev_customer,
         h.prev_repeat_customer, h.prev_disqualified, h.prev_lost
    from h
$$;

create function tp_sessions_inserted() returns trigger language plpgsql as $$
declare
  x record;
begin
  -- A new session changes a first channel only when it is earlier than the known first one.
  update visitors v set first_channel = n.channel, first_session_at = n.started_at
    from (select distinct on (site_id, anonymous_id) site_id, anonymous_id, channel, started_at
            from new_rows order by site_id, anonymous_id, started_at) n
   where v.site_id = n.site_id and v.anonymous_id = n.anonymous_id
     and (v.first_session_at is null or n.started_at < v.first_session_at);
  for x in
    select a.site_id, array_agg(distinct a.lead_id) as leads
      from new_rows n
      join anonymous_links a on a.site_id = n.site_id and a.anonymous_id = n.anonymous_id
      join leads l on l.site_id = a.site_id and l.lead_id = a.lead_id
     where l.first_session_at is null or n.started_at <= l.first_session_at
     group by a.site_id
  loop
    perform tp_refresh_lead_channels(x.site_id, x.leads);
  end loop;
  return null;
end $$;

-- A session moved earlier, changed its touch, or was deleted: recompute who it may concern.
create function tp_sessions_changed() returns trigger language plpgsql as $$
declare
  s sessions;
begin
  if tg_op = 'DELETE' then s := old; else s := new; end if;
  perform tp_refresh_visitors(s.site_id, array[s.anonymous_id]);
  perform tp_refresh_lead_channels(s.site_id, array(
    select a.lead_id from anonymous_links a
     where a.site_id = s.site_id and a.anonymous_id = s.anonymous_id));
  return null;
end $$;

create function tp_links_changed() returns trigger language plpgsql as $$
declare
  x record;
begin
  for x in
    select site_id, array_agg(distinct lead_id) as leads, array_agg(distinct anonymous_id) as anons
      from (select site_id, lead_id, anonymous_id from new_rows
            union all select site_id, lead_id, anonymous_id from old_rows) c
     group by site_id
  loop
    perform tp_refresh_links(x.site_id, x.anons, x.leads);
  end loop;
  return null;
end $$;

create function tp_visitors_inserted() returns trigger language plpgsql as $$
declare
  x record;
begin
  -- Usually nothing to find (ingest writes the visitor first); seeds and imports may not.
  for x in select site_id, array_agg(anonymous_id) as anons from new_rows group by site_id loop
    perform tp_refresh_links(x.site_id, x.anons, '{}');
  end loop;
  return null;
end $$;

-- A visitor's first touch (or first sight) changed: the fallback of leads without sessions.
create function tp_visitor_touch_changed() returns trigger language plpgsql as $$
begin
  perform tp_refresh_lead_channels(new.site_id, array(
    select a.lead_id from anonymous_links a join leads l using (site_id, lead_id)
     where a.site_id = new.site_id and a.anonymous_id = new.anonymous_id
       and l.first_session_at is null));
  return null;
end $$;

create function tp_leads_inserted() returns trigger language plpgsql as $$
declare
  x record;
begin
  for x in select site_id, array_agg(lead_id) as leads from new_rows group by site_id loop
    perform tp_refresh_lead_channels(x.site_id, x.leads);
    perform tp_refresh_funnel_stays(x.site_id, x.leads);
  end loop;
  return null;
end $$;

create function tp_lead_changed() returns trigger language plpgsql as $$
begin
  perform tp_refresh_funnel_stays(new.site_id, array[new.lead_id]);
  return null;
end $$;

create function tp_lead_channel_changed() returns trigger language plpgsql as $$
begin
  update funnel_stays set channel = new.first_channel
   where site_id = new.site_id and lead_id = new.lead_id;
  return null;
end $$;

create function tp_leads_deleted() returns trigger language plpgsql as $$
begin
  delete from funnel_stays f using old_rows o where f.site_id = o.site_id and f.lead_id = o.lead_id;
  return null;
end $$;

create function tp_history_changed() returns trigger language plpgsql as $$
declare
  x record;
begin
  for x in
    select site_id, array_agg(distinct lead_id) as leads
      from (select site_id, lead_id from new_rows
            union all select site_id, lead_id from old_rows) c
     group by site_id
  loop
    perform tp_refresh_funnel_stays(x.site_id, x.leads);
  end loop;
  return null;
end $$;

create function tp_history_inserted() returns trigger language plpgsql as $$
declare
  x record;
begin
  for x in select site_id, array_agg(distinct lead_id) as leads from new_rows group by site_id loop
    perform tp_refresh_funnel_stays(x.site_id, x.leads);
  end loop;
  return null;
end $$;

create function tp_history_deleted() returns trigger language plpgsql as $$
declare
  x record;
begin
  for x in select site_id, array_agg(distinct lead_id) as leads from old_rows group by site_id loop
    perform tp_refresh_funnel_stays(x.site_id, x.leads);
  end loop;
  return null;
end $$;

create function tp_links_inserted() returns trigger language plpgsql as $$
declare
  x record;
begin
  for x in
    select site_id, array_agg(distinct lead_id) as leads, array_agg(distinct anonymous_id) as anons
      from (select site_id, lead_id, anonymous_id from new_rows) c
     group by site_id
  loop
    perform tp_refresh_links(x.site_id, x.anons, x.leads);
  end loop;
  return null;
end $$;

create function tp_links_deleted() returns trigger language plpgsql as $$
declare
  x record;
begin
  for x in
    select site_id, array_agg(distinct lead_id) as leads, array_agg(distinct anonymous_id) as anons
      from (select site_id, lead_id, anonymous_id from old_rows) c
     group by site_id
  loop
    perform tp_refresh_links(x.site_id, x.anons, x.leads);
  end loop;
  return null;
end $$;

create trigger sessions_inserted after insert on sessions
  referencing new table as new_rows for each statement execute function tp_sessions_inserted();
create trigger sessions_changed after update on sessions for each row
  when (old.started_at is distinct from new.started_at or old.channel is distinct from new.channel)
  execute function tp_sessions_changed();
create trigger sessions_deleted after delete on sessions for each row
  execute function tp_sessions_changed();

create trigger links_inserted after insert on anonymous_links
  referencing new table as new_rows for each statement execute function tp_links_inserted();
create trigger links_updated after update on anonymous_links
  referencing old table as old_rows new table as new_rows
  for each statement execute function tp_links_changed();
create trigger links_deleted after delete on anonymous_links
  referencing old table as old_rows for each statement execute function tp_links_deleted();

create trigger visitors_inserted after insert on visitors
  referencing new table as new_rows for each statement execute function tp_visitors_inserted();
create trigger visitors_touch_changed after update on visitors for each row
  when (old.first_touch is distinct from new.first_touch
        or old.first_seen_at is distinct from new.first_seen_at)
  execute function tp_visitor_touch_changed();

create trigger leads_inserted after insert on leads
  referencing new table as new_rows for each statement execute function tp_leads_inserted();
create trigger leads_changed after update on leads for each row
  when (old.created_at is distinct from new.created_at
        or old.merged_into is distinct from new.merged_into)
  execute function tp_lead_changed();
create trigger leads_channel_changed after update on leads for each row
  when (old.first_channel is distinct from new.first_channel)
  execute function tp_lead_channel_changed();
create trigger leads_deleted after delete on leads
  referencing old table as old_rows for each statement execute function tp_leads_deleted();

create trigger history_inserted after insert on stage_history
  referencing new table as new_rows for each statement execute function tp_history_inserted();
create trigger history_updated after update on stage_history
  referencing old table as old_rows new table as new_rows
  for each statement execute function tp_history_changed();
create trigger history_deleted after delete on stage_history
  referencing old table as old_rows for each statement execute function tp_history_deleted();

-- Backfill what exists.
select tp_refresh_visitors(site_id, array_agg(anonymous_id)) from visitors group by site_id;
select tp_refresh_lead_channels(site_id, array_agg(lead_id)) from leads group by site_id;
select tp_refresh_funnel_stays(site_id, array_agg(lead_id)) from leads group by site_id
