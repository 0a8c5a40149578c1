-- The travel time in seconds between every two places of tour_points:
-- over the road network (pgr_dijkstraCostMatrix between their nodes,
-- undirected) plus the straight lines from each place to its node at the
-- access speed $1 (km/h); with no network, the ellipsoidal straight line
-- at the assumed speed $2 (km/h). pgr_TSP needs every cost positive:
-- places on one node are a millisecond apart.
WITH network AS (
    SELECT * FROM pgr_dijkstraCostMatrix(
        'SELECT id, source, target, cost_s AS cost, cost_s AS reverse_cost FROM road_edges',
        (SELECT coalesce(array_agg(DISTINCT node), '{}') FROM tour_points WHERE node IS NOT NULL), false)
)
INSERT INTO tour_matrix (start_vid, end_vid, agg_cost)
SELECT a.i, b.i, greatest(0.001, CASE
           WHEN a.node IS NULL OR b.node IS NULL THEN ST_Distance(a.geom::geography, b.geom::geography) / ($2 / 3.6)
           ELSE coalesce(n.agg_cost, 0) + (a.access_m + b.access_m) / ($1 / 3.6) END)
  FROM tour_points a
  JOIN tour_points b ON b.i <> a.i
  LEFT JOIN network n ON n.start_vid = a.node AND n.end_vid = b.node
