-- The funnel's model views count a stay as an entry into its model step when it is the lead's
-- first entry into that step within the report window: no earlier entry into any stage of the
-- step since the window's start. Per model, the lead's latest earlier entry into the step of
-- this stay is kept as a stored column (from the prev_<stage> columns migration 011 keeps), so
-- the report compares one timestamp per stay instead of evaluating a CASE per row and model.
-- '-infinity': no earlier entry; null: the stay's stage is in no step of the model. The steps
-- are shared/funnel.ts FUNNEL_MODELS (test/api/reports-model.test.ts checks they agree).
alter table funnel_stays
  add column prev_step_crm_funnel timestamptz generated always as (case stage
    when 'visitor' then coalesce(prev_visitor, '-infinity')
    when 'lead' then coalesce(greatest(prev_lead, prev_mql), '-infinity')
    when 'mql' then coalesce(greatest(prev_lead, prev_mql), '-infinity')
    when 'sql' then coalesce(greatest(prev_sql, prev_opportunity), '-infinity')
    when 'opportunity' then coalesce(greatest(prev_sql, prev_opportunity), '-infinity')
    when 'customer' then coalesce(greatest(prev_customer, prev_repeat_customer, prev_lost), '-infinity')
    when 'repeat_customer' then coalesce(greatest(prev_customer, prev_repeat_customer, prev_lost), '-infinity')
    when 'lost' then coalesce(greatest(prev_customer, prev_repeat_customer, prev_lost), '-infinity')
  end) stored,
  add column prev_step_customer_lifecycle timestamptz generated always as (case stage
    when 'visitor' then coalesce(prev_visitor, '-infinity')
    when 'lead' then coalesce(greatest(prev_lead, prev_mql, prev_sql), '-infinity')
    when 'mql' then coalesce(greatest(prev_lead, prev_mql, prev_sql), '-infinity')
    when 'sql' then coalesce(greatest(prev_lead, prev_mql, prev_sql), '-infinity')
    when 'opportunity' then coalesce(prev_opportunity, '-infinity')
    when 'customer' then coalesce(prev_customer, '-infinity')
    when 'repeat_customer' then coalesce(prev_repeat_customer, '-infinity')
  end) stored,
  add column prev_step_cx_journey timestamptz generated always as (case stage
    when 'visitor' then coalesce(prev_visitor, '-infinity')
    when 'lead' then coalesce(greatest(prev_lead, prev_mql, prev_sql), '-infinity')
    when 'mql' then coalesce(greatest(prev_lead, prev_mql, prev_sql), '-infinity')
    when 'sql' then coalesce(greatest(prev_lead, prev_mql, prev_sql), '-infinity')
    when 'opportunity' then coalesce(prev_opportunity, '-infinity')
    when 'customer' then coalesce(prev_customer, '-infinity')
    when 'repeat_customer' then coalesce(prev_repeat_customer, '-infinity')
  end) stored;
