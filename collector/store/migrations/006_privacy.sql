-- Daily salts for hashing client IPs: a random salt per site and UTC day, shared by every
-- replica through the database. The retention job deletes past days' salts, after which the
-- stored hashes can no longer be recomputed from an address (nor joined across days).
create table ip_salts (
  site_id text not null,
  day date not null,
  salt bytea not null,
  primary key (site_id, day)
);
