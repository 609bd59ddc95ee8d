--liquibase formatted sql

--changeset hookgate:003-events
create table events (
    tenant_id    bigint      not null references tenants (id),
    id           bigint generated always as identity,
    kind         text        not null,
    signed       boolean     not null,
    -- the request body exactly as received; forwarded byte for byte
    body         bytea       not null,
    body_sha256  bytea       not null,
    received_at  timestamptz not null,
    source_ip    text,
    headers      jsonb       not null,
    workflow_id  text,
    task_id      text,
    call_count   integer     not null,
    primary key (tenant_id, id),
    -- AIRUDDER repeats a notification it saw no 2xx for: the database, not a read-then-write, keeps one copy
    constraint events_once_per_body unique (tenant_id, body_sha256)
);
create index events_id on events (id);
create index events_task on events (tenant_id, task_id, id);
create index events_workflow on events (tenant_id, workflow_id, id);
create index events_kind on events (tenant_id, kind, id);
create index events_received on events (tenant_id, received_at);

-- One row per entry of the payload's Details: what support staff search by.
create table event_calls (
    tenant_id     bigint not null,
    event_id      bigint not null,
    position      integer not null,
    call_id       text,
    case_id       text,
    callee_number text,
    primary key (tenant_id, event_id, position),
    foreign key (tenant_id, event_id) references events (tenant_id, id) on delete cascade
);
create index event_calls_call on event_calls (tenant_id, call_id);
create index event_calls_case on event_calls (tenant_id, case_id);
create index event_calls_callee on event_calls (tenant_id, callee_number);
