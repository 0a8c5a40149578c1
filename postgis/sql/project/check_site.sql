-- A project's place: $1 is its geometry (WKB, CGCS2000 longitude and
-- latitude). Answers why it is invalid ('' if valid), the repaired shape
-- of an invalid site, whether it lies inside the city (the counties, or
-- every district where no county is loaded; a site may stick out by 1% of
-- its area), and the districts its representative point lies in.
WITH g AS (
    SELECT ST_SetSRID(ST_GeomFromWKB($1), 4490) AS g
), v AS (
    SELECT g,
           ST_IsValid(g) AS valid,
           CASE WHEN ST_IsValid(g) THEN g ELSE ST_Multi(ST_CollectionExtract(ST_MakeValid(g), 3)) END AS v
      FROM g
), city AS (
    SELECT ST_Union(geom) AS u
      FROM districts
     WHERE kind = 'county' OR NOT EXISTS (SELECT 1 FROM districts WHERE kind = 'county')
)
SELECT CASE WHEN valid THEN '' ELSE ST_IsValidReason(g) END,
       CASE WHEN valid THEN NULL ELSE ST_AsBinary(v) END,
       CASE WHEN ST_IsEmpty(v) OR city.u IS NULL THEN false
            WHEN ST_Dimension(v) = 0 THEN ST_Intersects(city.u, v)
            ELSE ST_Area(ST_Difference(v, city.u)) <= 0.01 * ST_Area(v) END,
       coalesce((SELECT array_agg(d.id ORDER BY d.id) FROM districts d
                  WHERE NOT ST_IsEmpty(v) AND ST_Intersects(d.geom, ST_PointOnSurface(v))), '{}'),
       coalesce((SELECT array_agg(d.name ORDER BY d.id) FROM districts d
                  WHERE NOT ST_IsEmpty(v) AND ST_Intersects(d.geom, ST_PointOnSurface(v))), '{}')
  FROM v, city
