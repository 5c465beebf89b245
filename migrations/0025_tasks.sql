CREATE TABLE "tasks" (
	"id" text PRIMARY KEY NOT NULL,
	"queue" text NOT NULL,
	"title" text NOT NULL,
	"body" text,
	"order_id" text,
	"status" text DEFAULT 'open' NOT NULL,
	"assignee" text,
	"claimed_at" timestamp with time zone,
	"due_at" timestamp with time zone,
	"resolution" text,
	"closed_by" text,
	"closed_at" timestamp with time zone,
	"created_by" text NOT NULL,
	"source_key" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tasks_status_check" CHECK ("tasks"."status" in ('open', 'claimed', 'done', 'cancelled')),
	CONSTRAINT "tasks_queue_check" CHECK ("tasks"."queue" ~ '^[a-z0-9][a-z0-9_-]{0,63}$'),
	CONSTRAINT "tasks_title_check" CHECK (length("tasks"."title") between 1 and 200),
	CONSTRAINT "tasks_version_check" CHECK ("tasks"."version" >= 1),
	CONSTRAINT "tasks_claimed_check" CHECK ("tasks"."status" <> 'claimed' or ("tasks"."assignee" is not null and "tasks"."claimed_at" is not null)),
	CONSTRAINT "tasks_closed_check" CHECK (("tasks"."status" in ('done', 'cancelled')) = ("tasks"."closed_at" is not null and "tasks"."closed_by" is not null))
);
--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "tasks_source_key" ON "tasks" USING btree ("source_key");--> statement-breakpoint
CREATE INDEX "tasks_queue_status_due_idx" ON "tasks" USING btree ("queue","status","due_at","id");--> statement-breakpoint
CREATE INDEX "tasks_status_due_idx" ON "tasks" USING btree ("status","due_at","id");--> statement-breakpoint
CREATE INDEX "tasks_order_idx" ON "tasks" USING btree ("order_id");