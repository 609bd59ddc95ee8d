--liquibase formatted sql

--changeset hookgate:012-one-index-per-searched-field runInTransaction:false
-- Every event and every call was written to two indexes per field support staff search by: one within the tenant
-- (003) and one across tenants (008). The cross-tenant index serves both searches, the tenant being a filter on the
-- few rows of one value, so the tenant-scoped copies go, and with them a third of the index writes of each ingest.
-- events_workflow goes too: no query reads it. A task has many events, listed newest first: its index holds the id.
-- Concurrently, so that other instances keep storing notifications meanwhile; each statement can run again after
-- a failure part way (a failed concurrent build leaves an invalid index behind, dropped first).
drop index concurrently if exists events_task_recent;
create index concurrently events_task_recent on events (task_id, id);
drop index concurrently if exists events_task_any;
drop index concurrently if exists events_task;
drop index concurrently if exists events_workflow;
drop index concurrently if exists event_calls_call;
drop index concurrently if exists event_calls_case;
drop index concurrently if exists event_calls_callee;
