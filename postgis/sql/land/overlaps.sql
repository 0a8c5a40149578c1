-- A site's overlaps with every land layer: $1 is the site (WKB
-- MultiPolygon, CGCS2000 longitude and latitude, valid). One row per zone
-- that meets the site: layer, id, system, code, class name, name, plan,
-- area in m² on the ellipsoid (onemap_area_m2) and the overlap itself
-- (WKB; a zone that only touches the site has area 0 and is left out by
-- the caller); then one row of layer 'outside_urban' with the area of the
-- site outside every 城镇开发边界 and one of layer 'site' with the site's
-- area. A zone that covers the whole site skips the intersection.
WITH s AS (
    SELECT ST_SetSRID(ST_GeomFromWKB($1), 4490) AS g
), hit AS (
    SELECT 'landuse' AS layer, l.id, l.system, l.code, coalesce(c.name, '') AS class, coalesce(l.name, '') AS name, l.plan, l.geom
      FROM s
      JOIN landuse l ON ST_Intersects(l.geom, s.g)
      LEFT JOIN landuse_classes c ON c.system = l.system AND c.code = l.code
    UNION ALL
    SELECT cl.kind, cl.id, '', '', '', cl.name, '', cl.geom
      FROM s
      JOIN control_lines cl ON ST_Intersects(cl.geom, s.g)
    UNION ALL
    SELECT 'control_zones', z.id, '', z.code, '', '', z.plan, z.geom
      FROM s
      JOIN control_zones z ON ST_Intersects(z.geom, s.g)
)
SELECT hit.layer, hit.id, hit.system, hit.code, hit.class, hit.name, hit.plan, onemap_area_m2(i.g), ST_AsBinary(i.g)
  FROM s
 CROSS JOIN hit
 CROSS JOIN LATERAL (
     SELECT CASE WHEN ST_CoveredBy(s.g, hit.geom) THEN s.g
                 ELSE ST_CollectionExtract(ST_Intersection(hit.geom, s.g), 3) END AS g
 ) i
UNION ALL
SELECT 'outside_urban', 0, '', '', '', '', '',
       coalesce(onemap_area_m2(ST_Difference(s.g, (
           SELECT ST_Union(u.geom) FROM control_lines u
            WHERE u.kind = 'urban_boundary' AND ST_Intersects(u.geom, s.g)))), onemap_area_m2(s.g)), NULL
  FROM s
UNION ALL
SELECT 'site', 0, '', '', '', '', '', onemap_area_m2(s.g), NULL
  FROM s
