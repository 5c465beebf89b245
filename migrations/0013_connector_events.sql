CREATE TABLE "connector_events" (
	"id" text PRIMARY KEY NOT NULL,
	"channel_id" text NOT NULL,
	"platform" text NOT NULL,
	"external_id" text NOT NULL,
	"event_key" text NOT NULL,
	"kind" text NOT NULL,
	"data" jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"order_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"applied_at" timestamp with time zone,
	CONSTRAINT "connector_events_kind_check" CHECK ("connector_events"."kind" in ('cancel', 'edit', 'refund')),
	CONSTRAINT "connector_events_status_check" CHECK ("connector_events"."status" in ('pending', 'applied'))
);
--> statement-breakpoint
ALTER TABLE "connector_events" ADD CONSTRAINT "connector_events_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "connector_events_order_key" ON "connector_events" USING btree ("channel_id","external_id","event_key");