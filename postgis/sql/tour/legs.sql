-- The legs of a tour through the places of tour_points in the order $1
-- (their i; the start first, and last again for the way back): for each,
-- the metres, the seconds and the way as GeoJSON. Over the road network:
-- the straight line from the place to its node at the access speed $2
-- (km/h), the shortest path by time between the nodes (pgr_dijkstra,
-- undirected), the straight line from the node to the next place. With no
-- network: the ellipsoidal straight line at the assumed speed $3 (km/h).
WITH seq AS (
    SELECT k, i FROM unnest($1::bigint[]) WITH ORDINALITY AS s (i, k)
), legs AS (
    SELECT s1.k, a.geom AS ag, b.geom AS bg, a.node AS an, b.node AS bn, a.node_geom AS ang, b.node_geom AS bng,
           a.access_m + b.access_m AS access_m
      FROM seq s1
      JOIN seq s2 ON s2.k = s1.k + 1
      JOIN tour_points a ON a.i = s1.i
      JOIN tour_points b ON b.i = s2.i
)
SELECT l.k,
       CASE WHEN l.an IS NULL OR l.bn IS NULL THEN ST_Distance(l.ag::geography, l.bg::geography)
            ELSE coalesce(p.m, 0) + l.access_m END AS metres,
       CASE WHEN l.an IS NULL OR l.bn IS NULL THEN ST_Distance(l.ag::geography, l.bg::geography) / ($3 / 3.6)
            ELSE coalesce(p.s, 0) + l.access_m / ($2 / 3.6) END AS seconds,
       ST_AsGeoJSON(CASE WHEN l.an IS NULL OR l.bn IS NULL THEN ST_MakeLine(l.ag, l.bg)
                         ELSE ST_LineMerge(ST_Collect(ARRAY[ST_MakeLine(l.ag, l.ang)] || coalesce(p.lines, '{}')
                                                      || ARRAY[ST_MakeLine(l.bng, l.bg)])) END, 6, 0) AS way
  FROM legs l
  LEFT JOIN LATERAL (
      SELECT sum(e.length_m) AS m, sum(e.cost_s) AS s, array_agg(e.geom ORDER BY d.seq) AS lines
        FROM pgr_dijkstra('SELECT id, source, target, cost_s AS cost, cost_s AS reverse_cost FROM road_edges',
                          l.an, l.bn, false) d
        JOIN road_edges e ON e.id = d.edge
       WHERE l.an IS NOT NULL AND l.bn IS NOT NULL AND l.an <> l.bn
  ) p ON true
 ORDER BY l.k
