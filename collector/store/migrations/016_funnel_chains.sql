-- The funnel's stays read a merged lead's history as the chains it was recorded in, and its model
-- steps count entries into a step, not moves inside one.
--
-- 1. A merge moves the loser's stage_history rows to the survivor (DESIGN §7: histories
--    concatenate). Ordered by time as one list, the two people's moves interleave: the survivor's
--    `lead` stay "ended" when the loser was identified, the loser's `sql` stay when the survivor
--    became an MQL, and an entry "converted" through the other lead's later move — figures of
--    windows long past changed at the merge. Each row now keeps the lead it was recorded for
--    (`origin_lead_id`, set on insert and left alone by the merge's update), and a stay's end
--    (`left_at`) and conversion (`converted_at`) are read within its own chain. What counts
--    people (the model steps' distinct entries, below) still reads the merged lead as one person.
-- 2. A model step holding several stages (CRM funnel interest = lead + MQL) was "entered" by any
--    first move into one of its stages within the window, so a lead of December becoming an MQL
--    in January entered Interest in January although it had been there since December. A stay is
--    now an entry into its step when the stay before it in its chain is in another step (or there
--    is none); per model, `prev_step_<model>` holds the lead's latest earlier entry into the
--    same step ('-infinity': none), 'infinity' for a stay that is no entry (so the report's
--    `prev_step_<model> < from` counts each person's first entry into the step in the window,
--    unchanged), and null for a stage in no step of the model. The steps are shared/funnel.ts
--    FUNNEL_MODELS (tp_funnel_step below; test/api/reports-model.test.ts checks they agree).

alter table stage_history add column origin_lead_id text;

create function tp_history_origin() returns trigger language plpgsql as $$
begin
  new.origin_lead_id := coalesce(new.origin_lead_id, new.lead_id);
  return new;
end $$;

create trigger history_origin before insert on stage_history
  for each row execute function tp_history_origin();

-- The step of a stage in a funnel model (null: in none).
create function tp_funnel_step(p_model text, p_stage text) returns text
language sql immutable as $$
  select case p_model
    when 'crm_funnel' then case
      when p_stage = 'visitor' then 'awareness'
      when p_stage in ('lead', 'mql') then 'interest'
      when p_stage in ('sql', 'opportunity') then 'decision'
      when p_stage in ('customer', 'repeat_customer', 'lost') then 'action' end
    when 'customer_lifecycle' then case
      when p_stage = 'visitor' then 'reach'
      when p_stage in ('lead', 'mql', 'sql') then 'acquisition'
      when p_stage = 'opportunity' then 'conversion'
      when p_stage = 'customer' then 'retention'
      when p_stage = 'repeat_customer' then 'loyalty' end
    when 'cx_journey' then case
      when p_stage = 'visitor' then 'awareness'
      when p_stage in ('lead', 'mql', 'sql') then 'consideration'
      when p_stage = 'opportunity' then 'decision'
      when p_stage = 'customer' then 'retention'
      when p_stage = 'repeat_customer' then 'advocacy' end
  end
$$;

-- Stays of leads moved back to `visitor`, left in a window: timed with the visitors (rare rows,
-- so the report's extra branch reads a tiny index instead of every stay left in the window).
create index funnel_stays_visitor_left on funnel_stays (site_id, left_at) include (entered_at, channel)
  where stage = 'visitor' and left_at is not null;

-- Migration 013's generated columns become columns the refresh writes.
alter table funnel_stays drop column prev_step_crm_funnel;
alter table funnel_stays drop column prev_step_customer_lifecycle;
alter table funnel_stays drop column prev_step_cx_journey;
alter table funnel_stays add column prev_step_crm_funnel timestamptz;
alter table funnel_stays add column prev_step_customer_lifecycle timestamptz;
alter table funnel_stays add column prev_step_cx_journey timestamptz;

create or replace function tp_refresh_funnel_stays(p_site text, p_leads text[]) returns void
language sql as $$
  delete from funnel_stays f using unnest(p_leads) as x(lead_id)
   where f.site_id = p_site and f.lead_id = x.lead_id;
  with l as (
    select lead_id, ld.created_at, ld.first_channel
      from unnest(p_leads) as x(lead_id) join leads ld using (lead_id)
     where ld.site_id = p_site and ld.merged_into is null),
  -- The lead's moves, each in the chain of the lead it was recorded for, and the implied entry
  -- into `lead` (seq 0) of a lead whose own entry was never recorded: its chain does not start
  -- with a move from nothing or from `visitor` (a later move back out of `visitor` is no entry).
  h0 as (
    select x.lead_id, x.origin_lead_id as origin, x.seq, x.to_stage as stage, x.at, x.reason,
           l.first_channel
      from stage_history x join l using (lead_id)
     where x.site_id = p_site
    union all
    select l.lead_id, l.lead_id, 0, 'lead', l.created_at, null, l.first_channel from l
     where not coalesce((select y.from_stage is null or y.from_stage = 'visitor'
                           from stage_history y
                          where y.site_id = p_site and y.lead_id = l.lead_id
                            and y.origin_lead_id = l.lead_id
                          order by y.at, y.seq limit 1), false)),
  r as (
    select h0.*, coalesce(array_position(array['visitor', 'lead', 'mql', 'sql', 'opportunity',
             'customer', 'repeat_customer']::text[], h0.stage), 0) as stage_rank,
           tp_funnel_step('crm_funnel', h0.stage) as step_crm,
           tp_funnel_step('customer_lifecycle', h0.stage) as step_life,
           tp_funnel_step('cx_journey', h0.stage) as step_cx,
           lag(h0.stage) over (partition by h0.lead_id, h0.origin order by h0.at, h0.seq)
             as chain_prev
      from h0),
  -- Per model: is the stay an entry into its step (its chain's stay before is in another step)?
  e as (
    select r.*,
           r.step_crm is distinct from tp_funnel_step('crm_funnel', r.chain_prev) as in_crm,
           r.step_life is distinct from tp_funnel_step('customer_lifecycle', r.chain_prev)
             as in_life,
           r.step_cx is distinct from tp_funnel_step('cx_journey', r.chain_prev) as in_cx
      from r),
  h as (
    select e.*, lead(e.at) over c as left_at,
           max(e.at) filter (where e.stage = 'visitor') over p as prev_visitor,
           max(e.at) filter (where e.stage = 'lead') over p as prev_lead,
           max(e.at) filter (where e.stage = 'mql') over p as prev_mql,
           max(e.at) filter (where e.stage = 'sql') over p as prev_sql,
           max(e.at) filter (where e.stage = 'opportunity') over p as prev_opportunity,
           max(e.at) filter (where e.stage = 'customer') over p as prev_customer,
           max(e.at) filter (where e.stage = 'repeat_customer') over p as prev_repeat_customer,
           max(e.at) filter (where e.stage = 'disqualified') over p as prev_disqualified,
           max(e.at) filter (where e.stage = 'lost') over p as prev_lost,
           -- Per forward rank 1…7: the chain's first later entry at that rank.
           array[min(e.at) filter (where e.stage_rank = 1) over n,
                 min(e.at) filter (where e.stage_rank = 2) over n,
                 min(e.at) filter (where e.stage_rank = 3) over n,
                 min(e.at) filter (where e.stage_rank = 4) over n,
                 min(e.at) filter (where e.stage_rank = 5) over n,
                 min(e.at) filter (where e.stage_rank = 6) over n,
                 min(e.at) filter (where e.stage_rank = 7) over n] as next_at,
           case when e.step_crm is null then null
                when not e.in_crm then 'infinity'::timestamptz
                else coalesce(max(e.at) filter (where e.in_crm) over sc, '-infinity') end
             as prev_step_crm_funnel,
           case when e.step_life is null then null
                when not e.in_life then 'infinity'::timestamptz
                else coalesce(max(e.at) filter (where e.in_life) over sl, '-infinity') end
             as prev_step_customer_lifecycle,
           case when e.step_cx is null then null
                when not e.in_cx then 'infinity'::timestamptz
                else coalesce(max(e.at) filter (where e.in_cx) over sx, '-infinity') end
             as prev_step_cx_journey
      from e
    window c as (partition by e.lead_id, e.origin order by e.at, e.seq),
           n as (c rows between 1 following and unbounded following),
           p as (partition by e.lead_id order by e.at, e.seq
                 rows between unbounded preceding and 1 preceding),
           sc as (partition by e.lead_id, e.step_crm order by e.at, e.seq
                  rows between unbounded preceding and 1 preceding),
           sl as (partition by e.lead_id, e.step_life order by e.at, e.seq
                  rows between unbounded preceding and 1 preceding),
           sx as (partition by e.lead_id, e.step_cx order by e.at, e.seq
                  rows between unbounded preceding and 1 preceding))
  insert into funnel_stays (site_id, lead_id, seq, stage, entered_at, left_at, converted_at,
                            channel, reason, prev_visitor, prev_lead, prev_mql, prev_sql,
                            prev_opportunity, prev_customer, prev_repeat_customer,
                            prev_disqualified, prev_lost, prev_step_crm_funnel,
                            prev_step_customer_lifecycle, prev_step_cx_journey)
  select p_site, h.lead_id, h.seq, h.stage, h.at, h.left_at,
         case when h.stage_rank > 0 then
           (select min(t) from unnest(h.next_at) with ordinality as u(t, k) where k > h.stage_rank)
         end,
         h.first_channel, nullif(btrim(h.reason), ''),
         h.prev_visitor, h.prev_lead, h.prev_mql, h.prev_sql, h.prev_opportunity, h.prev_customer,
         h.prev_repeat_customer, h.prev_disqualified, h.prev_lost, h.prev_step_crm_funnel,
         h.prev_step_customer_lifecycle, h.prev_step_cx_journey
    from h
$$;

-- Existing rows: each move is its lead's own (merges already made cannot be told apart). The
-- update would refresh every lead's stays through history_updated; they are refreshed once below.
alter table stage_history disable trigger history_updated;
update stage_history set origin_lead_id = lead_id;
alter table stage_history enable trigger history_updated;
alter table stage_history alter column origin_lead_id set not null;

select tp_refresh_funnel_stays(site_id, array_agg(lead_id)) from leads group by site_id;
