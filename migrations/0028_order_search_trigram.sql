-- The order search's `q` (external ID, customer e-mail or name contains) reads trigram indexes
-- instead of every order: pg_trgm is a trusted extension on PostgreSQL 13+, and the embedded
-- engine loads it when it opens.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE INDEX "orders_external_id_trgm_idx" ON "orders" USING gin ("external_id" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "orders_customer_email_trgm_idx" ON "orders" USING gin ("customer_email" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "orders_customer_name_trgm_idx" ON "orders" USING gin (("customer"->>'name') gin_trgm_ops);
