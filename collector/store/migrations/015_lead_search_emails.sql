-- The lead list's `q=` also finds a lead by every email it holds, not only its primary one: a
-- duplicate merged into it, or an address replaced by a marketer, keeps its email as an identity,
-- and sales still know the person by it. The lead's email identities are kept in `emails`
-- (space-separated, refreshed where identities change hands: merges and marketer edits) and folded
-- into `search_text` with the name and primary email, so the search stays one LIKE on one column
-- (a lead without them keeps the text migration 014 gave it).
alter table leads add column emails text not null default '';

update leads l set emails = coalesce((
  select string_agg(i.value, ' ' order by i.value) from identities i
   where i.site_id = l.site_id and i.lead_id = l.lead_id and i.kind = 'email'), '');

alter table leads drop column search_text;

alter table leads
  add column search_text text generated always as (
    lower(translate(
      regexp_replace(normalize(coalesce(name, '') || ' ' || coalesce(email, '')
                               || case when emails = '' then '' else ' ' || emails end, NFD),
                     '[\u0300-\u036f]', '', 'g'),
      'Đđ', 'dd'))
  ) stored;
