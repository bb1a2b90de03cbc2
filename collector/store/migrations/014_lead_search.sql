-- The lead list's `q=` ignores case and accents, as a Vietnamese marketer types: "nguyen thi mai"
-- finds Nguyễn Thị Mai, "tran ngoc" finds Trần Ngọc, whether a keyboard produced composed (NFC)
-- or decomposed (NFD) letters. Name and email are folded once, when a lead is written: decomposed
-- (NFD), combining marks (U+0300–U+036F) removed, đ/Đ as d, then lowercased (after the folding,
-- so it holds under a C locale too). The query folds `q` the same way (collector/api/search.ts)
-- and matches with LIKE on this one column, as cheap per row as the ILIKE it replaces.
alter table leads
  add column search_text text generated always as (
    lower(translate(
      regexp_replace(normalize(coalesce(name, '') || ' ' || coalesce(email, ''), NFD),
                     '[\u0300-\u036f]', '', 'g'),
      'Đđ', 'dd'))
  ) stored;
