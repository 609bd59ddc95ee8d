--liquibase formatted sql

--changeset hookgate:006-destinations
create table destinations (
    tenant_id             bigint      not null references tenants (id),
    id                    bigint generated always as identity,
    name                  text        not null,
    url                   text        not null,
    enabled               boolean     not null default true,
    -- event kinds it receives; empty means all
    kinds                 text[]      not null default '{}',
    -- the filter as configured (JSON) and compiled to a jsonpath predicate the outbox evaluates in SQL
    filter                jsonb,
    filter_path           jsonpath,
    -- static request headers, a sealed JSON object
    headers_ciphertext    bytea,
    timeout_ms            integer     not null,
    max_attempts          integer     not null,
    backoff_initial_ms    bigint      not null,
    backoff_multiplier    double precision not null,
    backoff_max_ms        bigint      not null,
    rate_limit_per_second double precision,
    max_in_flight         integer     not null,
    created_at            timestamptz not null,
    updated_at            timestamptz not null,
    -- deliveries keep referring to a deleted destination, so it is marked, not removed
    deleted_at            timestamptz,
    primary key (tenant_id, id)
);
create unique index destinations_id on destinations (id);

-- Standard Webhooks signing secrets: the current one has valid_until null; a rotated-out one still signs
-- (both signatures are sent) until valid_until.
create table destination_secrets (
    tenant_id         bigint      not null,
    id                bigint generated always as identity,
    destination_id    bigint      not null,
    secret_ciphertext bytea       not null,
    created_at        timestamptz not null,
    valid_until       timestamptz,
    primary key (tenant_id, id),
    foreign key (tenant_id, destination_id) references destinations (tenant_id, id)
);
create unique index destination_secrets_one_current on destination_secrets (destination_id) where valid_until is null;

--changeset hookgate:006-deliveries
-- The outbox: one row per (event, destination), created in the transaction that stores the event.
-- A claimed delivery stays 'pending' with next_attempt_at pushed to the end of its lease, so a delivery
-- whose worker died becomes due again by itself.
create table deliveries (
    tenant_id        bigint      not null,
    id               bigint generated always as identity,
    event_id         bigint      not null,
    destination_id   bigint      not null,
    -- Standard Webhooks webhook-id: the same for an event and destination across retries and replays
    webhook_id       text        not null,
    status           text        not null check (status in ('pending', 'succeeded', 'dead', 'cancelled')),
    attempts         integer     not null default 0,
    next_attempt_at  timestamptz not null,
    lease_token      uuid,
    last_status_code integer,
    last_error       text,
    replay_id        bigint,
    created_at       timestamptz not null,
    updated_at       timestamptz not null,
    completed_at     timestamptz,
    primary key (tenant_id, id),
    foreign key (tenant_id, event_id) references events (tenant_id, id),
    foreign key (tenant_id, destination_id) references destinations (tenant_id, id)
);
create unique index deliveries_id on deliveries (id);
create index deliveries_due on deliveries (next_attempt_at) where status = 'pending';
create index deliveries_event on deliveries (tenant_id, event_id);
create index deliveries_destination on deliveries (destination_id, status, id);
create index deliveries_replay on deliveries (replay_id) where replay_id is not null;

create table delivery_attempts (
    tenant_id        bigint      not null,
    id               bigint generated always as identity,
    delivery_id      bigint      not null,
    attempted_at     timestamptz not null,
    duration_ms      integer     not null,
    status_code      integer,
    response_excerpt text,
    error_kind       text,
    error            text,
    primary key (tenant_id, id),
    foreign key (tenant_id, delivery_id) references deliveries (tenant_id, id)
);
create index delivery_attempts_delivery on delivery_attempts (tenant_id, delivery_id, id);

--changeset hookgate:006-dead-letters
create table dead_letters (
    tenant_id          bigint      not null,
    id                 bigint generated always as identity,
    delivery_id        bigint      not null,
    event_id           bigint      not null,
    destination_id     bigint      not null,
    attempts           integer     not null,
    last_status_code   integer,
    last_error         text,
    dead_at            timestamptz not null,
    replayed_at        timestamptz,
    replayed_by        text,
    replay_delivery_id bigint,
    primary key (tenant_id, id),
    foreign key (tenant_id, delivery_id) references deliveries (tenant_id, id)
);
create unique index dead_letters_id on dead_letters (id);
create index dead_letters_waiting on dead_letters (tenant_id, destination_id, dead_at) where replayed_at is null;
create index dead_letters_dead_at on dead_letters (dead_at);

-- A bulk replay: its filters, and progress counted as its deliveries move.
create table replays (
    id             bigint generated always as identity primary key,
    requested_by   text        not null,
    tenant_id      bigint,
    destination_id bigint,
    from_time      timestamptz,
    to_time        timestamptz,
    -- the dead letters matched when it was asked for: the newest of them, so later ones are not swept in
    up_to_id       bigint,
    matched        integer     not null,
    queued         integer     not null default 0,
    state          text        not null check (state in ('queued', 'running', 'delivering', 'completed', 'failed')),
    error          text,
    created_at     timestamptz not null,
    updated_at     timestamptz not null
);

--changeset hookgate:006-filter-function splitStatements:false
-- A destination's filter, evaluated by the outbox inside the ingest transaction. A body PostgreSQL cannot read
-- as jsonb (JSON allows a \u0000 that jsonb refuses) matches, so that a filter can never fail an ingest:
-- delivering one event too many is better than losing one.
create function hookgate_filter_matches(body bytea, filter_path jsonpath) returns boolean
language plpgsql immutable as $$
begin
    return jsonb_path_exists(convert_from(body, 'UTF8')::jsonb, filter_path);
exception when others then
    return true;
end
$$;
