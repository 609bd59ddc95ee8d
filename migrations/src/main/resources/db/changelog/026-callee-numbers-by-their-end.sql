--liquibase formatted sql

--changeset hookgate:026-callee-numbers-by-their-end runInTransaction:false
-- Support types a callee number as a ticket or a CRM has it: often without the country code, with a national 0 in
-- front (0812-3456-7890 for +62 812-3456-7890). A search matches the end of the number, so the numbers are indexed
-- reversed, where an end is a range of the index; equality uses the same index. It replaces the index by the whole
-- number, one entry for one. Dropped first, in case an earlier try left it half built (invalid).
drop index concurrently if exists event_calls_callee_end;
create index concurrently event_calls_callee_end on event_calls (reverse(callee_number) text_pattern_ops);
drop index concurrently if exists event_calls_callee_any;
