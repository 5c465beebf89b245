ALTER TABLE "orders" ADD COLUMN "managed" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "channel_return_policies" ADD COLUMN "imported_orders" boolean DEFAULT false NOT NULL;