-- The places of the tour being routed, for this transaction: i counts
-- from 1 (the start), node is the road-network node a place is snapped to
-- (NULL: no network), access_m the straight line to it. tour_matrix holds
-- the travel time in seconds between every two places, as pgr_TSP takes
-- it.
CREATE TEMP TABLE tour_points (
    i          bigint PRIMARY KEY,
    geom       geometry(Point, 4490) NOT NULL,
    node       bigint,
    node_geom  geometry(Point, 4490),
    access_m   double precision NOT NULL
) ON COMMIT DROP;
CREATE TEMP TABLE tour_matrix (
    start_vid  bigint NOT NULL,
    end_vid    bigint NOT NULL,
    agg_cost   double precision NOT NULL
) ON COMMIT DROP;
