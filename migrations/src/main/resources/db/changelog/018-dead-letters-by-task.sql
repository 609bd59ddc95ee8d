--liquibase formatted sql

--changeset hookgate:018-dead-letters-by-task
-- A bulk replay may be limited to the dead letters of one TaskID (an AIRUDDER task, a calling campaign); its runner
-- reads the filter back from here, so the TaskID is kept with the others.
alter table replays add column task_id text;
