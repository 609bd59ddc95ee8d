-- pgbench script for `run.sh --mode ceilings`: one transaction shaped like one Hookgate ingest.
--
-- The statement is EventDao.insert (service/src/main/java/io/hookgate/event/EventDao.java) with the
-- per-request values taken from elsewhere, because pgbench variables are numbers:
--   * body, headers, workflow_id, call_count: one of the rows of ceiling_bodies, which hold bodies
--     built by the bench's own PayloadFactory (the same 1-5 Details, 3-8 KB JSON as the generator
--     sends, so the same TOAST compression); fetched by primary key in the same statement
--   * body_sha256: sha256 of a random 63-bit number (:u), so rows never collide on
--     events_once_per_body (Hookgate hashes the body in Java; here PostgreSQL hashes 8 bytes)
--   * task_id, call_id: md5 hex of :u (32 hex, random like the generator's); case_id "NNNNNNN.0"
--     and callee_number "+861" + 10 digits, random like the generator's; redial_call_ids: one md5 hex
--     per call, as the generator's calls each have one redial (the seed's RedailCall)
-- The outbox part is Hookgate's verbatim: with -D tenant=<tenant with one enabled destination> it
-- inserts one pending delivery per event; with a tenant without destination it inserts none.
-- Run with -M prepared (one parse per connection, as Hookgate's pooled prepared statements).
\set n random(1, 1000)
\set u random(1, 9000000000000000000)
with b as (
    select body, headers, workflow_id, call_count from ceiling_bodies where n = :n
), event as (
    insert into events (tenant_id, kind, signed, body, body_sha256, received_at, source_ip, headers,
                        workflow_id, task_id, call_count)
    select cast(:tenant as bigint), 'call_completion', true, b.body, sha256(int8send(cast(:u as bigint))), now(),
           '127.0.0.1', cast(b.headers as jsonb), b.workflow_id, md5(cast(:u as text)), b.call_count
    from b
    on conflict (tenant_id, body_sha256) do nothing
    returning tenant_id, id, kind, body, body_sha256, call_count
), calls as (
    insert into event_calls (tenant_id, event_id, position, call_id, case_id, callee_number, redial_call_ids)
    select event.tenant_id, event.id, g - 1, md5(cast(:u as text) || '/' || g),
           (1000000 + floor(random() * 9000000))::int || '.0',
           '+861' || lpad(floor(random() * 1e10)::bigint::text, 10, '0'),
           array[md5(cast(:u as text) || '/r' || g)]
    from event, generate_series(1, event.call_count) as g
), outbox as (
    insert into deliveries (tenant_id, event_id, destination_id, webhook_id, status, next_attempt_at, created_at, updated_at)
    select event.tenant_id, event.id, d.id, 'msg_' || encode(substring(event.body_sha256 from 1 for 12), 'hex') || '_' || d.id,
           'pending', now(), now(), now()
    from event join destinations d on d.tenant_id = event.tenant_id
    where d.enabled and d.deleted_at is null
      and (cardinality(d.kinds) = 0 or event.kind = any(d.kinds))
      and (d.filter_path is null or hookgate_filter_matches(event.body, d.filter_path))
    returning 1
)
select id, (select count(*) from outbox) as deliveries from event;
