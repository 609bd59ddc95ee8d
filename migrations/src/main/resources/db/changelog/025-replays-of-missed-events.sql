--liquibase formatted sql

--changeset hookgate:025-replays-of-missed-events
-- A replay sends either waiting dead letters again or, to one destination, the events it never got (received while it
-- was disabled, or before it existed). The latter goes through the tenant's events in the order they were received:
-- the last one it went past.
alter table replays add column source text not null default 'dead_letters' check (source in ('dead_letters', 'missing'));
alter table replays add column after_received_at timestamptz;
alter table replays add column after_event_id bigint;
