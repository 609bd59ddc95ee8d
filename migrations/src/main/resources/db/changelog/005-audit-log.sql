--liquibase formatted sql

--changeset hookgate:005-audit-log
-- Who did what, when: key rotations, tenant and user changes, replays, logins.
create table audit_log (
    id          bigint generated always as identity primary key,
    at          timestamptz not null,
    actor_id    bigint references users (id),
    actor_email text,
    action      text        not null,
    tenant_id   bigint references tenants (id),
    target      text,
    detail      jsonb       not null default '{}'
);
create index audit_log_at on audit_log (at);
create index audit_log_tenant on audit_log (tenant_id, at);
