-- visitors_last_seen (site_id, last_seen_at) is a prefix of visitors_last_seen_id (site_id,
-- last_seen_at, anonymous_id), which serves every query the shorter one did. Ingest moves
-- last_seen_at on almost every event, so each index on it is one more write per event.
drop index if exists visitors_last_seen;
