-- Moves one staged batch of streamed parcels into parcels (ids from the
-- sequence), making invalid geometries valid in the same pass. Returns
-- the rows inserted and the geometries repaired.
WITH src AS MATERIALIZED (
    SELECT code, name, district_id, park_id, supply_status, landuse_system, landuse_code, price,
           plot_ratio_min, plot_ratio_max, building_density, green_ratio, investment_intensity,
           tax_per_mu, utilities, g, ST_IsValid(g) AS ok
      FROM (SELECT *, ST_GeomFromWKB(geom, 4490) AS g FROM load_parcels) s
), ins AS (
    INSERT INTO parcels (code, name, district_id, park_id, supply_status, landuse_system, landuse_code, price,
                         plot_ratio_min, plot_ratio_max, building_density, green_ratio, investment_intensity,
                         tax_per_mu, utilities, geom)
    SELECT code, name, district_id, park_id, supply_status, landuse_system, landuse_code, price,
           plot_ratio_min, plot_ratio_max, building_density, green_ratio, investment_intensity,
           tax_per_mu, utilities,
           CASE WHEN ok THEN ST_Multi(g) ELSE ST_Multi(ST_CollectionExtract(ST_MakeValid(g), 3)) END
      FROM src
    RETURNING 1
)
SELECT (SELECT count(*) FROM ins), (SELECT count(*) FROM src WHERE NOT ok)
