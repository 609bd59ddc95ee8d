--liquibase formatted sql

--changeset hookgate:014-web-flashes
-- What a page shows once after a post/redirect/get: a new tenant's KEY, a test send's answer. In PostgreSQL like
-- the sessions, so the redirected GET may land on any instance. The URL carries a random id (only its SHA-256 is
-- kept); the value is sealed, read once, by the user who caused it, within minutes.
create table web_flashes (
    id_sha256  bytea       primary key,
    user_id    bigint      not null references users (id),
    sealed     bytea       not null,
    expires_at timestamptz not null
);
create index web_flashes_expiry on web_flashes (expires_at);
