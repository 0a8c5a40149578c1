-- Observation tours (观摩, issue 15): the routable road network that
-- pgRouting walks, built from the roads of the transport table by
-- onemap_road_network (repeatable/80_road_network.sql) whenever they
-- change; the tours with their stops in visiting order; and the judges'
-- scores of the visited projects.

CREATE EXTENSION IF NOT EXISTS pgrouting;

-- The speed of each road class on the network, km/h. The kinds are those
-- of transport that cars drive on.
CREATE TABLE road_speeds (
    kind  text PRIMARY KEY CHECK (kind IN ('expressway', 'highway', 'road')),
    kmh   double precision NOT NULL CHECK (kmh > 0 AND kmh <= 150)
);
INSERT INTO road_speeds VALUES ('expressway', 100), ('highway', 60), ('road', 40);

-- The network's nodes: the ends of the roads and the points where they
-- cross; component is the connected part of the network a node is in
-- (pgr_connectedComponents).
CREATE TABLE road_nodes (
    id         bigint PRIMARY KEY,
    component  bigint NOT NULL,
    geom       geometry(Point, 4490) NOT NULL
);
CREATE INDEX road_nodes_geom ON road_nodes USING gist (geom);

-- The network's edges: pieces of road between two nodes, driven both
-- ways; cost_s is the time to drive one at its class's speed.
CREATE TABLE road_edges (
    id        bigint PRIMARY KEY,
    source    bigint NOT NULL REFERENCES road_nodes,
    target    bigint NOT NULL REFERENCES road_nodes,
    kind      text NOT NULL,
    name      text NOT NULL,
    length_m  double precision NOT NULL,
    cost_s    double precision NOT NULL,
    geom      geometry(LineString, 4490) NOT NULL
);

CREATE TABLE tours (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name           text NOT NULL CHECK (name <> '' AND char_length(name) <= 100),
    day            date NOT NULL,
    start_time     time NOT NULL DEFAULT '08:30',
    start_name     text NOT NULL CHECK (char_length(start_name) <= 100),
    start_point    geometry(Point, 4490) NOT NULL,
    dwell_minutes  integer NOT NULL DEFAULT 20 CHECK (dwell_minutes BETWEEN 0 AND 240),
    version        integer NOT NULL DEFAULT 1,
    created_by     text NOT NULL,
    updated_at     timestamptz NOT NULL DEFAULT now()
);

-- A tour's stops in visiting order (position 1 first).
CREATE TABLE tour_stops (
    tour_id     bigint NOT NULL REFERENCES tours ON DELETE CASCADE,
    project_id  bigint NOT NULL REFERENCES projects ON DELETE CASCADE,
    position    integer NOT NULL CHECK (position > 0),
    PRIMARY KEY (tour_id, project_id),
    UNIQUE (tour_id, position) DEFERRABLE INITIALLY DEFERRED
);

-- A judge's score (0–100) of a visited project.
CREATE TABLE tour_scores (
    tour_id     bigint NOT NULL,
    project_id  bigint NOT NULL,
    judge       text NOT NULL,
    score       numeric(4, 1) NOT NULL CHECK (score BETWEEN 0 AND 100),
    scored_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tour_id, project_id, judge),
    FOREIGN KEY (tour_id, project_id) REFERENCES tour_stops ON DELETE CASCADE
);

GRANT SELECT ON road_speeds, road_nodes, road_edges TO onemap_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON tours, tour_stops, tour_scores TO onemap_app;
GRANT USAGE ON SEQUENCE tours_id_seq TO onemap_app;
