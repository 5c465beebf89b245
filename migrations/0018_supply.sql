CREATE TABLE "product_preorders" (
	"sku" text PRIMARY KEY NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"cap" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "product_preorders_cap_check" CHECK ("product_preorders"."cap" >= 0)
);
--> statement-breakpoint
CREATE TABLE "supplies" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"reference" text NOT NULL,
	"location_id" text NOT NULL,
	"expected_on" date NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"received_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"actor" text,
	CONSTRAINT "supplies_kind_check" CHECK ("supplies"."kind" in ('purchase_order', 'asn', 'transfer')),
	CONSTRAINT "supplies_status_check" CHECK ("supplies"."status" in ('open', 'received', 'cancelled')),
	CONSTRAINT "supplies_closed_check" CHECK (("supplies"."status" = 'received') = ("supplies"."received_at" is not null) and ("supplies"."status" = 'cancelled') = ("supplies"."cancelled_at" is not null))
);
--> statement-breakpoint
CREATE TABLE "supply_lines" (
	"supply_id" text NOT NULL,
	"sku" text NOT NULL,
	"quantity" integer NOT NULL,
	"received" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "supply_lines_supply_id_sku_pk" PRIMARY KEY("supply_id","sku"),
	CONSTRAINT "supply_lines_quantity_check" CHECK ("supply_lines"."quantity" > 0 and "supply_lines"."received" >= 0)
);
--> statement-breakpoint
ALTER TABLE "product_preorders" ADD CONSTRAINT "product_preorders_sku_products_sku_fk" FOREIGN KEY ("sku") REFERENCES "public"."products"("sku") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supplies" ADD CONSTRAINT "supplies_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supply_lines" ADD CONSTRAINT "supply_lines_supply_id_supplies_id_fk" FOREIGN KEY ("supply_id") REFERENCES "public"."supplies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supply_lines" ADD CONSTRAINT "supply_lines_sku_products_sku_fk" FOREIGN KEY ("sku") REFERENCES "public"."products"("sku") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "supplies_kind_reference_key" ON "supplies" USING btree ("kind","reference");--> statement-breakpoint
CREATE INDEX "supplies_open_idx" ON "supplies" USING btree ("expected_on","id") WHERE "supplies"."status" = 'open';--> statement-breakpoint
CREATE INDEX "supply_lines_sku_idx" ON "supply_lines" USING btree ("sku");