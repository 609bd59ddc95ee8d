--liquibase formatted sql

--changeset hookgate:011-unique-event-id
-- The foreign keys of event_calls and deliveries check their event with "tenant_id = $1 and id = $2", planned once
-- per connection. While events is still unanalyzed (a fresh install, the first minute) that plan could pick an index
-- that leads with tenant_id and then filter on id, reading all of the tenant's events for every call stored, for as
-- long as the pooled connection lives. A unique index on id is the plan the planner always takes.
-- (Before distributing events with Citus, this index goes: a unique index there must include the tenant id.)
create unique index events_id_unique on events (id);
drop index events_id;
alter index events_id_unique rename to events_id;
