--liquibase formatted sql

--changeset hookgate:008-cross-tenant-search
-- Support staff search every tenant at once by TaskID, CallID, CaseID or callee number.
create index events_task_any on events (task_id);
create index event_calls_call_any on event_calls (call_id);
create index event_calls_case_any on event_calls (case_id);
create index event_calls_callee_any on event_calls (callee_number);
create index events_received_any on events (received_at);
create index deliveries_completed on deliveries (completed_at) where completed_at is not null;
create index audit_log_action on audit_log (action, at);
