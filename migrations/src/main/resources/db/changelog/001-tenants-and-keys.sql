--liquibase formatted sql

--changeset hookgate:001-tenants
create table tenants (
    id              bigint generated always as identity primary key,
    name            text        not null check (length(name) between 1 and 200),
    status          text        not null check (status in ('active', 'suspended')),
    -- the secret path segment of the tenant's callback URL: /hooks/{callback_token}
    callback_token  text        not null unique,
    accept_unsigned boolean     not null default true,
    created_at      timestamptz not null,
    updated_at      timestamptz not null
);

-- The KEY AIRUDDER signs with, AES-256-GCM encrypted under the master key. The current KEY has
-- valid_until null; a rotated-out KEY keeps verifying until valid_until (the rotation's grace period).
create table tenant_keys (
    tenant_id      bigint      not null references tenants (id),
    id             bigint generated always as identity,
    key_ciphertext bytea       not null,
    created_at     timestamptz not null,
    valid_until    timestamptz,
    primary key (tenant_id, id)
);
create unique index tenant_keys_one_current on tenant_keys (tenant_id) where valid_until is null;
