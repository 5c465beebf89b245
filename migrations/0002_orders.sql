CREATE TABLE "fulfillment_orders" (
	"id" text PRIMARY KEY NOT NULL,
	"order_id" text NOT NULL,
	"location_id" text NOT NULL,
	"delivery_method" text NOT NULL,
	"status" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fulfillment_orders_status_check" CHECK ("fulfillment_orders"."status" in ('allocated', 'accepted', 'picking', 'packed', 'shipped', 'delivered', 'ready_for_pickup', 'picked_up', 'rejected', 'cancelled'))
);
--> statement-breakpoint
CREATE TABLE "order_allocations" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"order_id" text NOT NULL,
	"line_id" text NOT NULL,
	"sku" text NOT NULL,
	"location_id" text NOT NULL,
	"quantity" integer NOT NULL,
	"status" text DEFAULT 'reserved' NOT NULL,
	"fulfillment_order_id" text,
	"decision_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "order_allocations_quantity_check" CHECK ("order_allocations"."quantity" > 0),
	CONSTRAINT "order_allocations_status_check" CHECK ("order_allocations"."status" in ('reserved', 'released', 'shipped'))
);
--> statement-breakpoint
CREATE TABLE "order_holds" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"order_id" text NOT NULL,
	"kind" text NOT NULL,
	"reason" text NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"released_at" timestamp with time zone,
	"released_by" text,
	CONSTRAINT "order_holds_kind_check" CHECK ("order_holds"."kind" in ('payment', 'fraud', 'manual', 'review', 'routing'))
);
--> statement-breakpoint
CREATE TABLE "order_lines" (
	"order_id" text NOT NULL,
	"line_id" text NOT NULL,
	"line_no" integer NOT NULL,
	"sku" text NOT NULL,
	"name" text,
	"unit_price_minor" bigint NOT NULL,
	"discount_minor" bigint DEFAULT 0 NOT NULL,
	"tax_minor" bigint DEFAULT 0 NOT NULL,
	"quantity" integer NOT NULL,
	"allocated" integer DEFAULT 0 NOT NULL,
	"backordered" integer DEFAULT 0 NOT NULL,
	"cancelled" integer DEFAULT 0 NOT NULL,
	"shipped" integer DEFAULT 0 NOT NULL,
	"delivered" integer DEFAULT 0 NOT NULL,
	"return_requested" integer DEFAULT 0 NOT NULL,
	"returned" integer DEFAULT 0 NOT NULL,
	"refunded" integer DEFAULT 0 NOT NULL,
	"reservation_id" text,
	CONSTRAINT "order_lines_order_id_line_id_pk" PRIMARY KEY("order_id","line_id"),
	CONSTRAINT "order_lines_quantity_check" CHECK ("order_lines"."quantity" > 0),
	CONSTRAINT "order_lines_buckets_check" CHECK ("order_lines"."allocated" >= 0 and "order_lines"."backordered" >= 0 and "order_lines"."cancelled" >= 0 and "order_lines"."shipped" >= 0 and "order_lines"."delivered" >= 0
          and "order_lines"."allocated" + "order_lines"."backordered" + "order_lines"."cancelled" + "order_lines"."shipped" <= "order_lines"."quantity"
          and "order_lines"."delivered" <= "order_lines"."shipped" and "order_lines"."returned" <= "order_lines"."delivered" and "order_lines"."return_requested" >= 0 and "order_lines"."refunded" >= 0)
);
--> statement-breakpoint
CREATE TABLE "orders" (
	"id" text PRIMARY KEY NOT NULL,
	"channel_id" text NOT NULL,
	"external_id" text NOT NULL,
	"request_hash" text NOT NULL,
	"status" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"customer" jsonb NOT NULL,
	"customer_email" text,
	"shipping_address" jsonb,
	"destination_latitude" double precision,
	"destination_longitude" double precision,
	"delivery_method" text NOT NULL,
	"pickup_location_id" text,
	"allow_ship_fallback" boolean DEFAULT false NOT NULL,
	"currency" text NOT NULL,
	"subtotal_minor" bigint NOT NULL,
	"discount_minor" bigint NOT NULL,
	"shipping_minor" bigint NOT NULL,
	"tax_minor" bigint NOT NULL,
	"total_minor" bigint NOT NULL,
	"authorized_minor" bigint NOT NULL,
	"rules_version" integer,
	"metadata" jsonb,
	"placed_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "orders_status_check" CHECK ("orders"."status" in ('created', 'confirmed', 'in_process', 'partially_shipped', 'shipped', 'partially_delivered', 'delivered', 'cancelled')),
	CONSTRAINT "orders_delivery_method_check" CHECK ("orders"."delivery_method" in ('ship', 'pickup', 'curbside')),
	CONSTRAINT "orders_money_check" CHECK ("orders"."total_minor" >= 0 and "orders"."authorized_minor" >= 0)
);
--> statement-breakpoint
CREATE TABLE "payments" (
	"id" text PRIMARY KEY NOT NULL,
	"order_id" text NOT NULL,
	"kind" text NOT NULL,
	"status" text NOT NULL,
	"amount_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"gateway" text NOT NULL,
	"reference" text,
	"parent_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payments_amount_check" CHECK ("payments"."amount_minor" >= 0),
	CONSTRAINT "payments_kind_check" CHECK ("payments"."kind" in ('authorization', 'capture', 'void', 'refund'))
);
--> statement-breakpoint
CREATE TABLE "routing_decisions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"order_id" text NOT NULL,
	"cause" text NOT NULL,
	"rules_version" integer,
	"outcome" text NOT NULL,
	"explanation" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "routing_rule_versions" (
	"version" integer PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"rules" jsonb NOT NULL,
	"notes" text,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"activated_by" text,
	"activated_at" timestamp with time zone,
	"effective_from" timestamp with time zone,
	"effective_to" timestamp with time zone,
	CONSTRAINT "routing_rule_versions_status_check" CHECK ("routing_rule_versions"."status" in ('draft', 'active', 'retired'))
);
--> statement-breakpoint
ALTER TABLE "fulfillment_orders" ADD CONSTRAINT "fulfillment_orders_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_allocations" ADD CONSTRAINT "order_allocations_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_holds" ADD CONSTRAINT "order_holds_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_lines" ADD CONSTRAINT "order_lines_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_decisions" ADD CONSTRAINT "routing_decisions_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "fulfillment_orders_queue_idx" ON "fulfillment_orders" USING btree ("location_id","status","id");--> statement-breakpoint
CREATE INDEX "fulfillment_orders_order_idx" ON "fulfillment_orders" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "order_allocations_order_idx" ON "order_allocations" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "order_allocations_fo_idx" ON "order_allocations" USING btree ("fulfillment_order_id");--> statement-breakpoint
CREATE INDEX "order_holds_order_idx" ON "order_holds" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "order_lines_sku_idx" ON "order_lines" USING btree ("sku");--> statement-breakpoint
CREATE INDEX "order_lines_backordered_idx" ON "order_lines" USING btree ("sku") WHERE "order_lines"."backordered" > 0;--> statement-breakpoint
CREATE UNIQUE INDEX "orders_channel_external_id_key" ON "orders" USING btree ("channel_id","external_id");--> statement-breakpoint
CREATE INDEX "orders_status_idx" ON "orders" USING btree ("status","id");--> statement-breakpoint
CREATE INDEX "orders_customer_email_idx" ON "orders" USING btree ("customer_email","id");--> statement-breakpoint
CREATE INDEX "orders_placed_at_idx" ON "orders" USING btree ("placed_at");--> statement-breakpoint
CREATE INDEX "payments_order_idx" ON "payments" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "routing_decisions_order_idx" ON "routing_decisions" USING btree ("order_id","id");