CREATE TABLE "exchange_credits" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"order_id" text NOT NULL,
	"line_id" text NOT NULL,
	"units_from" integer NOT NULL,
	"units" integer NOT NULL,
	"source_order_id" text NOT NULL,
	"source_line_id" text NOT NULL,
	"return_id" text NOT NULL,
	"amount_minor" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "exchange_credits_amounts_check" CHECK ("exchange_credits"."units_from" >= 0 and "exchange_credits"."units" > 0 and "exchange_credits"."amount_minor" >= 0)
);
--> statement-breakpoint
CREATE TABLE "linked_order_lines" (
	"order_id" text NOT NULL,
	"line_id" text NOT NULL,
	"original_order_id" text NOT NULL,
	"original_line_id" text NOT NULL,
	"return_id" text,
	"shipment_id" text,
	"quantity" integer NOT NULL,
	CONSTRAINT "linked_order_lines_order_id_line_id_pk" PRIMARY KEY("order_id","line_id"),
	CONSTRAINT "linked_order_lines_quantity_check" CHECK ("linked_order_lines"."quantity" > 0)
);
--> statement-breakpoint
ALTER TABLE "exchange_credits" ADD CONSTRAINT "exchange_credits_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exchange_credits" ADD CONSTRAINT "exchange_credits_source_order_id_orders_id_fk" FOREIGN KEY ("source_order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exchange_credits" ADD CONSTRAINT "exchange_credits_return_id_returns_id_fk" FOREIGN KEY ("return_id") REFERENCES "public"."returns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "linked_order_lines" ADD CONSTRAINT "linked_order_lines_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "linked_order_lines" ADD CONSTRAINT "linked_order_lines_original_order_id_orders_id_fk" FOREIGN KEY ("original_order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "exchange_credits_line_idx" ON "exchange_credits" USING btree ("order_id","line_id","units_from");--> statement-breakpoint
CREATE INDEX "linked_order_lines_original_idx" ON "linked_order_lines" USING btree ("original_order_id","original_line_id");--> statement-breakpoint
-- Backfill the lines of exchanges placed before this table: the replacement order's lines are
-- L1, L2, … in the order of the return's exchanged lines.
INSERT INTO "linked_order_lines" ("order_id", "line_id", "original_order_id", "original_line_id", "return_id", "shipment_id", "quantity")
SELECT lo."order_id", 'L' || row_number() OVER (PARTITION BY lo."order_id" ORDER BY rl."line_no"), lo."original_order_id",
       rl."line_id", lo."return_id", NULL, rl."quantity"
FROM "linked_orders" lo
JOIN "return_lines" rl ON rl."return_id" = lo."return_id" AND rl."exchange_sku" IS NOT NULL
WHERE lo."kind" = 'exchange';
--> statement-breakpoint
-- … and of reships, from their order.reshipped events (lines L1, L2, … in the request's order),
-- so that earlier reships count against the cap.
INSERT INTO "linked_order_lines" ("order_id", "line_id", "original_order_id", "original_line_id", "return_id", "shipment_id", "quantity")
SELECT e."payload" ->> 'reship_order_id', 'L' || l.n, e."subject_id", l.line ->> 'line_id', NULL, e."payload" ->> 'shipment_id',
       (l.line ->> 'quantity')::int
FROM "events" e
CROSS JOIN LATERAL jsonb_array_elements(e."payload" -> 'lines') WITH ORDINALITY AS l(line, n)
WHERE e."type" = 'order.reshipped'
  AND EXISTS (SELECT 1 FROM "linked_orders" lo WHERE lo."order_id" = e."payload" ->> 'reship_order_id' AND lo."kind" = 'reship')
ON CONFLICT DO NOTHING;
