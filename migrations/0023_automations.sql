CREATE TABLE "automation_executions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"rule_id" text NOT NULL,
	"version" integer NOT NULL,
	"trigger_key" text NOT NULL,
	"event_id" bigint,
	"order_id" text,
	"status" text NOT NULL,
	"actions" jsonb NOT NULL,
	"results" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"depth" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "automation_executions_status_check" CHECK ("automation_executions"."status" in ('pending', 'succeeded', 'failed')),
	CONSTRAINT "automation_executions_depth_check" CHECK ("automation_executions"."depth" >= 0)
);
--> statement-breakpoint
CREATE TABLE "automation_rule_versions" (
	"rule_id" text NOT NULL,
	"version" integer NOT NULL,
	"status" text NOT NULL,
	"trigger" jsonb NOT NULL,
	"condition" text NOT NULL,
	"actions" jsonb NOT NULL,
	"notes" text,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"activated_by" text,
	"activated_at" timestamp with time zone,
	CONSTRAINT "automation_rule_versions_rule_id_version_pk" PRIMARY KEY("rule_id","version"),
	CONSTRAINT "automation_rule_versions_status_check" CHECK ("automation_rule_versions"."status" in ('draft', 'active', 'retired'))
);
--> statement-breakpoint
CREATE TABLE "automation_rules" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "order_tags" (
	"order_id" text NOT NULL,
	"tag" text NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "order_tags_order_id_tag_pk" PRIMARY KEY("order_id","tag"),
	CONSTRAINT "order_tags_tag_check" CHECK (length("order_tags"."tag") between 1 and 64)
);
--> statement-breakpoint
ALTER TABLE "automation_executions" ADD CONSTRAINT "automation_executions_rule_id_automation_rules_id_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."automation_rules"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "automation_executions" ADD CONSTRAINT "automation_executions_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "automation_executions" ADD CONSTRAINT "automation_executions_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "automation_rule_versions" ADD CONSTRAINT "automation_rule_versions_rule_id_automation_rules_id_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."automation_rules"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_tags" ADD CONSTRAINT "order_tags_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "automation_executions_trigger_key" ON "automation_executions" USING btree ("rule_id","trigger_key");--> statement-breakpoint
CREATE INDEX "automation_executions_due_idx" ON "automation_executions" USING btree ("next_attempt_at") WHERE "automation_executions"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "automation_executions_order_idx" ON "automation_executions" USING btree ("order_id");--> statement-breakpoint
CREATE UNIQUE INDEX "automation_rule_versions_one_active" ON "automation_rule_versions" USING btree ("rule_id") WHERE "automation_rule_versions"."status" = 'active';