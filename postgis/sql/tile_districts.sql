-- districts: outlines, and a label point at the seat.
-- @xmin..@ymax: tile bound with buffer (lon/lat), @zoom: zoom.
SELECT d.id, ST_AsBinary(d.geom) AS geom, d.code, d.name, d.kind,
       round((d.area_m2 / 1e6)::numeric, 1)::float8 AS area_km2
  FROM districts d
 WHERE d.geom && ST_MakeEnvelope(@xmin, @ymin, @xmax, @ymax, 4490)
UNION ALL
SELECT d.id, ST_AsBinary(coalesce(d.seat, ST_PointOnSurface(d.geom))), d.code, d.name, d.kind,
       round((d.area_m2 / 1e6)::numeric, 1)::float8
  FROM districts d
 WHERE coalesce(d.seat, ST_PointOnSurface(d.geom)) && ST_MakeEnvelope(@xmin, @ymin, @xmax, @ymax, 4490)
