--liquibase formatted sql

--changeset hookgate:009-replay-last-status
-- Dead letters are also filtered by how they last failed: an HTTP status code or an error kind.
alter table replays add column last_status text;
