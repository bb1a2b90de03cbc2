-- A lead's timeline pages newest first by (ts, event_id) per anonymous id. With event_id in the
-- index a page is read straight off it (a backward scan that stops after one page) instead of
-- reading and sorting every event of the browser: 22 ms → well under 1 ms for a 10k-event lead
-- (bench, EXPLAIN ANALYZE). It replaces events_anon_ts (a prefix of it), so ingest maintains
-- no extra index.
create index events_anon_ts_id on events (site_id, anonymous_id, ts, event_id);
drop index events_anon_ts;

-- Rescoring resumes after the last lead it scored instead of re-scanning the leads already done
-- (each batch scanned from the first lead: quadratic, 100k leads took 350 s, progress slowing
-- as it went). Null: start from the first lead.
alter table scoring_jobs add column after_lead_id text;
