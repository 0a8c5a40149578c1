-- districts: outlines, and a label point at the seat.
-- $1..$4: tile bound with buffer (lon/lat), $5: zoom.
SELECT d.id, ST_AsBinary(d.geom) AS geom, d.code, d.name, d.kind,
       round((d.area_m2 / 1e6)::numeric, 1)::float8 AS area_km2
  FROM districts d
 WHERE d.geom && ST_MakeEnvelope($1, $2, $3, $4, 4490)
UNION ALL
SELECT d.id, ST_AsBinary(coalesce(d.seat, ST_PointOnSurface(d.geom))), d.code, d.name, d.kind,
       round((d.area_m2 / 1e6)::numeric, 1)::float8
  FROM districts d
 WHERE coalesce(d.seat, ST_PointOnSurface(d.geom)) && ST_MakeEnvelope($1, $2, $3, $4, 4490)
