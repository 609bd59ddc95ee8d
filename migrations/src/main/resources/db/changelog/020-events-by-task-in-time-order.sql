--liquibase formatted sql

--changeset hookgate:020-events-by-task-in-time-order runInTransaction:false
-- Event searches list the newest received first. A TaskID's events are read from this index in that order, however
-- many calls the task has, rather than all fetched and sorted. It replaces the index in id order. Dropped first, in
-- case an earlier try left it half built (invalid).
drop index concurrently if exists events_task_received;
create index concurrently events_task_received on events (task_id, received_at, id);
drop index concurrently if exists events_task_recent;
