CREATE TABLE "export_positions" (
	"position" bigserial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"source_id" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "export_positions_kind_source_key" ON "export_positions" USING btree ("kind","source_id");--> statement-breakpoint
CREATE INDEX "export_positions_kind_position_idx" ON "export_positions" USING btree ("kind","position");--> statement-breakpoint
ALTER TABLE "export_positions" ADD CONSTRAINT "export_positions_kind_check" CHECK ("kind" in ('orders', 'invoices', 'credit_memos', 'payments', 'stock_movements'));
