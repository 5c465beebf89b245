CREATE TABLE "channel_catalog_mappings" (
	"channel_id" text NOT NULL,
	"product_id" text NOT NULL,
	"variant_id" text DEFAULT '' NOT NULL,
	"sku" text NOT NULL,
	"inventory_item_id" text,
	"source" text DEFAULT 'api' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "channel_catalog_mappings_channel_id_product_id_variant_id_pk" PRIMARY KEY("channel_id","product_id","variant_id"),
	CONSTRAINT "channel_catalog_mappings_source_check" CHECK ("channel_catalog_mappings"."source" in ('api', 'auto'))
);
--> statement-breakpoint
CREATE TABLE "connector_errors" (
	"channel_id" text PRIMARY KEY NOT NULL,
	"problem" jsonb NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "channel_catalog_mappings" ADD CONSTRAINT "channel_catalog_mappings_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "channel_catalog_mappings" ADD CONSTRAINT "channel_catalog_mappings_sku_products_sku_fk" FOREIGN KEY ("sku") REFERENCES "public"."products"("sku") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "connector_errors" ADD CONSTRAINT "connector_errors_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "channel_catalog_mappings_sku_idx" ON "channel_catalog_mappings" USING btree ("channel_id","sku");