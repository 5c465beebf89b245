-- A date window of the order search lists newest placed first (then by ID, which is also its
-- cursor), and the reports scope orders by placed date: one index on (placed_at, id) serves both,
-- walked backwards from the window's end instead of every order newer than it.
CREATE INDEX "orders_placed_at_id_idx" ON "orders" USING btree ("placed_at","id");--> statement-breakpoint
DROP INDEX "orders_placed_at_idx";
