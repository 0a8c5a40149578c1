-- What guards and follows the writes to each table, one line per table.

-- onemap_protect gives table tbl its row-level security, its audit trigger
-- and its tile notifications, and takes away what the line no longer asks
-- for. Row-level security comes from one of
--   writers  => the roles that change any row; every request reads every
--               row (the API decides who reads what; a read policy of true
--               keeps the spatial indexes usable, which a policy function
--               would not);
--   district => the column of the row's district: read where
--               onemap_reads_district, changed where onemap_writes_district;
--   project  => the column of the row's project (projects.id): read and
--               changed as that project is;
-- and none of them means no row-level security (the server's own account
-- code guards the table). audit => true writes an audit_log row per changed
-- row. layers lists (comma separated) the tile layers a change invalidates;
-- geoms names the geometry columns whose extent, before and after, bounds
-- the invalidation (none: the layers everywhere, for a table whose values
-- the layers show).
--
-- It replaces every policy of the table and its triggers named tbl_audit,
-- tbl_tiles, tbl_tiles_ins, tbl_tiles_upd and tbl_tiles_del, and leaves the
-- table's other triggers alone. Calling it again with the same arguments
-- leaves the table as it was.
CREATE OR REPLACE FUNCTION onemap_protect(tbl text, writers text[] DEFAULT NULL, district text DEFAULT NULL,
                                          project text DEFAULT NULL, audit boolean DEFAULT true,
                                          layers text DEFAULT NULL, geoms text[] DEFAULT '{}')
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    rel    regclass := quote_ident(tbl)::regclass;
    reads  text;
    writes text;
    args   text;
    col    text;
    pol    name;
    trg    text;
    wanted text[];
BEGIN
    IF num_nonnulls(writers, district, project) > 1 THEN
        RAISE EXCEPTION 'onemap_protect(%): give one of writers, district and project', tbl;
    END IF;
    IF cardinality(geoms) > 0 AND layers IS NULL THEN
        RAISE EXCEPTION 'onemap_protect(%): geoms without layers', tbl;
    END IF;
    FOREACH col IN ARRAY array_remove(geoms || ARRAY[district, project], NULL) LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = rel AND attname = col AND attnum > 0 AND NOT attisdropped) THEN
            RAISE EXCEPTION 'onemap_protect(%): no column %', tbl, col;
        END IF;
    END LOOP;

    FOR pol IN SELECT polname FROM pg_policy WHERE polrelid = rel LOOP
        EXECUTE format('DROP POLICY IF EXISTS %I ON %I', pol, tbl);
    END LOOP;
    IF writers IS NOT NULL THEN
        reads := 'true';
        writes := format('onemap_holds(%L)', writers);
    -- (SELECT onemap_reads_all()) is worked out once per query, not for
    -- each row: who reads every district reads every row without a
    -- lookup.
    ELSIF district IS NOT NULL THEN
        reads := format('(SELECT onemap_reads_all()) OR onemap_reads_district(%I)', district);
        writes := format('onemap_writes_district(%I)', district);
    ELSIF project IS NOT NULL THEN
        reads := format('(SELECT onemap_reads_all()) OR EXISTS (SELECT 1 FROM projects p WHERE p.id = %I.%I)', tbl, project);
        writes := format('EXISTS (SELECT 1 FROM projects p WHERE p.id = %I.%I AND onemap_writes_district(p.district_id))',
                         tbl, project);
    END IF;
    IF reads IS NULL THEN
        EXECUTE format('ALTER TABLE %I DISABLE ROW LEVEL SECURITY', tbl);
    ELSE
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', tbl);
        EXECUTE format('CREATE POLICY %I ON %I FOR SELECT USING (%s)', tbl || '_read', tbl, reads);
        EXECUTE format('CREATE POLICY %I ON %I FOR INSERT WITH CHECK (%s)', tbl || '_insert', tbl, writes);
        EXECUTE format('CREATE POLICY %I ON %I FOR UPDATE USING (%s) WITH CHECK (%s)', tbl || '_update', tbl, writes, writes);
        EXECUTE format('CREATE POLICY %I ON %I FOR DELETE USING (%s)', tbl || '_delete', tbl, writes);
    END IF;

    IF audit THEN
        EXECUTE format('CREATE OR REPLACE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I '
                       'FOR EACH ROW EXECUTE FUNCTION onemap_audit()', tbl || '_audit', tbl);
    ELSE
        EXECUTE format('DROP TRIGGER IF EXISTS %I ON %I', tbl || '_audit', tbl);
    END IF;

    args := array_to_string(quote_literal(layers)
                            || ARRAY(SELECT quote_literal(c) FROM unnest(geoms) WITH ORDINALITY g(c, i) ORDER BY i), ', ');
    wanted := CASE WHEN layers IS NULL THEN '{}'
                   WHEN cardinality(geoms) = 0 THEN ARRAY['_tiles']
                   ELSE ARRAY['_tiles_ins', '_tiles_upd', '_tiles_del'] END;
    FOREACH trg IN ARRAY ARRAY['_tiles', '_tiles_ins', '_tiles_upd', '_tiles_del'] LOOP
        IF NOT trg = ANY (wanted) THEN
            EXECUTE format('DROP TRIGGER IF EXISTS %I ON %I', tbl || trg, tbl);
        END IF;
    END LOOP;
    IF '_tiles' = ANY (wanted) THEN
        EXECUTE format('CREATE OR REPLACE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I '
                       'FOR EACH STATEMENT EXECUTE FUNCTION onemap_notify_tiles(%s)', tbl || '_tiles', tbl, args);
    END IF;
    IF '_tiles_ins' = ANY (wanted) THEN
        EXECUTE format('CREATE OR REPLACE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS onemap_new '
                       'FOR EACH STATEMENT EXECUTE FUNCTION onemap_notify_tiles(%s)', tbl || '_tiles_ins', tbl, args);
        EXECUTE format('CREATE OR REPLACE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS onemap_old NEW TABLE AS onemap_new '
                       'FOR EACH STATEMENT EXECUTE FUNCTION onemap_notify_tiles(%s)', tbl || '_tiles_upd', tbl, args);
        EXECUTE format('CREATE OR REPLACE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS onemap_old '
                       'FOR EACH STATEMENT EXECUTE FUNCTION onemap_notify_tiles(%s)', tbl || '_tiles_del', tbl, args);
    END IF;
END $$;

-- Projects, by district; their monthly reports (the tiles show the year's
-- investment) and blockers, as their project.
SELECT onemap_protect('projects', district => 'district_id', layers => 'projects', geoms => ARRAY['point', 'site']);
SELECT onemap_protect('project_progress', project => 'project_id', layers => 'projects');
SELECT onemap_protect('project_blockers', project => 'project_id', layers => 'projects');
-- The warning levels the project tiles colour by: the service's own
-- assessment, redone on every write, unaudited like the tiles they feed.
SELECT onemap_protect('project_warnings', project => 'project_id', audit => false, layers => 'projects');
-- The warning thresholds: set by an admin.
SELECT onemap_protect('warning_thresholds', writers => ARRAY['admin'], layers => 'projects');
SELECT onemap_protect('project_stages', project => 'project_id');
-- The keys of retried creates: kept by the server's own code, like sessions.
SELECT onemap_protect('project_idempotency', audit => false);
SELECT onemap_protect('project_approval_steps', project => 'project_id');
-- The policy's rhythms: the pool reviews' decisions, projects assigned to
-- a groundbreaking wave and heating-season statuses, as their project;
-- the waves' and heating seasons' dates, set by an admin.
SELECT onemap_protect('pool_decisions', project => 'project_id');
SELECT onemap_protect('project_waves', project => 'project_id');
SELECT onemap_protect('project_heating', project => 'project_id');
SELECT onemap_protect('waves', writers => ARRAY['admin']);
SELECT onemap_protect('heating_seasons', writers => ARRAY['admin']);
-- Cameras and their snapshots, as their project. A snapshot's audit row
-- leaves out the image (onemap_audit), keeping its size and time.
SELECT onemap_protect('project_cameras', project => 'project_id');
SELECT onemap_protect('camera_snapshots', project => 'project_id');
-- The district assessment: set by an admin, read by whom the API lets.
SELECT onemap_protect('assessment_weights', writers => ARRAY['admin']);
SELECT onemap_protect('assessment_overrides', writers => ARRAY['admin']);
-- The road network the tours route over: the speeds of the road classes
-- (read by the server, changed only by the database's owner, audited);
-- the nodes and edges built from the roads by onemap_road_network
-- (80_road_network.sql), unaudited like the tiles.
SELECT onemap_protect('road_speeds');
SELECT onemap_protect('road_nodes', audit => false);
SELECT onemap_protect('road_edges', audit => false);
-- Observation tours, their stops and the judges' scores: run by the admins
-- and leaders.
SELECT onemap_protect('tours', writers => ARRAY['admin', 'leader']);
SELECT onemap_protect('tour_stops', writers => ARRAY['admin', 'leader']);
SELECT onemap_protect('tour_scores', writers => ARRAY['admin', 'leader']);
-- The photos of the monthly reports, as their project; their bytes
-- unaudited (the audit log has their metadata).
SELECT onemap_protect('project_photos', project => 'project_id');
SELECT onemap_protect('project_photo_files', project => 'project_id', audit => false);

-- The working-day calendar of the joint approval: every request reads it,
-- admins change it.
SELECT onemap_protect('calendar_years', writers => ARRAY['admin']);
SELECT onemap_protect('calendar_days', writers => ARRAY['admin']);

-- The base map.
SELECT onemap_protect('districts', writers => ARRAY['admin'], layers => 'districts,projects,parcels', geoms => ARRAY['geom']);
SELECT onemap_protect('transport', writers => ARRAY['admin'], layers => 'transport', geoms => ARRAY['geom']);
SELECT onemap_protect('basemap_provinces', writers => ARRAY['admin'], layers => 'provinces', geoms => ARRAY['geom', 'label']);
SELECT onemap_protect('basemap_prefectures', writers => ARRAY['admin'], layers => 'prefectures', geoms => ARRAY['geom', 'label']);

-- Land: land use, control lines, quotas. The generalised land use follows
-- land use by its own triggers (40_landuse_gen.sql), unaudited.
SELECT onemap_protect('landuse_systems', writers => ARRAY['admin', 'land']);
SELECT onemap_protect('landuse_classes', writers => ARRAY['admin', 'land'], layers => 'landuse,parcels');
SELECT onemap_protect('landuse', writers => ARRAY['admin', 'land'], layers => 'landuse', geoms => ARRAY['geom']);
SELECT onemap_protect('landuse_gen', writers => ARRAY['admin', 'land'], audit => false);
SELECT onemap_protect('landuse_gen_runs', writers => ARRAY['admin', 'land'], audit => false);
SELECT onemap_protect('control_lines', writers => ARRAY['admin', 'land'], layers => 'controls', geoms => ARRAY['geom']);
SELECT onemap_protect('control_zones', writers => ARRAY['admin', 'land'], layers => 'controls', geoms => ARRAY['geom']);
SELECT onemap_protect('quotas', writers => ARRAY['admin', 'land']);
-- The history of the quotas: written with each change, never changed.
SELECT onemap_protect('quota_changes', writers => ARRAY['admin', 'land']);
-- Import jobs: kept by the server's own code; the layers they replace
-- are audited with one row per import.
SELECT onemap_protect('land_imports', audit => false);
-- The compliance check's severity table and tolerance: set by an admin.
SELECT onemap_protect('compliance_settings', writers => ARRAY['admin']);
-- The verdicts: kept by triggers and the server's re-checks, read through
-- the projects a reader may see; the project tiles show them.
SELECT onemap_protect('project_verdicts', audit => false, layers => 'projects');

-- Investment: parks, parcels, enclaves, firms.
SELECT onemap_protect('parks', writers => ARRAY['admin', 'investment'], layers => 'parks,parcels', geoms => ARRAY['geom']);
-- A parcel's park decides which parks a share link shows around it.
SELECT onemap_protect('parcels', writers => ARRAY['admin', 'investment'], layers => 'parcels,parks', geoms => ARRAY['geom']);
SELECT onemap_protect('enclaves', writers => ARRAY['admin', 'investment'], layers => 'enclaves', geoms => ARRAY['geom']);
SELECT onemap_protect('enclave_shares', writers => ARRAY['admin', 'investment'], layers => 'enclaves');
SELECT onemap_protect('firms', writers => ARRAY['admin', 'investment'], layers => 'firms', geoms => ARRAY['geom']);
SELECT onemap_protect('firm_parks', writers => ARRAY['admin', 'investment']);
SELECT onemap_protect('firm_parcels', writers => ARRAY['admin', 'investment']);
-- Firm targeting: the firms' stage history, the parks' industry chains.
SELECT onemap_protect('firm_stages', writers => ARRAY['admin', 'investment']);
SELECT onemap_protect('industry_chains', writers => ARRAY['admin', 'investment']);
SELECT onemap_protect('chain_links', writers => ARRAY['admin', 'investment']);
-- Key projects' annual value added and tax, which enclaves split: entered
-- by the investment teams.
SELECT onemap_protect('project_figures', writers => ARRAY['admin', 'investment']);
-- The supply status history of parcels (0019).
SELECT onemap_protect('parcel_supply', writers => ARRAY['admin', 'investment']);
-- The site search's rows of the parcels and the road network's reach,
-- worked out by the triggers of 95_site_search.sql, unaudited like the
-- tiles.
SELECT onemap_protect('site_reach', audit => false);
SELECT onemap_protect('parcel_sites', audit => false);

-- Accounts, sessions, tokens, share links and the audit log: guarded by
-- the server's own code, without row-level security.
SELECT onemap_protect('users');
SELECT onemap_protect('api_tokens');
SELECT onemap_protect('share_links');
SELECT onemap_protect('sessions', audit => false);
SELECT onemap_protect('login_failures', audit => false);
SELECT onemap_protect('share_unlocks', audit => false);
SELECT onemap_protect('share_link_opens', audit => false);
SELECT onemap_protect('audit_log', audit => false);
