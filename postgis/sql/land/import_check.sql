-- Checks a batch of the staged rows of a land import: invalid geometries
-- made valid (ST_MakeValid, keeping the polygons) with their reason and
-- area before; rows rejected when nothing of them is left, when they do
-- not meet the city (any district, in the subdivided copy of the
-- districts import_stage.sql makes; no check before districts exist), or
-- when their code is not in the classification (landuse: the system's
-- classes, the system given by its id or its name; control zones:
-- 010..040). Each row's geometry is decoded and checked once (the
-- materialised steps), not once for each use.
-- $1: the layer (land.Layer); $2, $3: the batch, rows with $2 < n <= $3.
WITH v AS MATERIALIZED (
    SELECT r.n, r.code, r.system, r.name, r.plan, g.geom, ST_IsValid(g.geom) AS valid
      FROM import_rows r
     CROSS JOIN LATERAL (SELECT ST_GeomFromWKB(r.geom, 4490) AS geom) g
     WHERE r.n > $2 AND r.n <= $3
), f AS MATERIALIZED (
    SELECT v.n, v.code, v.name, v.plan,
           coalesce((SELECT s.system FROM landuse_systems s WHERE s.system = v.system OR s.name = v.system
                      ORDER BY s.system = v.system DESC LIMIT 1), v.system) AS system,
           CASE WHEN v.valid THEN NULL ELSE ST_IsValidReason(v.geom) END AS reason,
           CASE WHEN v.valid THEN NULL ELSE ST_Area(v.geom::geography) END AS area_before,
           CASE WHEN v.valid THEN ST_Multi(v.geom)
                ELSE ST_Multi(ST_CollectionExtract(ST_MakeValid(v.geom), 3)) END AS geom
      FROM v
)
INSERT INTO import_checked (n, code, system, name, plan, reason, area_before, geom, area, problem)
SELECT f.n, f.code, f.system, f.name, f.plan, f.reason, f.area_before, f.geom, ST_Area(f.geom::geography),
       CASE WHEN ST_IsEmpty(f.geom) THEN 'repair_empty'
            WHEN EXISTS (SELECT 1 FROM districts)
                 AND NOT EXISTS (SELECT 1 FROM import_districts d WHERE ST_Intersects(d.geom, f.geom))
                THEN 'outside_city'
            WHEN $1 = 'landuse'
                 AND NOT EXISTS (SELECT 1 FROM landuse_classes c WHERE c.system = f.system AND c.code = f.code)
                THEN 'unknown_code'
            WHEN $1 = 'control_zones' AND f.code NOT IN ('010', '020', '030', '040')
                THEN 'unknown_code'
       END
  FROM f
