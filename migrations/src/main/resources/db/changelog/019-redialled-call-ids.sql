--liquibase formatted sql

--changeset hookgate:019-redialled-call-ids runInTransaction:false
-- A number that did not answer is dialled again within the round, and each redial has its own CallID
-- (Details[].RedailCall[].CallID, AIRUDDER's spelling), which is what AIRUDDER shows for that dial: support staff
-- search by it as by the call's own. Kept with the call it belongs to, null for the many calls without redials;
-- the index holds only those with some. Without fastupdate, each insert updates the index at once, rather than
-- an ingest now and then paying for merging a pending list into it. Calls stored before this change have none
-- kept: they are found by their own CallID, CaseID, callee number or TaskID, as before.
alter table event_calls add column if not exists redial_call_ids text[];
drop index concurrently if exists event_calls_redial_any;
create index concurrently event_calls_redial_any on event_calls using gin (redial_call_ids) with (fastupdate = off)
    where redial_call_ids is not null;
