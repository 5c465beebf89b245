CREATE TABLE "subscription_attempts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"subscription_id" text NOT NULL,
	"period" integer NOT NULL,
	"attempt" integer NOT NULL,
	"outcome" text NOT NULL,
	"code" text,
	"detail" text,
	"order_id" text,
	"attempted_at" timestamp with time zone NOT NULL,
	CONSTRAINT "subscription_attempts_outcome_check" CHECK ("subscription_attempts"."outcome" in ('ordered', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "subscription_periods" (
	"subscription_id" text NOT NULL,
	"period" integer NOT NULL,
	"scheduled_for" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"order_id" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "subscription_periods_subscription_id_period_pk" PRIMARY KEY("subscription_id","period"),
	CONSTRAINT "subscription_periods_status_check" CHECK ("subscription_periods"."status" in ('ordered', 'failed', 'skipped')),
	CONSTRAINT "subscription_periods_order_check" CHECK (("subscription_periods"."status" = 'ordered') = ("subscription_periods"."order_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "subscriptions" (
	"id" text PRIMARY KEY NOT NULL,
	"channel_id" text NOT NULL,
	"status" text NOT NULL,
	"customer" jsonb NOT NULL,
	"customer_email" text,
	"lines" jsonb NOT NULL,
	"shipping_address" jsonb NOT NULL,
	"currency" text NOT NULL,
	"shipping_minor" bigint NOT NULL,
	"total_minor" bigint NOT NULL,
	"schedule" jsonb NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"payment_gateway" text NOT NULL,
	"payment_method" text NOT NULL,
	"catch_up" text NOT NULL,
	"max_attempts" integer NOT NULL,
	"retry_backoff_seconds" integer NOT NULL,
	"on_failure" text NOT NULL,
	"next_period" integer DEFAULT 1 NOT NULL,
	"next_period_at" timestamp with time zone,
	"next_attempt_at" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "subscriptions_status_check" CHECK ("subscriptions"."status" in ('active', 'paused', 'cancelled', 'completed')),
	CONSTRAINT "subscriptions_catch_up_check" CHECK ("subscriptions"."catch_up" in ('all', 'latest_only')),
	CONSTRAINT "subscriptions_on_failure_check" CHECK ("subscriptions"."on_failure" in ('continue', 'pause')),
	CONSTRAINT "subscriptions_attempts_check" CHECK ("subscriptions"."attempts" >= 0 and "subscriptions"."max_attempts" >= 1 and "subscriptions"."next_period" >= 1),
	CONSTRAINT "subscriptions_money_check" CHECK ("subscriptions"."shipping_minor" >= 0 and "subscriptions"."total_minor" >= 0)
);
--> statement-breakpoint
ALTER TABLE "subscription_attempts" ADD CONSTRAINT "subscription_attempts_subscription_id_subscriptions_id_fk" FOREIGN KEY ("subscription_id") REFERENCES "public"."subscriptions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscription_periods" ADD CONSTRAINT "subscription_periods_subscription_id_subscriptions_id_fk" FOREIGN KEY ("subscription_id") REFERENCES "public"."subscriptions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "subscription_attempts_period_attempt_key" ON "subscription_attempts" USING btree ("subscription_id","period","attempt");--> statement-breakpoint
CREATE INDEX "subscriptions_due_idx" ON "subscriptions" USING btree ("next_attempt_at") WHERE "subscriptions"."status" = 'active';--> statement-breakpoint
CREATE INDEX "subscriptions_channel_idx" ON "subscriptions" USING btree ("channel_id","id");