-- Followers of the outbox (webhooks, NATS, connectors) LISTEN on consign_events and wake when a
-- transaction that wrote events commits, instead of waiting for their next tick. One notification
-- per statement; PostgreSQL delivers it at commit and folds identical ones of a transaction into one.
CREATE OR REPLACE FUNCTION consign_notify_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('consign_events', '');
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER events_notify AFTER INSERT ON events FOR EACH STATEMENT EXECUTE FUNCTION consign_notify_events();
