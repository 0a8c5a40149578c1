-- Moves one staged batch of streamed land-use zones into landuse (ids from
-- the sequence), making invalid geometries valid in the same pass.
-- Returns the rows inserted and the geometries repaired.
WITH src AS MATERIALIZED (
    SELECT system, code, plan, g, ST_IsValid(g) AS ok
      FROM (SELECT system, code, plan, ST_GeomFromWKB(geom, 4490) AS g FROM load_landuse) s
), ins AS (
    INSERT INTO landuse (system, code, plan, geom)
    SELECT system, code, plan,
           CASE WHEN ok THEN ST_Multi(g) ELSE ST_Multi(ST_CollectionExtract(ST_MakeValid(g), 3)) END
      FROM src
    RETURNING 1
)
SELECT (SELECT count(*) FROM ins), (SELECT count(*) FROM src WHERE NOT ok)
