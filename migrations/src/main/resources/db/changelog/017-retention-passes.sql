--liquibase formatted sql

--changeset hookgate:017-retention-passes
-- Each retention pass with its progress, so staff see on any instance whether the purge runs, how far it got and
-- what it removed. Not per tenant: it stays a small local table when the tenant tables are distributed.
create table retention_passes (
    id             bigint generated always as identity primary key,
    started_at     timestamptz not null,
    finished_at    timestamptz,
    tenants_total  integer     not null,
    tenants_done   integer     not null default 0,
    events_deleted bigint      not null default 0,
    error          text
);
