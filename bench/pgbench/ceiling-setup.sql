-- Setup for the pgbench PostgreSQL ceiling (`run.sh --mode ceilings`), run with psql against a
-- throwaway database that holds Hookgate's schema (created by the service's `db migrate`).
-- Nothing runs against this database but pgbench: no delivery worker picks the deliveries up.
create table ceiling_bodies (
    n           integer primary key,
    body        bytea   not null,
    headers     text    not null,
    workflow_id text,
    call_count  integer not null
);

-- A tenant with one destination (enabled, all kinds, no filter: the outbox inserts one delivery per
-- event, as for a tenant with one destination in the service), and a tenant without destination
-- (the outbox inserts nothing, as for the ingest mode's tenant).
insert into tenants (name, status, callback_token, accept_unsigned, created_at, updated_at)
values ('ceiling-with-destination', 'active', 'ceiling-token-1', true, now(), now()),
       ('ceiling-without-destination', 'active', 'ceiling-token-2', true, now(), now());
insert into destinations (tenant_id, name, url, enabled, kinds, timeout_ms, max_attempts, backoff_initial_ms,
                          backoff_multiplier, backoff_max_ms, max_in_flight, created_at, updated_at)
select id, 'ceiling destination', 'http://127.0.0.1:9/hook', true, '{}', 10000, 1, 1000, 2.0, 60000, 64, now(), now()
from tenants where name = 'ceiling-with-destination';
