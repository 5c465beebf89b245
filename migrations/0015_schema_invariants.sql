ALTER TABLE "return_lines" DROP CONSTRAINT "return_lines_return_id_returns_id_fk";--> statement-breakpoint
-- Return lines carry their order, so that a line can only be one of that order's lines.
ALTER TABLE "return_lines" ADD COLUMN "order_id" text;--> statement-breakpoint
UPDATE "return_lines" rl SET "order_id" = r."order_id" FROM "returns" r WHERE r."id" = rl."return_id";--> statement-breakpoint
ALTER TABLE "return_lines" ALTER COLUMN "order_id" SET NOT NULL;--> statement-breakpoint
-- The idempotency key moves onto the payment row, unique per order. Were a key ever on two
-- records of an order, the first keeps it (the one a retry replays); the later ones lose it.
ALTER TABLE "payments" ADD COLUMN "idempotency_key" text;--> statement-breakpoint
UPDATE "payments" p SET "idempotency_key" = d."idempotency_key"
FROM "payment_details" d
WHERE d."payment_id" = p."id" AND d."idempotency_key" IS NOT NULL
  AND NOT EXISTS (
    SELECT 1 FROM "payments" q JOIN "payment_details" e ON e."payment_id" = q."id"
    WHERE q."order_id" = p."order_id" AND e."idempotency_key" = d."idempotency_key"
      AND (q."created_at", q."id") < (p."created_at", p."id"));--> statement-breakpoint
ALTER TABLE "payment_details" DROP COLUMN "idempotency_key";--> statement-breakpoint
ALTER TABLE "order_allocations" ALTER COLUMN "decision_id" SET DATA TYPE bigint;--> statement-breakpoint
-- Links that may be empty and point nowhere are emptied; none should (no path deletes their targets).
UPDATE "order_allocations" a SET "decision_id" = NULL WHERE "decision_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "routing_decisions" d WHERE d."id" = a."decision_id");--> statement-breakpoint
UPDATE "order_allocations" a SET "fulfillment_order_id" = NULL WHERE "fulfillment_order_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "fulfillment_orders" f WHERE f."id" = a."fulfillment_order_id");--> statement-breakpoint
UPDATE "payments" p SET "parent_id" = NULL WHERE "parent_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "payments" q WHERE q."id" = p."parent_id");--> statement-breakpoint
UPDATE "reservations" r SET "order_id" = NULL WHERE "order_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "orders" o WHERE o."id" = r."order_id");--> statement-breakpoint
UPDATE "order_lines" l SET "reservation_id" = NULL WHERE "reservation_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "reservations" r WHERE r."id" = l."reservation_id");--> statement-breakpoint
UPDATE "orders" o SET "rules_version" = NULL WHERE "rules_version" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "routing_rule_versions" v WHERE v."version" = o."rules_version");--> statement-breakpoint
UPDATE "routing_decisions" d SET "rules_version" = NULL WHERE "rules_version" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "routing_rule_versions" v WHERE v."version" = d."rules_version");--> statement-breakpoint
UPDATE "payment_details" d SET "shipment_id" = NULL WHERE "shipment_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "shipments" s WHERE s."id" = d."shipment_id");--> statement-breakpoint
UPDATE "payment_details" d SET "return_id" = NULL WHERE "return_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "returns" r WHERE r."id" = d."return_id");--> statement-breakpoint
UPDATE "invoices" i SET "payment_id" = NULL WHERE "payment_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "payments" p WHERE p."id" = i."payment_id");--> statement-breakpoint
-- A SKU that orders, holds or the ledger name but the catalogue lost comes back as an inactive
-- product named after itself: the history stays, and nothing new can be ordered with it.
INSERT INTO "products" ("sku", "name", "active")
SELECT DISTINCT s."sku", s."sku", false
FROM (SELECT "sku" FROM "order_lines" UNION SELECT "sku" FROM "reservation_lines" UNION SELECT "sku" FROM "inventory_ledger") s
WHERE NOT EXISTS (SELECT 1 FROM "products" p WHERE p."sku" = s."sku");--> statement-breakpoint
-- A line's allocated units are its reserved allocations. Where an older version left the two
-- apart, the line follows its allocations and the difference moves to (or comes from) the units
-- waiting for a location, which routing places next.
UPDATE "order_lines" l
SET "allocated" = t."live", "backordered" = l."backordered" + l."allocated" - t."live"
FROM (
  SELECT l2."order_id", l2."line_id",
         coalesce((SELECT sum(a."quantity") FROM "order_allocations" a
                   WHERE a."order_id" = l2."order_id" AND a."line_id" = l2."line_id" AND a."status" = 'reserved'), 0)::int AS "live"
  FROM "order_lines" l2
) t
WHERE l."order_id" = t."order_id" AND l."line_id" = t."line_id"
  AND l."allocated" <> t."live" AND l."backordered" + l."allocated" - t."live" >= 0;--> statement-breakpoint
DROP INDEX "order_allocations_order_idx";--> statement-breakpoint
CREATE INDEX "order_allocations_line_idx" ON "order_allocations" USING btree ("order_id","line_id");--> statement-breakpoint
CREATE UNIQUE INDEX "payments_order_idempotency_key" ON "payments" USING btree ("order_id","idempotency_key");--> statement-breakpoint
CREATE UNIQUE INDEX "returns_id_order_key" ON "returns" USING btree ("id","order_id");--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fulfillment_orders" ADD CONSTRAINT "fulfillment_orders_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory_ledger" ADD CONSTRAINT "inventory_ledger_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory_ledger" ADD CONSTRAINT "inventory_ledger_sku_products_sku_fk" FOREIGN KEY ("sku") REFERENCES "public"."products"("sku") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_allocations" ADD CONSTRAINT "order_allocations_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_allocations" ADD CONSTRAINT "order_allocations_fulfillment_order_id_fulfillment_orders_id_fk" FOREIGN KEY ("fulfillment_order_id") REFERENCES "public"."fulfillment_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_allocations" ADD CONSTRAINT "order_allocations_decision_id_routing_decisions_id_fk" FOREIGN KEY ("decision_id") REFERENCES "public"."routing_decisions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_allocations" ADD CONSTRAINT "order_allocations_line_fk" FOREIGN KEY ("order_id","line_id") REFERENCES "public"."order_lines"("order_id","line_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_lines" ADD CONSTRAINT "order_lines_sku_products_sku_fk" FOREIGN KEY ("sku") REFERENCES "public"."products"("sku") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_lines" ADD CONSTRAINT "order_lines_reservation_id_reservations_id_fk" FOREIGN KEY ("reservation_id") REFERENCES "public"."reservations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_pickup_location_id_locations_id_fk" FOREIGN KEY ("pickup_location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_rules_version_routing_rule_versions_version_fk" FOREIGN KEY ("rules_version") REFERENCES "public"."routing_rule_versions"("version") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_details" ADD CONSTRAINT "payment_details_shipment_id_shipments_id_fk" FOREIGN KEY ("shipment_id") REFERENCES "public"."shipments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_parent_id_payments_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reservation_lines" ADD CONSTRAINT "reservation_lines_sku_products_sku_fk" FOREIGN KEY ("sku") REFERENCES "public"."products"("sku") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reservation_lines" ADD CONSTRAINT "reservation_lines_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reservations" ADD CONSTRAINT "reservations_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reservations" ADD CONSTRAINT "reservations_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_decisions" ADD CONSTRAINT "routing_decisions_rules_version_routing_rule_versions_version_fk" FOREIGN KEY ("rules_version") REFERENCES "public"."routing_rule_versions"("version") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipment_lines" ADD CONSTRAINT "shipment_lines_line_fk" FOREIGN KEY ("order_id","line_id") REFERENCES "public"."order_lines"("order_id","line_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipments" ADD CONSTRAINT "shipments_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_subscriptions" ADD CONSTRAINT "webhook_subscriptions_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "channel_connectors" ADD CONSTRAINT "channel_connectors_outbound_subscription_id_webhook_subscriptions_id_fk" FOREIGN KEY ("outbound_subscription_id") REFERENCES "public"."webhook_subscriptions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "connector_reviews" ADD CONSTRAINT "connector_reviews_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exchange_credits" ADD CONSTRAINT "exchange_credits_line_fk" FOREIGN KEY ("order_id","line_id") REFERENCES "public"."order_lines"("order_id","line_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exchange_credits" ADD CONSTRAINT "exchange_credits_source_line_fk" FOREIGN KEY ("source_order_id","source_line_id") REFERENCES "public"."order_lines"("order_id","line_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "linked_order_lines" ADD CONSTRAINT "linked_order_lines_return_id_returns_id_fk" FOREIGN KEY ("return_id") REFERENCES "public"."returns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "linked_order_lines" ADD CONSTRAINT "linked_order_lines_shipment_id_shipments_id_fk" FOREIGN KEY ("shipment_id") REFERENCES "public"."shipments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "linked_order_lines" ADD CONSTRAINT "linked_order_lines_line_fk" FOREIGN KEY ("order_id","line_id") REFERENCES "public"."order_lines"("order_id","line_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "linked_order_lines" ADD CONSTRAINT "linked_order_lines_original_line_fk" FOREIGN KEY ("original_order_id","original_line_id") REFERENCES "public"."order_lines"("order_id","line_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "linked_orders" ADD CONSTRAINT "linked_orders_return_id_returns_id_fk" FOREIGN KEY ("return_id") REFERENCES "public"."returns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "return_lines" ADD CONSTRAINT "return_lines_return_fk" FOREIGN KEY ("return_id","order_id") REFERENCES "public"."returns"("id","order_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "return_lines" ADD CONSTRAINT "return_lines_line_fk" FOREIGN KEY ("order_id","line_id") REFERENCES "public"."order_lines"("order_id","line_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "return_receipts" ADD CONSTRAINT "return_receipts_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "return_receipts" ADD CONSTRAINT "return_receipts_line_fk" FOREIGN KEY ("return_id","line_id") REFERENCES "public"."return_lines"("return_id","line_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "returns" ADD CONSTRAINT "returns_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "returns" ADD CONSTRAINT "returns_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "returns" ADD CONSTRAINT "returns_exchange_order_id_orders_id_fk" FOREIGN KEY ("exchange_order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscription_attempts" ADD CONSTRAINT "subscription_attempts_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscription_periods" ADD CONSTRAINT "subscription_periods_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fulfillment_orders" ADD CONSTRAINT "fulfillment_orders_delivery_method_check" CHECK ("fulfillment_orders"."delivery_method" in ('ship', 'pickup', 'curbside'));--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_currency_check" CHECK ("invoices"."currency" ~ '^[A-Z]{3}$');--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_currency_check" CHECK ("orders"."currency" ~ '^[A-Z]{3}$');--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_status_check" CHECK ("payments"."status" in ('succeeded', 'failed', 'pending'));--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_currency_check" CHECK ("payments"."currency" ~ '^[A-Z]{3}$');--> statement-breakpoint
ALTER TABLE "routing_decisions" ADD CONSTRAINT "routing_decisions_cause_check" CHECK ("routing_decisions"."cause" in ('capture', 'reroute', 'backorder', 'release'));--> statement-breakpoint
ALTER TABLE "routing_decisions" ADD CONSTRAINT "routing_decisions_outcome_check" CHECK ("routing_decisions"."outcome" in ('allocated', 'partially_allocated', 'rejected'));--> statement-breakpoint
ALTER TABLE "tracking_events" ADD CONSTRAINT "tracking_events_status_check" CHECK ("tracking_events"."status" in ('pre_transit', 'in_transit', 'out_for_delivery', 'delivered', 'exception', 'returned_to_sender'));--> statement-breakpoint
ALTER TABLE "returns" ADD CONSTRAINT "returns_currency_check" CHECK ("returns"."currency" ~ '^[A-Z]{3}$');--> statement-breakpoint
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_currency_check" CHECK ("subscriptions"."currency" ~ '^[A-Z]{3}$');--> statement-breakpoint
ALTER TABLE "payment_details" ADD CONSTRAINT "payment_details_return_id_returns_id_fk" FOREIGN KEY ("return_id") REFERENCES "public"."returns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- At commit, every order line touched (or whose allocations were) holds as allocated exactly the
-- sum of its reserved allocations. Deferred: a line and its allocations change in separate statements.
CREATE FUNCTION "consign_check_line_allocated"(p_order_id text, p_line_id text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  v_allocated int;
  v_live int;
BEGIN
  SELECT l."allocated" INTO v_allocated FROM "order_lines" l WHERE l."order_id" = p_order_id AND l."line_id" = p_line_id;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  SELECT coalesce(sum(a."quantity"), 0)::int INTO v_live FROM "order_allocations" a
  WHERE a."order_id" = p_order_id AND a."line_id" = p_line_id AND a."status" = 'reserved';
  IF v_allocated <> v_live THEN
    RAISE EXCEPTION 'order line %/% has % allocated but % in reserved allocations', p_order_id, p_line_id, v_allocated, v_live
      USING ERRCODE = '23514', CONSTRAINT = 'order_lines_allocated_matches_allocations', TABLE = 'order_lines';
  END IF;
END;
$$;--> statement-breakpoint
CREATE FUNCTION "consign_order_lines_allocated_trigger"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND (OLD."order_id", OLD."line_id") IS DISTINCT FROM (NEW."order_id", NEW."line_id")) THEN
    PERFORM "consign_check_line_allocated"(OLD."order_id", OLD."line_id");
  END IF;
  IF TG_OP <> 'DELETE' THEN
    PERFORM "consign_check_line_allocated"(NEW."order_id", NEW."line_id");
  END IF;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "order_lines_allocated_matches_allocations"
AFTER INSERT OR UPDATE OF "allocated" ON "order_lines"
DEFERRABLE INITIALLY DEFERRED
FOR EACH ROW EXECUTE FUNCTION "consign_order_lines_allocated_trigger"();--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "order_allocations_match_line_allocated"
AFTER INSERT OR UPDATE OR DELETE ON "order_allocations"
DEFERRABLE INITIALLY DEFERRED
FOR EACH ROW EXECUTE FUNCTION "consign_order_lines_allocated_trigger"();
