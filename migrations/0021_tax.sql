CREATE TABLE "product_tax_codes" (
	"sku" text PRIMARY KEY NOT NULL,
	"tax_code" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tax_documents" (
	"id" text PRIMARY KEY NOT NULL,
	"order_id" text NOT NULL,
	"kind" text NOT NULL,
	"engine" text NOT NULL,
	"status" text NOT NULL,
	"external_code" text,
	"price_mode" text NOT NULL,
	"currency" text NOT NULL,
	"tax_minor" bigint NOT NULL,
	"payment_id" text,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"committed_at" timestamp with time zone,
	CONSTRAINT "tax_documents_kind_check" CHECK ("tax_documents"."kind" in ('sale', 'refund')),
	CONSTRAINT "tax_documents_engine_check" CHECK ("tax_documents"."engine" in ('table', 'avatax')),
	CONSTRAINT "tax_documents_status_check" CHECK ("tax_documents"."status" in ('uncommitted', 'committed'))
);
--> statement-breakpoint
CREATE TABLE "tax_lines" (
	"document_id" text NOT NULL,
	"line_id" text NOT NULL,
	"amount_minor" bigint NOT NULL,
	"taxable_minor" bigint NOT NULL,
	"tax_minor" bigint NOT NULL,
	"details" jsonb NOT NULL,
	CONSTRAINT "tax_lines_document_id_line_id_pk" PRIMARY KEY("document_id","line_id")
);
--> statement-breakpoint
CREATE TABLE "tax_rates" (
	"id" text PRIMARY KEY NOT NULL,
	"country" text NOT NULL,
	"region" text,
	"postal_prefix" text,
	"tax_code" text,
	"jurisdiction" text NOT NULL,
	"name" text NOT NULL,
	"rate_ppm" integer NOT NULL,
	"shipping_taxable" boolean NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tax_rates_rate_check" CHECK ("tax_rates"."rate_ppm" between 0 and 1000000),
	CONSTRAINT "tax_rates_country_check" CHECK ("tax_rates"."country" ~ '^[A-Z]{2}$')
);
--> statement-breakpoint
CREATE TABLE "tax_settings" (
	"id" integer PRIMARY KEY NOT NULL,
	"engine" text NOT NULL,
	"on_failure" text NOT NULL,
	"price_mode" text NOT NULL,
	"ship_from" jsonb,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tax_settings_single_row" CHECK ("tax_settings"."id" = 1),
	CONSTRAINT "tax_settings_engine_check" CHECK ("tax_settings"."engine" in ('table', 'avatax')),
	CONSTRAINT "tax_settings_on_failure_check" CHECK ("tax_settings"."on_failure" in ('hold', 'table')),
	CONSTRAINT "tax_settings_price_mode_check" CHECK ("tax_settings"."price_mode" in ('exclusive', 'inclusive'))
);
--> statement-breakpoint
ALTER TABLE "order_holds" DROP CONSTRAINT "order_holds_kind_check";--> statement-breakpoint
ALTER TABLE "product_tax_codes" ADD CONSTRAINT "product_tax_codes_sku_products_sku_fk" FOREIGN KEY ("sku") REFERENCES "public"."products"("sku") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tax_documents" ADD CONSTRAINT "tax_documents_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tax_lines" ADD CONSTRAINT "tax_lines_document_id_tax_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."tax_documents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "tax_documents_order_idx" ON "tax_documents" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "tax_rates_country_idx" ON "tax_rates" USING btree ("country");--> statement-breakpoint
ALTER TABLE "order_holds" ADD CONSTRAINT "order_holds_kind_check" CHECK ("order_holds"."kind" in ('payment', 'fraud', 'manual', 'review', 'routing', 'tax'));