-- A project's place: $1 is its geometry (WKB, CGCS2000 longitude and
-- latitude). Answers why it is invalid ('' if valid), the repaired shape
-- of an invalid site, whether it lies inside the city (the counties, or
-- every district where no county is loaded; a site may stick out by 1% of
-- its area), and the districts its representative point lies in. The
-- counties tile the city, so the part of a site inside the city is the
-- sum of its parts inside the counties it meets, found by the spatial
-- index: no union of the counties is made.
WITH g AS (
    SELECT ST_SetSRID(ST_GeomFromWKB($1), 4490) AS g
), v AS (
    SELECT g,
           ST_IsValid(g) AS valid,
           CASE WHEN ST_IsValid(g) THEN g ELSE ST_Multi(ST_CollectionExtract(ST_MakeValid(g), 3)) END AS v
      FROM g
), c AS (
    SELECT EXISTS (SELECT 1 FROM districts WHERE kind = 'county') AS counties
), inside AS (
    SELECT CASE WHEN ST_IsEmpty(v.v) THEN false
                WHEN c.counties AND ST_Dimension(v.v) = 0 THEN
                     EXISTS (SELECT 1 FROM districts d WHERE d.kind = 'county' AND ST_Intersects(d.geom, v.v))
                WHEN c.counties THEN
                     coalesce((SELECT sum(ST_Area(ST_Intersection(d.geom, v.v))) FROM districts d
                                WHERE d.kind = 'county' AND ST_Intersects(d.geom, v.v)), 0) >= 0.99 * ST_Area(v.v)
                ELSE (SELECT CASE WHEN ST_Dimension(v.v) = 0 THEN ST_Intersects(u, v.v)
                                  ELSE ST_Area(ST_Difference(v.v, u)) <= 0.01 * ST_Area(v.v) END
                        FROM (SELECT ST_Union(geom) AS u FROM districts) x
                       WHERE u IS NOT NULL)
           END AS in_city
      FROM v, c
)
SELECT CASE WHEN valid THEN '' ELSE ST_IsValidReason(g) END,
       CASE WHEN valid THEN NULL ELSE ST_AsBinary(v) END,
       coalesce(inside.in_city, false),
       coalesce((SELECT array_agg(d.id ORDER BY d.id) FROM districts d
                  WHERE NOT ST_IsEmpty(v) AND ST_Intersects(d.geom, ST_PointOnSurface(v))), '{}'),
       coalesce((SELECT array_agg(d.name ORDER BY d.id) FROM districts d
                  WHERE NOT ST_IsEmpty(v) AND ST_Intersects(d.geom, ST_PointOnSurface(v))), '{}')
  FROM v, inside
