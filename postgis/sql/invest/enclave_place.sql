-- What an enclave's zone ($1, WKB in EPSG:4490) is: why it is not a
-- valid geometry ('' if it is), its area and the part of it outside the
-- host district ($2) in m² on the ellipsoid, and the other enclaves (not
-- $3) whose zones share more than a border with it. The area outside is
-- measured only for a valid zone.
WITH z AS (SELECT ST_SetSRID(ST_GeomFromWKB($1), 4490) AS g)
SELECT CASE WHEN ST_IsValid(z.g) THEN '' ELSE ST_IsValidReason(z.g) END,
       CASE WHEN ST_IsValid(z.g) THEN onemap_area_m2(ST_Multi(z.g)) ELSE 0 END,
       CASE WHEN ST_IsValid(z.g)
            THEN coalesce((SELECT onemap_area_m2(ST_Difference(z.g, d.geom)) FROM districts d WHERE d.id = $2), 0)
            ELSE 0 END,
       CASE WHEN ST_IsValid(z.g)
            THEN ARRAY(SELECT e.name FROM enclaves e
                        WHERE e.id <> $3 AND ST_Intersects(e.geom, z.g) AND ST_Relate(e.geom, z.g, '2********')
                        ORDER BY e.id)
            ELSE '{}' END
  FROM z;
