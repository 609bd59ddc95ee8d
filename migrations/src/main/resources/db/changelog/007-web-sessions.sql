--liquibase formatted sql

--changeset hookgate:007-web-sessions
-- Admin UI sessions, shared by every instance. The cookie holds a random id; only its SHA-256 is kept.
create table web_sessions (
    id_sha256    bytea       primary key,
    user_id      bigint      not null references users (id),
    csrf_token   text        not null,
    created_at   timestamptz not null,
    last_seen_at timestamptz not null,
    expires_at   timestamptz not null
);
create index web_sessions_user on web_sessions (user_id);
create index web_sessions_expiry on web_sessions (expires_at);
