--liquibase formatted sql

--changeset hookgate:013-no-foreign-keys-on-the-ingest-path
-- Checked for every row the ingest writes: each event's tenant (a key-share lock on the tenant row that every
-- committer takes, so a multixact per commit) and each call's event, written by the same statement from the id it
-- has just returned. Tenants are never deleted, and the retention purge deletes calls with their event itself.
-- Without the two checks a notification costs PostgreSQL about a tenth less.
alter table events drop constraint events_tenant_id_fkey;
alter table event_calls drop constraint event_calls_tenant_id_event_id_fkey;
