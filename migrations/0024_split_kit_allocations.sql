-- A bundle line whose kits no single location holds whole can, when the routing rules say
-- `bundles: "split_components"`, take each component from a different location. Such a kit
-- allocation is a group of rows, one per location, each naming the leaf components it picks
-- there (units per bundle) and each counting the same bundles.
ALTER TABLE "order_allocations" ADD COLUMN "kit_group" text;--> statement-breakpoint
ALTER TABLE "order_allocations" ADD COLUMN "components" jsonb;--> statement-breakpoint
-- A shipped part: the shipment that carried it, and whether it was the kit's last (that
-- shipment's lines count the kit's bundles; they are delivered once every part's shipment is).
ALTER TABLE "order_allocations" ADD COLUMN "shipment_id" text;--> statement-breakpoint
ALTER TABLE "order_allocations" ADD COLUMN "completes_kit" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "order_allocations" ADD CONSTRAINT "order_allocations_shipment_id_shipments_id_fk" FOREIGN KEY ("shipment_id") REFERENCES "public"."shipments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_allocations" ADD CONSTRAINT "order_allocations_kit_part_check" CHECK (("kit_group" IS NULL) = ("components" IS NULL));--> statement-breakpoint
CREATE INDEX "order_allocations_kit_group_idx" ON "order_allocations" USING btree ("kit_group") WHERE "kit_group" IS NOT NULL;--> statement-breakpoint
-- A line's allocated units are its reserved allocations, a split kit's group counted once
-- (its parts all carry the same bundles) for as long as any part of it is still reserved.
CREATE OR REPLACE FUNCTION "consign_check_line_allocated"(p_order_id text, p_line_id text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  v_allocated int;
  v_live int;
BEGIN
  SELECT l."allocated" INTO v_allocated FROM "order_lines" l WHERE l."order_id" = p_order_id AND l."line_id" = p_line_id;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  SELECT coalesce(sum(g."quantity"), 0)::int INTO v_live FROM (
    SELECT a."quantity" FROM "order_allocations" a
    WHERE a."order_id" = p_order_id AND a."line_id" = p_line_id AND a."status" = 'reserved' AND a."kit_group" IS NULL
    UNION ALL
    SELECT max(a."quantity") FROM "order_allocations" a
    WHERE a."order_id" = p_order_id AND a."line_id" = p_line_id AND a."status" = 'reserved' AND a."kit_group" IS NOT NULL
    GROUP BY a."kit_group"
  ) g;
  IF v_allocated <> v_live THEN
    RAISE EXCEPTION 'order line %/% has % allocated but % in reserved allocations', p_order_id, p_line_id, v_allocated, v_live
      USING ERRCODE = '23514', CONSTRAINT = 'order_lines_allocated_matches_allocations', TABLE = 'order_lines';
  END IF;
END;
$$;
