CREATE TABLE "notification_messages" (
	"id" text PRIMARY KEY NOT NULL,
	"order_id" text NOT NULL,
	"customer_email" text NOT NULL,
	"kind" text NOT NULL,
	"channel" text NOT NULL,
	"locale" text NOT NULL,
	"recipient" text NOT NULL,
	"subject" text NOT NULL,
	"text" text NOT NULL,
	"html" text,
	"status" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"event_id" bigint NOT NULL,
	"sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notification_messages_channel_check" CHECK ("notification_messages"."channel" in ('email', 'sms', 'push')),
	CONSTRAINT "notification_messages_status_check" CHECK ("notification_messages"."status" in ('queued', 'sent', 'failed', 'dead')),
	CONSTRAINT "notification_messages_attempts_check" CHECK ("notification_messages"."attempts" >= 0)
);
--> statement-breakpoint
CREATE TABLE "notification_preferences" (
	"customer_email" text PRIMARY KEY NOT NULL,
	"opted_out" boolean DEFAULT false NOT NULL,
	"locale" text,
	"sms" boolean DEFAULT true NOT NULL,
	"push" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notification_templates" (
	"kind" text NOT NULL,
	"locale" text NOT NULL,
	"channel" text NOT NULL,
	"subject" text NOT NULL,
	"text" text NOT NULL,
	"html" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notification_templates_kind_locale_channel_pk" PRIMARY KEY("kind","locale","channel"),
	CONSTRAINT "notification_templates_channel_check" CHECK ("notification_templates"."channel" in ('all', 'email', 'sms', 'push'))
);
--> statement-breakpoint
ALTER TABLE "notification_messages" ADD CONSTRAINT "notification_messages_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_messages" ADD CONSTRAINT "notification_messages_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "notification_messages_event_kind_channel_key" ON "notification_messages" USING btree ("event_id","kind","channel");--> statement-breakpoint
CREATE INDEX "notification_messages_due_idx" ON "notification_messages" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE INDEX "notification_messages_order_idx" ON "notification_messages" USING btree ("order_id","id");--> statement-breakpoint
-- The notifications follower starts after the newest event: the history before this migration is
-- not mailed to anyone.
INSERT INTO "outbox_cursors" ("name", "last_event_id") SELECT 'notifications', coalesce(max("id"), 0) FROM "events" ON CONFLICT ("name") DO NOTHING;
