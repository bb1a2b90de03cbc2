-- Forms (DESIGN §5): definitions per site, and every submission (accepted or quarantined).

create table forms (
  site_id text not null,
  form_id text not null,
  definition jsonb not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (site_id, form_id)
);

-- A submission is stored whatever its fate: `accepted` ones made events (identify, form_submit),
-- `quarantined` ones (honeypot filled, filled too fast) made nothing but stay visible to the
-- marketer. The browser-made id is the idempotency key.
create table form_submissions (
  site_id text not null,
  submission_id text not null,
  form_id text not null,
  anonymous_id text not null,
  session_id text,
  status text not null check (status in ('accepted', 'quarantined')),
  reason text,
  field_values jsonb not null default '{}',
  consent jsonb,
  url text,
  elapsed_ms bigint,
  ip_hash text,
  created_at timestamptz not null,
  primary key (site_id, submission_id)
);
create index form_submissions_form on form_submissions (site_id, form_id, status, created_at);
create index form_submissions_anon on form_submissions (site_id, anonymous_id);
