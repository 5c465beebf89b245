-- Stock levels are updated in place all day (holds, releases, counts). Leaving a fifth of each
-- page free lets PostgreSQL keep those updates on the same page (HOT): no index maintenance.
ALTER TABLE stock_levels SET (fillfactor = 80);
--> statement-breakpoint
ALTER TABLE reservations SET (fillfactor = 80);
