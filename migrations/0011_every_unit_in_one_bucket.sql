ALTER TABLE "inventory_ledger" DROP CONSTRAINT "inventory_ledger_kind_check";--> statement-breakpoint
ALTER TABLE "order_lines" DROP CONSTRAINT "order_lines_buckets_check";--> statement-breakpoint
-- Units that fell out of every bucket (a rejection or short pick nothing could re-route left them
-- neither allocated nor waiting) now wait for routing, so every unit is in exactly one bucket.
UPDATE "order_lines" SET "backordered" = "quantity" - "allocated" - "cancelled" - "shipped"
  WHERE "allocated" + "backordered" + "cancelled" + "shipped" < "quantity";--> statement-breakpoint
ALTER TABLE "inventory_ledger" ADD CONSTRAINT "inventory_ledger_kind_check" CHECK ("inventory_ledger"."kind" in ('receipt', 'adjustment', 'count', 'transfer_out', 'transfer_in', 'reservation', 'release', 'expiry', 'commit', 'ship', 'return_restock', 'write_off', 'shortage'));--> statement-breakpoint
ALTER TABLE "order_lines" ADD CONSTRAINT "order_lines_buckets_check" CHECK ("order_lines"."allocated" >= 0 and "order_lines"."backordered" >= 0 and "order_lines"."cancelled" >= 0 and "order_lines"."shipped" >= 0 and "order_lines"."delivered" >= 0
          and "order_lines"."allocated" + "order_lines"."backordered" + "order_lines"."cancelled" + "order_lines"."shipped" = "order_lines"."quantity"
          and "order_lines"."delivered" <= "order_lines"."shipped" and "order_lines"."returned" <= "order_lines"."delivered" and "order_lines"."return_requested" >= 0 and "order_lines"."refunded" >= 0);