-- Clock skew in milliseconds overflows integer past ~24.8 days; real clients are off by years
-- (dead clock batteries, manual dates). bigint keeps the measured skew instead of failing the batch.
alter table events alter column skew_ms type bigint;
