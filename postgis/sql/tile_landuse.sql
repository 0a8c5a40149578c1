-- landuse: below zoom 13 the generalised grid of that zoom (zoom 12 draws
-- the grid of 11), from zoom 13 the plan's zones.
-- @xmin..@ymax: tile bound with buffer (lon/lat), @zoom: zoom.
SELECT NULL::bigint AS id, ST_AsBinary(g.geom) AS geom, g.system, g.code, c.name,
       left(g.code, 2) AS level1, NULL::text AS plan
  FROM landuse_gen g
  JOIN landuse_classes c ON c.system = g.system AND c.code = g.code
 WHERE @zoom < 13 AND g.level = least(@zoom, 11) AND g.geom && ST_MakeEnvelope(@xmin, @ymin, @xmax, @ymax, 4490)
UNION ALL
SELECT l.id, ST_AsBinary(l.geom), l.system, l.code, c.name, left(l.code, 2), l.plan
  FROM landuse l
  JOIN landuse_classes c ON c.system = l.system AND c.code = l.code
 WHERE @zoom >= 13 AND l.geom && ST_MakeEnvelope(@xmin, @ymin, @xmax, @ymax, 4490)
