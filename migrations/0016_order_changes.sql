CREATE TABLE "fulfillment_release_requests" (
	"id" text PRIMARY KEY NOT NULL,
	"change_id" text NOT NULL,
	"fulfillment_order_id" text NOT NULL,
	"status" text DEFAULT 'requested' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone,
	"decided_by" text,
	CONSTRAINT "fulfillment_release_requests_status_check" CHECK ("fulfillment_release_requests"."status" in ('requested', 'released', 'refused', 'withdrawn'))
);
--> statement-breakpoint
CREATE TABLE "order_changes" (
	"id" text PRIMARY KEY NOT NULL,
	"order_id" text NOT NULL,
	"base_version" integer NOT NULL,
	"result_version" integer,
	"status" text NOT NULL,
	"actions" jsonb NOT NULL,
	"reason" text NOT NULL,
	"created_by" text,
	"settlement" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone,
	"decided_by" text,
	CONSTRAINT "order_changes_status_check" CHECK ("order_changes"."status" in ('draft', 'awaiting_release', 'confirmed', 'declined', 'cancelled')),
	CONSTRAINT "order_changes_versions_check" CHECK ("order_changes"."result_version" is null or "order_changes"."result_version" > "order_changes"."base_version")
);
--> statement-breakpoint
CREATE TABLE "order_versions" (
	"order_id" text NOT NULL,
	"version" integer NOT NULL,
	"change_id" text,
	"currency" text NOT NULL,
	"subtotal_minor" bigint NOT NULL,
	"discount_minor" bigint NOT NULL,
	"shipping_minor" bigint NOT NULL,
	"tax_minor" bigint NOT NULL,
	"total_minor" bigint NOT NULL,
	"delta_minor" bigint DEFAULT 0 NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "order_versions_order_id_version_pk" PRIMARY KEY("order_id","version"),
	CONSTRAINT "order_versions_money_check" CHECK ("order_versions"."total_minor" >= 0 and "order_versions"."subtotal_minor" >= 0)
);
--> statement-breakpoint
ALTER TABLE "fulfillment_release_requests" ADD CONSTRAINT "fulfillment_release_requests_change_id_order_changes_id_fk" FOREIGN KEY ("change_id") REFERENCES "public"."order_changes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fulfillment_release_requests" ADD CONSTRAINT "fulfillment_release_requests_fulfillment_order_id_fulfillment_orders_id_fk" FOREIGN KEY ("fulfillment_order_id") REFERENCES "public"."fulfillment_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_changes" ADD CONSTRAINT "order_changes_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_versions" ADD CONSTRAINT "order_versions_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_versions" ADD CONSTRAINT "order_versions_change_id_order_changes_id_fk" FOREIGN KEY ("change_id") REFERENCES "public"."order_changes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "fulfillment_release_requests_fo_idx" ON "fulfillment_release_requests" USING btree ("fulfillment_order_id");--> statement-breakpoint
CREATE INDEX "fulfillment_release_requests_change_idx" ON "fulfillment_release_requests" USING btree ("change_id");--> statement-breakpoint
CREATE INDEX "order_changes_order_idx" ON "order_changes" USING btree ("order_id","created_at");