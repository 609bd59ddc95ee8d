--liquibase formatted sql

--changeset hookgate:002-users
create table users (
    id              bigint generated always as identity primary key,
    email           text        not null,
    password_hash   text        not null,
    role            text        not null check (role in ('platform_admin', 'tenant_admin', 'support')),
    tenant_id       bigint references tenants (id),
    disabled        boolean     not null default false,
    failed_logins   integer     not null default 0,
    locked_until    timestamptz,
    created_at      timestamptz not null,
    updated_at      timestamptz not null,
    check ((role = 'tenant_admin') = (tenant_id is not null))
);
create unique index users_email on users (lower(email));

-- API tokens are shown once; only their SHA-256 is kept.
create table api_tokens (
    id           bigint generated always as identity primary key,
    user_id      bigint      not null references users (id),
    token_sha256 bytea       not null unique,
    name         text        not null,
    created_at   timestamptz not null,
    last_used_at timestamptz
);
create index api_tokens_user on api_tokens (user_id);
