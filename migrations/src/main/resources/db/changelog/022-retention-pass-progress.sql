--liquibase formatted sql

--changeset hookgate:022-retention-pass-progress
-- A pass records its progress after every batch, with the time: a pass that outlasts the interval (the first one on a
-- large database) is still seen running while it moves, and one whose instance stopped is seen interrupted soon after.
alter table retention_passes add column progress_at timestamptz;
