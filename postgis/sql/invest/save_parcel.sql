-- Writes a parcel: $1 the id (NULL: a new parcel), $2 the version the
-- change was made on, $3 the outline (WKB), $4.. the fields. Answers the
-- id; no row when the parcel changed since $2 or row security kept it.
WITH f AS (
    SELECT ST_Multi(ST_SetSRID(ST_GeomFromWKB($3), 4490)) AS g
), ins AS (
    INSERT INTO parcels (code, name, district_id, park_id, supply_status, landuse_system, landuse_code, price,
                         plot_ratio_min, plot_ratio_max, building_density, green_ratio, investment_intensity,
                         tax_per_mu, utilities, geom)
    SELECT $4, $5, $6, $7, $8, $9, $10, $11::numeric, $12::numeric, $13::numeric, $14::numeric, $15::numeric,
           $16::numeric, $17::numeric, $18, f.g
      FROM f
     WHERE $1::bigint IS NULL
    RETURNING id
), upd AS (
    UPDATE parcels p SET
           code = $4, name = $5, district_id = $6, park_id = $7, supply_status = $8, landuse_system = $9,
           landuse_code = $10, price = $11::numeric, plot_ratio_min = $12::numeric, plot_ratio_max = $13::numeric,
           building_density = $14::numeric, green_ratio = $15::numeric, investment_intensity = $16::numeric,
           tax_per_mu = $17::numeric, utilities = $18, geom = f.g, version = p.version + 1, updated_at = now()
      FROM f
     WHERE p.id = $1 AND p.version = $2
    RETURNING p.id
)
SELECT id FROM ins UNION ALL SELECT id FROM upd
