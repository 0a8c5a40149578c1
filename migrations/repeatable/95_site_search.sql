-- Site search (智能选址): the search rows of the parcels (parcel_sites,
-- migrations/0020_site_search.sql), their fields, distances and
-- control-line flags, kept up to date by triggers when parcels,
-- transport, the road speeds or the control lines change, so that a
-- search reads one narrow row per parcel rather than works them out.
--
-- A parcel's distance to a kind of destination (highway exit, railway
-- station, high-speed rail station, port) is in metres on the ellipsoid:
-- straight to the nearest one when no road network is loaded (road_nodes,
-- 80_road_network.sql); with one, the straight leg from the parcel to its
-- nearest road node that leads to one, plus the way along the roads from
-- there (site_reach), unless the destination is nearer than that node,
-- when it is the straight distance. Each destination of the kind is
-- measured (a city has a few of each): an index search by nearness would
-- measure the long roads and rivers near the parcel instead.

-- onemap_site_reach fills site_reach: for each kind, one search of the
-- road network (pgr_drivingDistance) from all its destinations at once,
-- each joined to its nearest node by a straight leg.
CREATE OR REPLACE FUNCTION onemap_site_reach() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
    k text;
BEGIN
    DELETE FROM site_reach;
    IF NOT EXISTS (SELECT 1 FROM road_edges) THEN
        RETURN;
    END IF;
    FOREACH k IN ARRAY ARRAY['highway_exit', 'station', 'high_speed_station', 'port'] LOOP
        CREATE TEMP TABLE onemap_site_links ON COMMIT DROP AS
        SELECT 1000000000000 + row_number() OVER () AS id, 0::bigint AS source, n.id AS target,
               ST_Distance(t.geom::geography, n.geom::geography) AS cost
          FROM transport t
          CROSS JOIN LATERAL (SELECT id, geom FROM road_nodes ORDER BY geom <-> t.geom LIMIT 1) n
         WHERE t.kind = k;
        IF EXISTS (SELECT 1 FROM onemap_site_links) THEN
            INSERT INTO site_reach (kind, node_id, metres)
            SELECT k, d.node, d.agg_cost
              FROM pgr_drivingDistance(
                       'SELECT id, source, target, length_m AS cost, length_m AS reverse_cost FROM road_edges
                        UNION ALL SELECT id, source, target, cost, cost FROM onemap_site_links', 0, 1e9) d
             WHERE d.node <> 0;
        END IF;
        DROP TABLE onemap_site_links;
    END LOOP;
END $$;

-- onemap_site_distance is the distance from g to the nearest destination
-- of kind k, as above; NULL when there is none.
CREATE OR REPLACE FUNCTION onemap_site_distance(g geometry, k text) RETURNS double precision
LANGUAGE sql STABLE SET search_path = public AS $$
    SELECT CASE WHEN a.metres IS NULL OR d.metres <= a.access THEN d.metres ELSE a.access + a.metres END
      FROM (SELECT min(ST_Distance(g::geography, t.geom::geography)) AS metres FROM transport t WHERE t.kind = k) d
      LEFT JOIN LATERAL (SELECT ST_Distance(g::geography, n.geom::geography) AS access, r.metres
                           FROM site_reach r JOIN road_nodes n ON n.id = r.node_id
                          WHERE r.kind = k
                          ORDER BY n.geom <-> g LIMIT 1) a ON true
$$;

-- onemap_site_fields copies the searched fields of the parcels ids, the
-- 七通一平 items as bits in the order of geo.Utilities.
CREATE OR REPLACE FUNCTION onemap_site_fields(ids bigint[]) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
    INSERT INTO parcel_sites (parcel_id, park_id, supply_status, landuse_code, area_mu, price, plot_ratio, utilities)
    SELECT p.id, p.park_id, p.supply_status, p.landuse_code, p.area_m2 * 0.0015, p.price,
           coalesce(p.plot_ratio_max, p.plot_ratio_min),
           (SELECT coalesce(sum(1 << (array_position(ARRAY['road', 'power', 'water', 'telecom', 'drainage', 'gas', 'heat', 'levelled'], u) - 1)), 0)
              FROM unnest(p.utilities) u)
      FROM unnest(ids) i(id)
      JOIN parcels p ON p.id = i.id
        ON CONFLICT (parcel_id) DO UPDATE
       SET park_id = EXCLUDED.park_id, supply_status = EXCLUDED.supply_status, landuse_code = EXCLUDED.landuse_code,
           area_mu = EXCLUDED.area_mu, price = EXCLUDED.price, plot_ratio = EXCLUDED.plot_ratio, utilities = EXCLUDED.utilities
$$;

-- onemap_site_distances works out the distances of the parcels ids.
CREATE OR REPLACE FUNCTION onemap_site_distances(ids bigint[]) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
    INSERT INTO parcel_sites (parcel_id, highway_exit_m, rail_station_m, hsr_station_m, port_m)
    SELECT p.id, onemap_site_distance(p.geom, 'highway_exit'), onemap_site_distance(p.geom, 'station'),
           onemap_site_distance(p.geom, 'high_speed_station'), onemap_site_distance(p.geom, 'port')
      FROM unnest(ids) i(id)
      JOIN parcels p ON p.id = i.id
        ON CONFLICT (parcel_id) DO UPDATE
       SET highway_exit_m = EXCLUDED.highway_exit_m, rail_station_m = EXCLUDED.rail_station_m,
           hsr_station_m = EXCLUDED.hsr_station_m, port_m = EXCLUDED.port_m
$$;

-- onemap_site_controls works out whether the parcels ids touch 永久基本农田
-- or 生态保护红线.
CREATE OR REPLACE FUNCTION onemap_site_controls(ids bigint[]) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
    INSERT INTO parcel_sites (parcel_id, basic_farmland, eco_redline)
    SELECT p.id,
           EXISTS (SELECT 1 FROM control_lines c WHERE c.kind = 'basic_farmland' AND ST_Intersects(c.geom, p.geom)),
           EXISTS (SELECT 1 FROM control_lines c WHERE c.kind = 'eco_redline' AND ST_Intersects(c.geom, p.geom))
      FROM unnest(ids) i(id)
      JOIN parcels p ON p.id = i.id
        ON CONFLICT (parcel_id) DO UPDATE
       SET basic_farmland = EXCLUDED.basic_farmland, eco_redline = EXCLUDED.eco_redline
$$;

-- New parcels and changed ones: their fields, and the distances and flags
-- of those new or with a new outline.
CREATE OR REPLACE FUNCTION onemap_parcel_sites_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    ids bigint[];
BEGIN
    PERFORM onemap_site_fields(ARRAY(SELECT id FROM onemap_new));
    IF TG_OP = 'INSERT' THEN
        ids := ARRAY(SELECT id FROM onemap_new);
    ELSE
        ids := ARRAY(SELECT n.id FROM onemap_new n LEFT JOIN onemap_old o ON o.id = n.id
                      WHERE o.id IS NULL OR NOT ST_OrderingEquals(o.geom, n.geom));
    END IF;
    IF cardinality(ids) > 0 THEN
        PERFORM onemap_site_distances(ids);
        PERFORM onemap_site_controls(ids);
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER parcels_sites_ins AFTER INSERT ON parcels REFERENCING NEW TABLE AS onemap_new
    FOR EACH STATEMENT EXECUTE FUNCTION onemap_parcel_sites_trigger();
CREATE OR REPLACE TRIGGER parcels_sites_upd AFTER UPDATE ON parcels REFERENCING OLD TABLE AS onemap_old NEW TABLE AS onemap_new
    FOR EACH STATEMENT EXECUTE FUNCTION onemap_parcel_sites_trigger();

-- Transport or road speeds changed: the road network was built again
-- (their *_road_network triggers, which fire first by name), so the reach
-- and every distance are worked out again.
CREATE OR REPLACE FUNCTION onemap_site_transport_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM onemap_site_reach();
    PERFORM onemap_site_distances(ARRAY(SELECT id FROM parcels));
    RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER transport_sites AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON transport
    FOR EACH STATEMENT EXECUTE FUNCTION onemap_site_transport_trigger();
CREATE OR REPLACE TRIGGER road_speeds_sites AFTER INSERT OR UPDATE OR DELETE ON road_speeds
    FOR EACH STATEMENT EXECUTE FUNCTION onemap_site_transport_trigger();

CREATE OR REPLACE FUNCTION onemap_site_controls_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM onemap_site_controls(ARRAY(SELECT id FROM parcels));
    RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER control_lines_sites AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON control_lines
    FOR EACH STATEMENT EXECUTE FUNCTION onemap_site_controls_trigger();

-- Every parcel's search row worked out again (the definitions above may
-- have changed), and those of parcels that had none made.
SELECT onemap_site_reach();
SELECT onemap_site_fields(ARRAY(SELECT id FROM parcels));
SELECT onemap_site_distances(ARRAY(SELECT id FROM parcels));
SELECT onemap_site_controls(ARRAY(SELECT id FROM parcels));
