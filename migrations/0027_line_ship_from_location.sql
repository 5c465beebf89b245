-- An order line may name the location it ships from (a marketplace seller, a drop-ship vendor,
-- the store of a store sale): routing then plans it at that location only.
ALTER TABLE "order_lines" ADD COLUMN "ship_from_location_id" text;--> statement-breakpoint
ALTER TABLE "order_lines" ADD CONSTRAINT "order_lines_ship_from_location_id_locations_id_fk" FOREIGN KEY ("ship_from_location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;