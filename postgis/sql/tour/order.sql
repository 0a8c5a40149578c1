-- The visiting order of the places of tour_matrix: a closed tour from
-- and back to the start (place 1) by pgr_TSP, the start given once.
SELECT node FROM pgr_TSP('SELECT start_vid, end_vid, agg_cost FROM tour_matrix', 1)
 WHERE seq > 1 AND node <> 1
 ORDER BY seq
