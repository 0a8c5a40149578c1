-- Triggers that hold whatever writes the data (the API, an import, psql):
-- the audit log, tile invalidation through NOTIFY, and the generalised land
-- use kept up to date.
--
-- A bulk load sets `onemap.bulk = on` for its transaction: row triggers stay
-- quiet, and the loader writes one audit row, regenerates the generalised
-- land use and sends one notification itself.

CREATE FUNCTION onemap_bulk() RETURNS boolean LANGUAGE sql STABLE AS
$$ SELECT coalesce(current_setting('onemap.bulk', true), '') = 'on' $$;

-- The smallest box holding both boxes; NULL is the empty box.
CREATE FUNCTION onemap_box_union(a box2d, b box2d) RETURNS box2d LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN a IS NULL THEN b WHEN b IS NULL THEN a
                ELSE ST_MakeBox2D(ST_MakePoint(least(ST_XMin(a), ST_XMin(b)), least(ST_YMin(a), ST_YMin(b))),
                                  ST_MakePoint(greatest(ST_XMax(a), ST_XMax(b)), greatest(ST_YMax(a), ST_YMax(b)))) END
$$;

-- Audit: who (onemap.actor, else the database user), from where
-- (onemap.address), what changed. Secrets (password and token hashes)
-- never enter the log.
CREATE FUNCTION onemap_audit() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    b jsonb;
    a jsonb;
BEGIN
    IF onemap_bulk() THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN b := to_jsonb(OLD) - 'password_hash' - 'token_hash'; END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN a := to_jsonb(NEW) - 'password_hash' - 'token_hash'; END IF;
    IF TG_OP = 'UPDATE' AND to_jsonb(OLD) = to_jsonb(NEW) THEN
        RETURN NULL;
    END IF;
    INSERT INTO audit_log (actor, address, table_name, row_id, action, before, after)
    VALUES (coalesce(nullif(current_setting('onemap.actor', true), ''), session_user),
            nullif(current_setting('onemap.address', true), ''),
            TG_TABLE_NAME,
            coalesce(a ->> 'id', b ->> 'id', a ->> 'project_id', b ->> 'project_id'),
            lower(TG_OP), b, a);
    RETURN NULL;
END $$;

-- Tile invalidation: one notification per statement on channel
-- onemap_tiles, {"layers": [...], "bbox": [xmin, ymin, xmax, ymax]}, with the
-- extent of the rows before and after the change. TG_ARGV[0] lists the
-- affected layers (comma separated), TG_ARGV[1..] the geometry columns.
CREATE FUNCTION onemap_notify_tiles() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    col  text;
    ext  box2d;
    part box2d;
BEGIN
    IF onemap_bulk() THEN
        RETURN NULL;
    END IF;
    FOR i IN 1 .. TG_NARGS - 1 LOOP
        col := TG_ARGV[i];
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            EXECUTE format('SELECT ST_Extent(%I)::box2d FROM onemap_new', col) INTO part;
            ext := onemap_box_union(ext, part);
        END IF;
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            EXECUTE format('SELECT ST_Extent(%I)::box2d FROM onemap_old', col) INTO part;
            ext := onemap_box_union(ext, part);
        END IF;
    END LOOP;
    IF ext IS NULL AND TG_NARGS > 1 THEN
        RETURN NULL; -- no geometry changed place: nothing rendered moved
    END IF;
    PERFORM onemap_notify_layers(string_to_array(TG_ARGV[0], ','), ext);
    RETURN NULL;
END $$;

-- Sends the invalidation of layers over a box (NULL: everywhere).
CREATE FUNCTION onemap_notify_layers(layers text[], ext box2d) RETURNS void LANGUAGE sql AS $$
    SELECT pg_notify('onemap_tiles', json_build_object(
        'layers', layers,
        'bbox', CASE WHEN ext IS NULL THEN NULL
                     ELSE json_build_array(ST_XMin(ext), ST_YMin(ext), ST_XMax(ext), ST_YMax(ext)) END)::text)
$$;

-- Land use generalised for low zooms: for each level (a zoom from 8 to 11;
-- zoom 12 draws level 11's cells, 1/64 of its tiles), a grid of square
-- cells 1/128 of a tile wide in degrees; each cell takes
-- the class covering most of it. A small zone (its box meets at most four
-- cells) shares its area out by how its box overlaps each cell; a larger
-- zone counts with its exact intersection with each cell it meets. Recomputes the cells touching ext
-- (NULL: all). Returns the number of cells written.
CREATE FUNCTION onemap_landuse_generalise(ext box2d) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    lvl   smallint;
    size  double precision;
    area  box2d := ext;
    n     bigint := 0;
    k     bigint;
BEGIN
    IF area IS NULL THEN
        SELECT ST_Extent(geom) INTO area FROM landuse;
        DELETE FROM landuse_gen;
    END IF;
    IF area IS NULL THEN
        RETURN 0;
    END IF;
    -- The zones that can reach a cell touching the area, measured once.
    CREATE TEMP TABLE IF NOT EXISTS onemap_gen_src (
        system text, code text, geom geometry, a double precision,
        x0 double precision, y0 double precision, x1 double precision, y1 double precision) ON COMMIT DROP;
    TRUNCATE onemap_gen_src;
    INSERT INTO onemap_gen_src
    SELECT l.system, l.code, l.geom, ST_Area(l.geom), ST_XMin(l.geom), ST_YMin(l.geom), ST_XMax(l.geom), ST_YMax(l.geom)
      FROM landuse l
     WHERE l.geom && ST_Expand(area::geometry, 360.0 / 256 / 128);
    FOR lvl IN 8 .. 11 LOOP
        size := 360.0 / (2 ^ lvl) / 128;
        IF ext IS NOT NULL THEN
            DELETE FROM landuse_gen
             WHERE level = lvl
               AND cell_x BETWEEN floor(ST_XMin(ext) / size) AND floor(ST_XMax(ext) / size)
               AND cell_y BETWEEN floor(ST_YMin(ext) / size) AND floor(ST_YMax(ext) / size);
        END IF;
        INSERT INTO landuse_gen (level, cell_x, cell_y, system, code, share, geom)
        SELECT DISTINCT ON (cx, cy) lvl, cx, cy, system, code, least(w / (size * size), 1)::real,
               ST_MakeEnvelope(cx * size, cy * size, (cx + 1) * size, (cy + 1) * size, 4490)
          FROM (
            SELECT cx, cy, system, code, sum(w) AS w
              FROM (
                -- Zones whose box meets at most 4 cells: the area shared out by
                -- the overlap of the box with each cell (arithmetic only).
                SELECT i AS cx, j AS cy, s.system, s.code,
                       s.a * (least(s.x1, (i + 1) * size) - greatest(s.x0, i * size))
                           * (least(s.y1, (j + 1) * size) - greatest(s.y0, j * size))
                           / greatest((s.x1 - s.x0) * (s.y1 - s.y0), 1e-18) AS w
                  FROM onemap_gen_src s,
                       generate_series(floor(s.x0 / size)::int, floor(s.x1 / size)::int) i,
                       generate_series(floor(s.y0 / size)::int, floor(s.y1 / size)::int) j
                 WHERE (floor(s.x1 / size) - floor(s.x0 / size) + 1) * (floor(s.y1 / size) - floor(s.y0 / size) + 1) <= 4
                UNION ALL
                -- Larger zones: exactly, cell by cell.
                SELECT g.i, g.j, s.system, s.code,
                       CASE WHEN ST_Covers(s.geom, g.geom) THEN size * size
                            ELSE ST_Area(ST_Intersection(g.geom, s.geom)) END
                  FROM onemap_gen_src s, ST_SquareGrid(size, s.geom) g
                 WHERE (floor(s.x1 / size) - floor(s.x0 / size) + 1) * (floor(s.y1 / size) - floor(s.y0 / size) + 1) > 4
                   AND ST_Intersects(g.geom, s.geom)
              ) pieces
             GROUP BY 1, 2, 3, 4
          ) per_class
         WHERE w > 0
           AND cx BETWEEN floor(ST_XMin(area) / size) AND floor(ST_XMax(area) / size)
           AND cy BETWEEN floor(ST_YMin(area) / size) AND floor(ST_YMax(area) / size)
         ORDER BY cx, cy, w DESC, code;
        GET DIAGNOSTICS k = ROW_COUNT;
        n := n + k;
    END LOOP;
    TRUNCATE onemap_gen_src;
    RETURN n;
END $$;

CREATE FUNCTION onemap_landuse_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ext  box2d;
    part box2d;
BEGIN
    IF onemap_bulk() THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        SELECT ST_Extent(geom)::box2d INTO ext FROM onemap_new;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        SELECT ST_Extent(geom)::box2d INTO part FROM onemap_old;
        ext := onemap_box_union(ext, part);
    END IF;
    IF ext IS NOT NULL THEN
        PERFORM onemap_landuse_generalise(ext);
    END IF;
    RETURN NULL;
END $$;

-- Wire the triggers: audit on every domain table; tile notifications on
-- every table a tile layer shows.
DO $$
DECLARE
    t text;
    spec record;
BEGIN
    FOREACH t IN ARRAY ARRAY['districts', 'landuse_systems', 'landuse_classes', 'projects', 'project_progress',
                             'project_blockers', 'parks', 'parcels', 'landuse', 'control_lines', 'control_zones',
                             'quotas', 'enclaves', 'enclave_shares', 'firms', 'firm_parks', 'firm_parcels', 'transport'] LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION onemap_audit()',
                       t || '_audit', t);
    END LOOP;

    FOR spec IN SELECT * FROM (VALUES
        ('districts',     'districts,projects,parcels', ARRAY['geom']),
        ('projects',      'projects',                   ARRAY['point', 'site']),
        ('parks',         'parks,parcels',              ARRAY['geom']),
        ('parcels',       'parcels',                    ARRAY['geom']),
        ('landuse',       'landuse',                    ARRAY['geom']),
        ('control_lines', 'controls',                   ARRAY['geom']),
        ('control_zones', 'controls',                   ARRAY['geom']),
        ('enclaves',      'enclaves',                   ARRAY['geom']),
        ('firms',         'firms',                      ARRAY['geom']),
        ('transport',     'transport',                  ARRAY['geom'])
    ) AS s(tbl, layers, cols) LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS onemap_new '
                       'FOR EACH STATEMENT EXECUTE FUNCTION onemap_notify_tiles(%L, %s)',
                       spec.tbl || '_tiles_ins', spec.tbl, spec.layers, array_to_string(ARRAY(SELECT quote_literal(c) FROM unnest(spec.cols) c), ', '));
        EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS onemap_old NEW TABLE AS onemap_new '
                       'FOR EACH STATEMENT EXECUTE FUNCTION onemap_notify_tiles(%L, %s)',
                       spec.tbl || '_tiles_upd', spec.tbl, spec.layers, array_to_string(ARRAY(SELECT quote_literal(c) FROM unnest(spec.cols) c), ', '));
        EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS onemap_old '
                       'FOR EACH STATEMENT EXECUTE FUNCTION onemap_notify_tiles(%L, %s)',
                       spec.tbl || '_tiles_del', spec.tbl, spec.layers, array_to_string(ARRAY(SELECT quote_literal(c) FROM unnest(spec.cols) c), ', '));
    END LOOP;

    -- Parent tables whose names appear in a layer's attributes.
    FOR spec IN SELECT * FROM (VALUES
        ('landuse_classes', 'landuse,parcels'),
        ('enclave_shares',  'enclaves')
    ) AS s(tbl, layers) LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I '
                       'FOR EACH STATEMENT EXECUTE FUNCTION onemap_notify_tiles(%L)',
                       spec.tbl || '_tiles', spec.tbl, spec.layers);
    END LOOP;
END $$;

-- The land-use triggers: the generalised grid follows every change.
CREATE TRIGGER landuse_gen_ins AFTER INSERT ON landuse REFERENCING NEW TABLE AS onemap_new
    FOR EACH STATEMENT EXECUTE FUNCTION onemap_landuse_changed();
CREATE TRIGGER landuse_gen_upd AFTER UPDATE ON landuse REFERENCING OLD TABLE AS onemap_old NEW TABLE AS onemap_new
    FOR EACH STATEMENT EXECUTE FUNCTION onemap_landuse_changed();
CREATE TRIGGER landuse_gen_del AFTER DELETE ON landuse REFERENCING OLD TABLE AS onemap_old
    FOR EACH STATEMENT EXECUTE FUNCTION onemap_landuse_changed();
