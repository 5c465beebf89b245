-- Event retention (ADR 0045): events past CONSIGN_EVENT_RETENTION_DAYS that every follower has
-- passed move from the outbox to events_archive with their IDs, one statement per batch. The rows
-- that name an event (webhook deliveries, automation executions, customer notifications) keep its
-- ID without a foreign key: the event may now live in either table. event_history reads both, so
-- the feed, the timelines and the delivery log see an archived event exactly as before.
-- The outbox stays append-only: an event is never edited, and leaves only by archival (the
-- archiver's transaction says so with consign.archiving_events); the archive is append-only too.
CREATE TABLE "events_archive" (
	"id" bigint PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"subject_type" text NOT NULL,
	"subject_id" text NOT NULL,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"archived_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "webhook_deliveries" DROP CONSTRAINT "webhook_deliveries_event_id_events_id_fk";
--> statement-breakpoint
ALTER TABLE "automation_executions" DROP CONSTRAINT "automation_executions_event_id_events_id_fk";
--> statement-breakpoint
ALTER TABLE "notification_messages" DROP CONSTRAINT "notification_messages_event_id_events_id_fk";
--> statement-breakpoint
CREATE INDEX "events_archive_type_id_idx" ON "events_archive" USING btree ("type","id");--> statement-breakpoint
CREATE INDEX "events_archive_subject_idx" ON "events_archive" USING btree ("subject_id","id");--> statement-breakpoint
CREATE VIEW "event_history" AS
  SELECT "id", "type", "subject_type", "subject_id", "payload", "created_at" FROM "events_archive"
  UNION ALL
  SELECT "id", "type", "subject_type", "subject_id", "payload", "created_at" FROM "events";
;--> statement-breakpoint
CREATE FUNCTION consign_events_leave_only_by_archival() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('consign.archiving_events', true) = 'on' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'events is append-only: % is not allowed (events leave the outbox only by archival)', TG_OP
    USING ERRCODE = 'restrict_violation';
END;
$$;
--> statement-breakpoint
DROP TRIGGER events_append_only ON events;
--> statement-breakpoint
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
  FOR EACH ROW EXECUTE FUNCTION consign_events_leave_only_by_archival();
--> statement-breakpoint
CREATE TRIGGER events_archive_append_only BEFORE UPDATE OR DELETE ON events_archive
  FOR EACH ROW EXECUTE FUNCTION consign_reject_mutation();
