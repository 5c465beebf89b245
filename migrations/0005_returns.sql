CREATE TABLE "channel_return_policies" (
	"channel_id" text PRIMARY KEY NOT NULL,
	"window_days" integer NOT NULL,
	"auto_authorize" boolean NOT NULL,
	"shipping_refund" text NOT NULL,
	"restocking_fee_bps" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "channel_return_policies_window_check" CHECK ("channel_return_policies"."window_days" between 0 and 3650),
	CONSTRAINT "channel_return_policies_fee_check" CHECK ("channel_return_policies"."restocking_fee_bps" between 0 and 10000),
	CONSTRAINT "channel_return_policies_shipping_check" CHECK ("channel_return_policies"."shipping_refund" in ('never', 'merchant_fault', 'always'))
);
--> statement-breakpoint
CREATE TABLE "linked_orders" (
	"order_id" text PRIMARY KEY NOT NULL,
	"original_order_id" text NOT NULL,
	"kind" text NOT NULL,
	"return_id" text,
	"reason" text NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "linked_orders_kind_check" CHECK ("linked_orders"."kind" in ('exchange', 'reship'))
);
--> statement-breakpoint
CREATE TABLE "product_return_policies" (
	"sku" text PRIMARY KEY NOT NULL,
	"window_days" integer,
	"returnable" boolean DEFAULT true NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "product_return_policies_window_check" CHECK ("product_return_policies"."window_days" is null or "product_return_policies"."window_days" between 0 and 3650)
);
--> statement-breakpoint
CREATE TABLE "return_lines" (
	"return_id" text NOT NULL,
	"line_id" text NOT NULL,
	"line_no" integer NOT NULL,
	"sku" text NOT NULL,
	"quantity" integer NOT NULL,
	"reason" text NOT NULL,
	"comment" text,
	"received" integer DEFAULT 0 NOT NULL,
	"restocked" integer DEFAULT 0 NOT NULL,
	"written_off" integer DEFAULT 0 NOT NULL,
	"returned_to_vendor" integer DEFAULT 0 NOT NULL,
	"refunded" integer DEFAULT 0 NOT NULL,
	"exchange_sku" text,
	"exchange_unit_price_minor" bigint,
	CONSTRAINT "return_lines_return_id_line_id_pk" PRIMARY KEY("return_id","line_id"),
	CONSTRAINT "return_lines_buckets_check" CHECK ("return_lines"."quantity" > 0 and "return_lines"."received" between 0 and "return_lines"."quantity"
          and "return_lines"."restocked" >= 0 and "return_lines"."written_off" >= 0 and "return_lines"."returned_to_vendor" >= 0
          and "return_lines"."restocked" + "return_lines"."written_off" + "return_lines"."returned_to_vendor" = "return_lines"."received"
          and "return_lines"."refunded" between 0 and "return_lines"."received"),
	CONSTRAINT "return_lines_reason_check" CHECK ("return_lines"."reason" in ('damaged', 'defective', 'wrong_item', 'not_as_described', 'size_fit', 'no_longer_needed', 'changed_mind', 'other'))
);
--> statement-breakpoint
CREATE TABLE "return_receipts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"return_id" text NOT NULL,
	"line_id" text NOT NULL,
	"quantity" integer NOT NULL,
	"condition" text NOT NULL,
	"disposition" text NOT NULL,
	"location_id" text NOT NULL,
	"note" text,
	"actor" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "return_receipts_quantity_check" CHECK ("return_receipts"."quantity" > 0),
	CONSTRAINT "return_receipts_condition_check" CHECK ("return_receipts"."condition" in ('new', 'opened', 'used', 'damaged', 'defective')),
	CONSTRAINT "return_receipts_disposition_check" CHECK ("return_receipts"."disposition" in ('restock', 'write_off', 'return_to_vendor'))
);
--> statement-breakpoint
CREATE TABLE "returns" (
	"id" text PRIMARY KEY NOT NULL,
	"order_id" text NOT NULL,
	"channel_id" text NOT NULL,
	"status" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"method" text NOT NULL,
	"location_id" text,
	"carrier" text,
	"tracking_number" text,
	"source" text NOT NULL,
	"customer_email" text,
	"notes" text,
	"currency" text NOT NULL,
	"refunded_minor" bigint DEFAULT 0 NOT NULL,
	"shipping_refunded_minor" bigint DEFAULT 0 NOT NULL,
	"restocking_fee_minor" bigint DEFAULT 0 NOT NULL,
	"exchange_order_id" text,
	"exchange_payment" jsonb,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "returns_status_check" CHECK ("returns"."status" in ('initiated', 'authorized', 'received', 'restocked', 'written_off', 'refunded', 'rejected', 'cancelled')),
	CONSTRAINT "returns_method_check" CHECK ("returns"."method" in ('mail_in', 'in_store')),
	CONSTRAINT "returns_source_check" CHECK ("returns"."source" in ('agent', 'channel', 'self_service')),
	CONSTRAINT "returns_money_check" CHECK ("returns"."refunded_minor" >= 0 and "returns"."shipping_refunded_minor" >= 0 and "returns"."restocking_fee_minor" >= 0)
);
--> statement-breakpoint
ALTER TABLE "channel_return_policies" ADD CONSTRAINT "channel_return_policies_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "linked_orders" ADD CONSTRAINT "linked_orders_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "linked_orders" ADD CONSTRAINT "linked_orders_original_order_id_orders_id_fk" FOREIGN KEY ("original_order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_return_policies" ADD CONSTRAINT "product_return_policies_sku_products_sku_fk" FOREIGN KEY ("sku") REFERENCES "public"."products"("sku") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "return_lines" ADD CONSTRAINT "return_lines_return_id_returns_id_fk" FOREIGN KEY ("return_id") REFERENCES "public"."returns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "return_receipts" ADD CONSTRAINT "return_receipts_return_id_returns_id_fk" FOREIGN KEY ("return_id") REFERENCES "public"."returns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "returns" ADD CONSTRAINT "returns_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "linked_orders_original_idx" ON "linked_orders" USING btree ("original_order_id");--> statement-breakpoint
CREATE INDEX "return_receipts_return_idx" ON "return_receipts" USING btree ("return_id","id");--> statement-breakpoint
CREATE INDEX "returns_order_idx" ON "returns" USING btree ("order_id","id");--> statement-breakpoint
CREATE INDEX "returns_status_idx" ON "returns" USING btree ("status","id");--> statement-breakpoint
CREATE INDEX "returns_customer_email_idx" ON "returns" USING btree ("customer_email","id");