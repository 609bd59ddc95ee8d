--liquibase formatted sql

--changeset hookgate:004-rejections
-- Why AIRUDDER saw an error: a bounded log per tenant (the oldest rows are pruned on insert).
create table rejections (
    tenant_id    bigint      not null references tenants (id),
    id           bigint generated always as identity,
    rejected_at  timestamptz not null,
    reason       text        not null,
    message      text        not null,
    source_ip    text,
    body_size    integer     not null,
    body_excerpt bytea       not null,
    primary key (tenant_id, id)
);
