-- landuse: below zoom 13 the generalised grid of that zoom (zoom 12 draws
-- the grid of 11), with the cells of one class that follow each other in a
-- row merged into one rectangle; from zoom 13 the plan's zones.
-- @xmin..@ymax: tile bound with buffer (lon/lat), @zoom: zoom.
WITH cells AS (
    SELECT g.cell_x, g.cell_y, g.system, g.code,
           g.cell_x - row_number() OVER (PARTITION BY g.cell_y, g.system, g.code ORDER BY g.cell_x) AS run
      FROM landuse_gen g
     WHERE @zoom < 13 AND g.level = least(@zoom, 11) AND g.geom && ST_MakeEnvelope(@xmin, @ymin, @xmax, @ymax, 4490)
), runs AS (
    SELECT min(cell_x) AS x0, max(cell_x) + 1 AS x1, cell_y AS y0, system, code,
           360.0 / (2 ^ least(@zoom, 11)) / 128 AS size
      FROM cells
     GROUP BY cell_y, system, code, run
)
SELECT NULL::bigint AS id, ST_AsBinary(ST_MakeEnvelope(x0 * size, y0 * size, x1 * size, (y0 + 1) * size, 4490)) AS geom,
       r.system, r.code, c.name, left(r.code, 2) AS level1, NULL::text AS plan
  FROM runs r
  JOIN landuse_classes c ON c.system = r.system AND c.code = r.code
UNION ALL
SELECT l.id, ST_AsBinary(l.geom), l.system, l.code, c.name, left(l.code, 2), l.plan
  FROM landuse l
  JOIN landuse_classes c ON c.system = l.system AND c.code = l.code
 WHERE @zoom >= 13 AND l.geom && ST_MakeEnvelope(@xmin, @ymin, @xmax, @ymax, 4490)
