--liquibase formatted sql

--changeset hookgate:020-event-searches-in-time-order runInTransaction:false
-- Event searches list the newest received first. A TaskID's events, or a kind's across tenants, are read from these
-- indexes in that order, however many there are, rather than all fetched and sorted (a kind no event has: rather
-- than every tenant's entries of the index by tenant read through). They replace the indexes in id order. Each is
-- dropped first, in case an earlier try left it half built (invalid).
drop index concurrently if exists events_task_received;
create index concurrently events_task_received on events (task_id, received_at, id);
drop index concurrently if exists events_task_recent;
drop index concurrently if exists events_kind_received;
create index concurrently events_kind_received on events (kind, received_at, id);
drop index concurrently if exists events_kind;
