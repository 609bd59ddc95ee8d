--liquibase formatted sql

--changeset hookgate:024-paused-deliveries
-- A disabled destination's pending deliveries are paused until it is enabled again. A column added with a constant
-- default is written to the catalogue only: the table is not rewritten.
alter table deliveries add column paused boolean not null default false;

--changeset hookgate:024-due-index-without-paused-deliveries runInTransaction:false
-- The due index leaves paused deliveries out. In it, a disabled destination's backlog was read by every sweep from
-- the start of the index and by the health figures' oldest-overdue query, each every 5 s: 190 ms for 300,000 such
-- deliveries, a large share of a core for millions. Paused ones are found by their destination instead, when it is
-- enabled, and counted for the backlog. Built beside the old index, which goes once the new one is valid; each is
-- dropped first in case an earlier try left it half built (invalid).
drop index concurrently if exists deliveries_due_unpaused;
create index concurrently deliveries_due_unpaused on deliveries (next_attempt_at) where status = 'pending' and not paused;
drop index concurrently if exists deliveries_paused;
create index concurrently deliveries_paused on deliveries (destination_id) where status = 'pending' and paused;
drop index concurrently if exists deliveries_due;

--changeset hookgate:024-pause-disabled-destinations-deliveries
-- What disabled destinations hold already is paused as a disable now does (not those in flight).
update deliveries set paused = true
where status = 'pending' and lease_token is null
  and destination_id in (select id from destinations where not enabled and deleted_at is null);
