-- A site's overlaps with every land layer: $1 is the site (WKB
-- MultiPolygon, CGCS2000 longitude and latitude, valid). One row per zone
-- that covers more than nothing of the site (a zone that only touches it
-- is left out): layer, id, system, code, class name, name, plan, area in
-- m² on the ellipsoid (onemap_area_m2); then one row of layer
-- 'outside_urban' with the area of the site outside every 城镇开发边界
-- and one of layer 'site' with the site's area.
-- A zone that covers the whole site skips the intersection.
WITH s AS (
    SELECT ST_SetSRID(ST_GeomFromWKB($1), 4490) AS g
)
SELECT 'landuse', l.id, l.system, l.code, coalesce(c.name, ''), coalesce(l.name, ''), l.plan,
       onemap_area_m2(CASE WHEN ST_CoveredBy(s.g, l.geom) THEN s.g ELSE ST_Intersection(l.geom, s.g) END) AS area
  FROM s
  JOIN landuse l ON ST_Intersects(l.geom, s.g)
  LEFT JOIN landuse_classes c ON c.system = l.system AND c.code = l.code
UNION ALL
SELECT cl.kind, cl.id, '', '', '', cl.name, '',
       onemap_area_m2(CASE WHEN ST_CoveredBy(s.g, cl.geom) THEN s.g ELSE ST_Intersection(cl.geom, s.g) END)
  FROM s
  JOIN control_lines cl ON ST_Intersects(cl.geom, s.g)
UNION ALL
SELECT 'control_zones', z.id, '', z.code, '', '', z.plan,
       onemap_area_m2(CASE WHEN ST_CoveredBy(s.g, z.geom) THEN s.g ELSE ST_Intersection(z.geom, s.g) END)
  FROM s
  JOIN control_zones z ON ST_Intersects(z.geom, s.g)
UNION ALL
SELECT 'outside_urban', 0, '', '', '', '', '',
       coalesce(onemap_area_m2(ST_Difference(s.g, (
           SELECT ST_Union(u.geom) FROM control_lines u
            WHERE u.kind = 'urban_boundary' AND ST_Intersects(u.geom, s.g)))), onemap_area_m2(s.g))
  FROM s
UNION ALL
SELECT 'site', 0, '', '', '', '', '', onemap_area_m2(s.g)
  FROM s
