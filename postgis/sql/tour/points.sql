-- The places of a tour (the start first, then the stops), each snapped to
-- the nearest node of the largest connected part of the road network
-- (none when no network is loaded), with the straight-line distance to
-- that node in metres: into tour_points, which points_table.sql makes.
-- $1 longitudes, $2 latitudes (EPSG:4490).
WITH main AS (
    SELECT component FROM road_nodes GROUP BY component ORDER BY count(*) DESC, component LIMIT 1
)
INSERT INTO tour_points (i, geom, node, node_geom, access_m)
SELECT q.i, p.geom, n.id, n.geom, coalesce(ST_Distance(p.geom::geography, n.geom::geography), 0)
  FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS q (lon, lat, i)
 CROSS JOIN LATERAL (SELECT ST_SetSRID(ST_MakePoint(q.lon, q.lat), 4490) AS geom) p
  LEFT JOIN LATERAL (SELECT r.id, r.geom FROM road_nodes r JOIN main ON main.component = r.component
                      ORDER BY r.geom <-> p.geom LIMIT 1) n ON true
