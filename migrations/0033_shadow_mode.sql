CREATE TABLE "shadow_orders" (
	"id" text PRIMARY KEY NOT NULL,
	"channel_id" text NOT NULL,
	"external_id" text NOT NULL,
	"request_hash" text NOT NULL,
	"currency" text NOT NULL,
	"total_minor" bigint NOT NULL,
	"shipping_minor" bigint NOT NULL,
	"lines" jsonb NOT NULL,
	"decision_status" text NOT NULL,
	"decision" json NOT NULL,
	"placed_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "shadow_orders_decision_check" CHECK ("shadow_orders"."decision_status" in ('allocated', 'partially_allocated', 'rejected')),
	CONSTRAINT "shadow_orders_total_check" CHECK ("shadow_orders"."total_minor" >= 0)
);
--> statement-breakpoint
CREATE TABLE "shadow_outcomes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"channel_id" text NOT NULL,
	"external_id" text NOT NULL,
	"kind" text NOT NULL,
	"fingerprint" text NOT NULL,
	"sku" text,
	"location_id" text,
	"quantity" integer,
	"status" text,
	"total_minor" bigint,
	"captured_minor" bigint,
	"refunded_minor" bigint,
	"placed_at" timestamp with time zone,
	"occurred_at" timestamp with time zone,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "shadow_outcomes_kind_check" CHECK ("shadow_outcomes"."kind" in ('allocation', 'shipment', 'cancellation', 'status', 'money')),
	CONSTRAINT "shadow_outcomes_quantity_check" CHECK ("shadow_outcomes"."quantity" is null or "shadow_outcomes"."quantity" > 0),
	CONSTRAINT "shadow_outcomes_units_check" CHECK ("shadow_outcomes"."kind" not in ('allocation', 'shipment') or ("shadow_outcomes"."sku" is not null and "shadow_outcomes"."location_id" is not null and "shadow_outcomes"."quantity" is not null)),
	CONSTRAINT "shadow_outcomes_status_check" CHECK ("shadow_outcomes"."kind" <> 'status' or "shadow_outcomes"."status" is not null)
);
--> statement-breakpoint
CREATE TABLE "shadow_stock" (
	"location_id" text NOT NULL,
	"sku" text NOT NULL,
	"as_of" timestamp with time zone NOT NULL,
	"on_hand" integer NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "shadow_stock_location_id_sku_as_of_pk" PRIMARY KEY("location_id","sku","as_of"),
	CONSTRAINT "shadow_stock_on_hand_check" CHECK ("shadow_stock"."on_hand" >= 0)
);
--> statement-breakpoint
ALTER TABLE "channels" ADD COLUMN "mode" text DEFAULT 'live' NOT NULL;--> statement-breakpoint
ALTER TABLE "shadow_orders" ADD CONSTRAINT "shadow_orders_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shadow_outcomes" ADD CONSTRAINT "shadow_outcomes_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shadow_outcomes" ADD CONSTRAINT "shadow_outcomes_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shadow_stock" ADD CONSTRAINT "shadow_stock_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shadow_stock" ADD CONSTRAINT "shadow_stock_sku_products_sku_fk" FOREIGN KEY ("sku") REFERENCES "public"."products"("sku") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "shadow_orders_channel_external_key" ON "shadow_orders" USING btree ("channel_id","external_id");--> statement-breakpoint
CREATE INDEX "shadow_orders_channel_placed_idx" ON "shadow_orders" USING btree ("channel_id","placed_at");--> statement-breakpoint
CREATE UNIQUE INDEX "shadow_outcomes_fingerprint_key" ON "shadow_outcomes" USING btree ("channel_id","fingerprint");--> statement-breakpoint
CREATE INDEX "shadow_outcomes_order_idx" ON "shadow_outcomes" USING btree ("channel_id","external_id");--> statement-breakpoint
CREATE INDEX "shadow_stock_as_of_idx" ON "shadow_stock" USING btree ("as_of");--> statement-breakpoint
ALTER TABLE "channels" ADD CONSTRAINT "channels_mode_check" CHECK ("channels"."mode" in ('live', 'shadow'));