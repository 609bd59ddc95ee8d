--liquibase formatted sql

--changeset hookgate:023-dead-letters-by-delivery runInTransaction:false
-- Deleting a delivery checks that no dead letter still refers to it (the foreign key's check). Without an index on the
-- referring columns each check read the whole dead-letter table, which keeps a year of them: on 2.4 million events
-- with 72,000 dead letters, a retention batch of 500 events spent 4.9 of its 5.2 s in those checks, and 46-284 ms
-- with this index.
drop index concurrently if exists dead_letters_delivery;
create index concurrently dead_letters_delivery on dead_letters (tenant_id, delivery_id);
