-- landuse: below zoom 13 the generalised grid of that zoom (zoom 12 draws
-- the grid of 11) as stored row runs, each one rectangle: a run lies in one
-- block of 32 cells, so the runs meeting the tile are, row by row, those
-- starting at most 31 cells left of it; one multipolygon per class, whose
-- rectangles the adapter dissolves into their outlines (the layer's
-- GridBelow). From zoom 13 the plan's zones.
-- @xmin..@ymax: tile bound with buffer (lon/lat), @zoom: zoom.
WITH grid AS (
    SELECT least(@zoom, 11)::smallint AS level, 360.0 / (2 ^ least(@zoom, 11)) / 128 AS size
), span AS (
    SELECT level, size,
           floor(@xmin / size)::int AS cx0, floor(@xmax / size)::int AS cx1,
           floor(@ymin / size)::int AS cy0, floor(@ymax / size)::int AS cy1
      FROM grid
)
SELECT NULL::bigint AS id,
       ST_AsBinary(ST_Collect(ST_MakeEnvelope(r.x0 * s.size, r.cell_y * s.size, (r.x1 + 1) * s.size, (r.cell_y + 1) * s.size, 4490))) AS geom,
       r.system, r.code, c.name, left(r.code, 2) AS level1, NULL::text AS plan
  FROM span s
 CROSS JOIN LATERAL generate_series(s.cy0, s.cy1) AS y(cell_y)
  JOIN landuse_gen_runs r ON r.level = s.level AND r.cell_y = y.cell_y AND r.x0 BETWEEN s.cx0 - 31 AND s.cx1
  JOIN landuse_classes c ON c.system = r.system AND c.code = r.code
 WHERE @zoom < 13 AND r.x1 >= s.cx0
 GROUP BY r.system, r.code, c.name
UNION ALL
SELECT l.id, ST_AsBinary(l.geom), l.system, l.code, c.name, left(l.code, 2), l.plan
  FROM landuse l
  JOIN landuse_classes c ON c.system = l.system AND c.code = l.code
 WHERE @zoom >= 13 AND l.geom && ST_MakeEnvelope(@xmin, @ymin, @xmax, @ymax, 4490)
