-- The routable road network of the observation tours (road_nodes,
-- road_edges; migrations/0011_tours.sql), built again from the roads of
-- the transport table whenever they change: the demo load, an import, an
-- edit.
--
-- The roads (expressways, national and provincial highways, city roads)
-- are noded where they cross or touch (ST_Node), so crossing roads connect
-- there: the demo has no grade separation, and a tour over it may leave an
-- expressway where it crosses a road rather than at an exit. Each piece
-- takes the class of the road it lies on (the nearest, the faster on a
-- tie), its ellipsoidal length and the time to drive it at its class's
-- speed (road_speeds). Nodes are the pieces' ends; their connected
-- components (pgr_connectedComponents) let a tour snap its stops to the
-- largest one, so that every stop can reach every other.
CREATE OR REPLACE FUNCTION onemap_road_network() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    DELETE FROM road_edges;
    DELETE FROM road_nodes;
    CREATE TEMP TABLE onemap_road_pieces ON COMMIT DROP AS
    WITH roads AS (
        SELECT t.kind, t.name, d.geom
          FROM transport t
          JOIN road_speeds s ON s.kind = t.kind
          CROSS JOIN LATERAL ST_Dump(ST_Multi(t.geom)) d
         WHERE GeometryType(t.geom) IN ('LINESTRING', 'MULTILINESTRING')
    ), pieces AS (
        SELECT row_number() OVER () AS id, d.geom
          FROM (SELECT ST_Node(ST_Collect(geom)) AS g FROM roads) n
          CROSS JOIN LATERAL ST_Dump(n.g) d
         WHERE ST_Length(d.geom) > 0
    )
    SELECT p.id, p.geom, r.kind, r.name, s.kmh
      FROM pieces p
      CROSS JOIN LATERAL (SELECT r.kind, r.name FROM roads r JOIN road_speeds s ON s.kind = r.kind
                           WHERE r.geom && ST_Expand(p.geom, 1e-6)
                           ORDER BY ST_Distance(ST_LineInterpolatePoint(p.geom, 0.5), r.geom), s.kmh DESC
                           LIMIT 1) r
      JOIN road_speeds s ON s.kind = r.kind;
    IF NOT EXISTS (SELECT 1 FROM onemap_road_pieces) THEN
        DROP TABLE onemap_road_pieces;
        RETURN;
    END IF;
    CREATE TEMP TABLE onemap_road_ends ON COMMIT DROP AS
    SELECT row_number() OVER (ORDER BY ST_X(e.pt), ST_Y(e.pt)) AS id, e.pt AS geom
      FROM (SELECT DISTINCT ST_StartPoint(geom) AS pt FROM onemap_road_pieces
            UNION SELECT ST_EndPoint(geom) FROM onemap_road_pieces) e;
    INSERT INTO road_nodes (id, component, geom)
    SELECT id, 0, geom FROM onemap_road_ends;
    INSERT INTO road_edges (id, source, target, kind, name, length_m, cost_s, geom)
    SELECT p.id, a.id, b.id, p.kind, p.name, ST_Length(p.geom::geography),
           ST_Length(p.geom::geography) / (p.kmh / 3.6), p.geom
      FROM onemap_road_pieces p
      JOIN onemap_road_ends a ON a.geom = ST_StartPoint(p.geom)
      JOIN onemap_road_ends b ON b.geom = ST_EndPoint(p.geom);
    UPDATE road_nodes n SET component = c.component
      FROM pgr_connectedComponents('SELECT id, source, target, cost_s AS cost, cost_s AS reverse_cost FROM road_edges') c
     WHERE c.node = n.id;
    DROP TABLE onemap_road_pieces, onemap_road_ends;
END $$;

CREATE OR REPLACE FUNCTION onemap_road_network_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM onemap_road_network();
    RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER transport_road_network AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON transport
    FOR EACH STATEMENT EXECUTE FUNCTION onemap_road_network_trigger();
-- The speeds set the edges' times.
CREATE OR REPLACE TRIGGER road_speeds_road_network AFTER INSERT OR UPDATE OR DELETE ON road_speeds
    FOR EACH STATEMENT EXECUTE FUNCTION onemap_road_network_trigger();
