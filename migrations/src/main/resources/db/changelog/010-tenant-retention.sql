--liquibase formatted sql

--changeset hookgate:010-tenant-retention
-- How long this tenant's events are kept; null: the configured default.
alter table tenants add column retention_days integer check (retention_days between 1 and 3650);
