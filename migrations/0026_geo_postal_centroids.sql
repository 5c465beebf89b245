CREATE TABLE "postal_centroids" (
	"country" text NOT NULL,
	"postal_key" text NOT NULL,
	"postal_code" text NOT NULL,
	"place_name" text NOT NULL,
	"region" text,
	"latitude" double precision NOT NULL,
	"longitude" double precision NOT NULL,
	CONSTRAINT "postal_centroids_pkey" PRIMARY KEY("country","postal_key"),
	CONSTRAINT "postal_centroids_country_check" CHECK ("postal_centroids"."country" ~ '^[A-Z]{2}$'),
	CONSTRAINT "postal_centroids_postal_key_check" CHECK ("postal_centroids"."postal_key" ~ '^[^[:space:]-]{1,20}$' and "postal_centroids"."postal_key" = upper("postal_centroids"."postal_key")),
	CONSTRAINT "postal_centroids_latitude_check" CHECK ("postal_centroids"."latitude" between -90 and 90),
	CONSTRAINT "postal_centroids_longitude_check" CHECK ("postal_centroids"."longitude" between -180 and 180)
);
