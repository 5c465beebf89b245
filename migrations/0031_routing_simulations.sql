CREATE TABLE "routing_simulation_changes" (
	"simulation_id" text NOT NULL,
	"seq" integer NOT NULL,
	"order_id" text NOT NULL,
	"body" json NOT NULL,
	CONSTRAINT "routing_simulation_changes_simulation_id_seq_pk" PRIMARY KEY("simulation_id","seq")
);
--> statement-breakpoint
CREATE TABLE "routing_simulations" (
	"id" text PRIMARY KEY NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"parameters" jsonb NOT NULL,
	"orders_total" integer,
	"orders_done" integer DEFAULT 0 NOT NULL,
	"changed_orders" integer,
	"result" json,
	"error" text,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"heartbeat_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	CONSTRAINT "routing_simulations_status_check" CHECK ("routing_simulations"."status" in ('queued', 'running', 'succeeded', 'failed')),
	CONSTRAINT "routing_simulations_progress_check" CHECK ("routing_simulations"."orders_done" >= 0)
);
--> statement-breakpoint
ALTER TABLE "routing_simulation_changes" ADD CONSTRAINT "routing_simulation_changes_simulation_id_routing_simulations_id_fk" FOREIGN KEY ("simulation_id") REFERENCES "public"."routing_simulations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "routing_simulations_created_idx" ON "routing_simulations" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "routing_simulations_open_idx" ON "routing_simulations" USING btree ("status") WHERE "routing_simulations"."status" in ('queued', 'running');