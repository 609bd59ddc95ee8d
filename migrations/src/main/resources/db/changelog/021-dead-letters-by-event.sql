--liquibase formatted sql

--changeset hookgate:021-dead-letters-by-event runInTransaction:false
-- An event's dead letters are read by event: on its page, by a redelivery, and by the retention purge for each event
-- it deletes. Without an index each read went through the whole table, which keeps a year of them.
drop index concurrently if exists dead_letters_event;
create index concurrently dead_letters_event on dead_letters (tenant_id, event_id);
