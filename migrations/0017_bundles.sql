CREATE TABLE "product_components" (
	"bundle_sku" text NOT NULL,
	"component_sku" text NOT NULL,
	"quantity" integer NOT NULL,
	"price_weight" integer DEFAULT 1 NOT NULL,
	"position" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "product_components_bundle_sku_component_sku_pk" PRIMARY KEY("bundle_sku","component_sku"),
	CONSTRAINT "product_components_quantity_check" CHECK ("product_components"."quantity" > 0),
	CONSTRAINT "product_components_price_weight_check" CHECK ("product_components"."price_weight" >= 0),
	CONSTRAINT "product_components_not_itself" CHECK ("product_components"."bundle_sku" <> "product_components"."component_sku")
);
--> statement-breakpoint
ALTER TABLE "product_components" ADD CONSTRAINT "product_components_bundle_sku_products_sku_fk" FOREIGN KEY ("bundle_sku") REFERENCES "public"."products"("sku") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_components" ADD CONSTRAINT "product_components_component_sku_products_sku_fk" FOREIGN KEY ("component_sku") REFERENCES "public"."products"("sku") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "product_components_component_idx" ON "product_components" USING btree ("component_sku");--> statement-breakpoint
-- A bundle has no stock of its own: its availability and movements are its components'.
CREATE FUNCTION "stock_levels_not_a_bundle"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM "product_components" WHERE "bundle_sku" = NEW."sku") THEN
    RAISE EXCEPTION 'SKU % is a bundle; it has no stock levels of its own', NEW."sku" USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;--> statement-breakpoint
CREATE TRIGGER "stock_levels_not_a_bundle" BEFORE INSERT ON "stock_levels"
  FOR EACH ROW EXECUTE FUNCTION "stock_levels_not_a_bundle"();
