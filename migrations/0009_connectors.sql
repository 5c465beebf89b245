CREATE TABLE "channel_connectors" (
	"channel_id" text PRIMARY KEY NOT NULL,
	"platform" text NOT NULL,
	"secret" text NOT NULL,
	"on_mismatch" text DEFAULT 'reject' NOT NULL,
	"location_map" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"outbound_url" text,
	"outbound_subscription_id" text,
	"polling" jsonb,
	"poll_cursor" jsonb,
	"polled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "channel_connectors_platform_check" CHECK ("channel_connectors"."platform" in ('shopify', 'woocommerce', 'bigcommerce', 'sfcc', 'amazon')),
	CONSTRAINT "channel_connectors_on_mismatch_check" CHECK ("channel_connectors"."on_mismatch" in ('reject', 'review_hold'))
);
--> statement-breakpoint
CREATE TABLE "connector_reviews" (
	"id" text PRIMARY KEY NOT NULL,
	"channel_id" text NOT NULL,
	"platform" text NOT NULL,
	"external_id" text NOT NULL,
	"status" text DEFAULT 'held' NOT NULL,
	"problem" jsonb NOT NULL,
	"payload" text NOT NULL,
	"order_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "connector_reviews_status_check" CHECK ("connector_reviews"."status" in ('held', 'placed', 'dismissed'))
);
--> statement-breakpoint
ALTER TABLE "channel_connectors" ADD CONSTRAINT "channel_connectors_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "connector_reviews" ADD CONSTRAINT "connector_reviews_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "channel_connectors_platform_idx" ON "channel_connectors" USING btree ("platform");--> statement-breakpoint
CREATE UNIQUE INDEX "connector_reviews_channel_external_key" ON "connector_reviews" USING btree ("channel_id","external_id");