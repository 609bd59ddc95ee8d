--liquibase formatted sql

--changeset hookgate:016-rejection-task-ids
-- Support looks a refused notification up by the TaskID that AIRUDDER reports, across tenants. Rows from before
-- this change keep no TaskID: their excerpt still shows it.
alter table rejections add column task_id text;
create index rejections_task on rejections (task_id, id) where task_id is not null;
-- newest first across tenants; a tenant's own list uses the primary key
create index rejections_newest on rejections (id);
