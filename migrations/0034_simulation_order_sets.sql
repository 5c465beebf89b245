CREATE TABLE "routing_order_set_orders" (
	"set_id" text NOT NULL,
	"seq" integer NOT NULL,
	"external_id" text NOT NULL,
	"channel_id" text NOT NULL,
	"placed_at" timestamp with time zone NOT NULL,
	"body" jsonb NOT NULL,
	CONSTRAINT "routing_order_set_orders_set_id_seq_pk" PRIMARY KEY("set_id","seq")
);
--> statement-breakpoint
CREATE TABLE "routing_order_sets" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"stock_at" timestamp with time zone NOT NULL,
	"orders_count" integer NOT NULL,
	"first_placed_at" timestamp with time zone NOT NULL,
	"last_placed_at" timestamp with time zone NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "routing_order_sets_count_check" CHECK ("routing_order_sets"."orders_count" > 0)
);
--> statement-breakpoint
ALTER TABLE "routing_order_set_orders" ADD CONSTRAINT "routing_order_set_orders_set_id_routing_order_sets_id_fk" FOREIGN KEY ("set_id") REFERENCES "public"."routing_order_sets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "routing_order_sets_created_idx" ON "routing_order_sets" USING btree ("created_at","id");