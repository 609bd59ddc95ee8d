--liquibase formatted sql

--changeset hookgate:015-compact-callee-numbers
-- Callee numbers are kept without separators, the form searches compare ('+62 (812) 3456-7890' is '+6281234567890'):
-- the calls stored before that. One pass over event_calls; only the rows with a separator are written.
update event_calls set callee_number = nullif(regexp_replace(callee_number, '[[:space:]().-]', '', 'g'), '')
where callee_number ~ '[[:space:]().-]';
