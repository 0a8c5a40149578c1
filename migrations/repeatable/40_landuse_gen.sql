-- The generalised land use (landuse_gen, landuse_gen_runs; see
-- 0001_schema.sql and 0004_landuse_runs.sql) kept up to date with every
-- change to land use.

-- Recomputes the runs of level lvl in rows cy0..cy1 and the blocks of 32
-- cells holding cx0..cx1 from the cells. Returns the number of runs.
CREATE OR REPLACE FUNCTION onemap_landuse_runs(lvl integer, cx0 integer, cx1 integer, cy0 integer, cy1 integer)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    bx0 integer := div(cx0, 32) * 32;
    bx1 integer := div(cx1, 32) * 32 + 31;
    n  bigint;
BEGIN
    DELETE FROM landuse_gen_runs r
     WHERE r.level = lvl AND r.cell_y BETWEEN cy0 AND cy1 AND r.x0 BETWEEN bx0 AND bx1;
    INSERT INTO landuse_gen_runs (level, cell_y, x0, x1, system, code)
    SELECT lvl, cell_y, min(cell_x), max(cell_x), system, code
      FROM (SELECT g.cell_x, g.cell_y, g.system, g.code,
                   g.cell_x - row_number() OVER (PARTITION BY g.cell_y, div(g.cell_x, 32), g.system, g.code
                                                 ORDER BY g.cell_x) AS run
              FROM landuse_gen g
             WHERE g.level = lvl AND g.cell_y BETWEEN cy0 AND cy1 AND g.cell_x BETWEEN bx0 AND bx1) cells
     GROUP BY cell_y, div(cell_x, 32), system, code, run;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END $$;

-- Land use generalised for low zooms: for each level (a zoom from 8 to 11;
-- zoom 12 draws level 11's cells, 1/64 of its tiles), a grid of square
-- cells 1/128 of a tile wide in degrees; each cell takes the class covering
-- most of it. A small zone (its box meets at most four cells) shares its
-- area out by how its box overlaps each cell; a larger zone counts with its
-- exact intersection with each cell it meets. Recomputes the cells touching
-- ext (NULL: all) and the runs of every level where the cells changed.
-- Returns the number of cells written. One generalisation at a time: two
-- edits nearby meet the same cells and runs, and the second must read what
-- the first wrote.
CREATE OR REPLACE FUNCTION onemap_landuse_generalise(ext box2d) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    lvl   smallint;
    size  double precision;
    area  box2d := ext;
    n     bigint := 0;
    k     bigint;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('onemap_landuse_generalise'));
    IF area IS NULL THEN
        SELECT ST_Extent(geom) INTO area FROM landuse;
        DELETE FROM landuse_gen;
        DELETE FROM landuse_gen_runs;
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
        INSERT INTO landuse_gen (level, cell_x, cell_y, system, code, share)
        SELECT DISTINCT ON (cx, cy) lvl, cx, cy, system, code, least(w / (size * size), 1)::real
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
        PERFORM onemap_landuse_runs(lvl, floor(ST_XMin(area) / size)::int, floor(ST_XMax(area) / size)::int,
                                    floor(ST_YMin(area) / size)::int, floor(ST_YMax(area) / size)::int);
    END LOOP;
    TRUNCATE onemap_gen_src;
    RETURN n;
END $$;

CREATE OR REPLACE FUNCTION onemap_landuse_changed() RETURNS trigger LANGUAGE plpgsql AS $$
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

-- The land-use triggers: the generalised grid follows every change.
CREATE OR REPLACE TRIGGER landuse_gen_ins AFTER INSERT ON landuse REFERENCING NEW TABLE AS onemap_new
    FOR EACH STATEMENT EXECUTE FUNCTION onemap_landuse_changed();
CREATE OR REPLACE TRIGGER landuse_gen_upd AFTER UPDATE ON landuse REFERENCING OLD TABLE AS onemap_old NEW TABLE AS onemap_new
    FOR EACH STATEMENT EXECUTE FUNCTION onemap_landuse_changed();
CREATE OR REPLACE TRIGGER landuse_gen_del AFTER DELETE ON landuse REFERENCING OLD TABLE AS onemap_old
    FOR EACH STATEMENT EXECUTE FUNCTION onemap_landuse_changed();
