-- A lead's timeline pages newest first by (ts, event_id) per anonymous id. With event_id in the
-- index a page is read straight off it (a backward scan that stops after one page) instead of
-- reading and sorting every event of the browser: 22 ms → well under 1 ms for a 10k-event lead
-- (bench, EXPLAIN ANALYZE). It replaces events_anon_ts (a prefix of it), so ingest maintains
-- no extra index.
create index events_anon_ts_id on events (site_id, anonymous_id, ts, event_id);
drop index events_anon_ts;
