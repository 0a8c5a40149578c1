-- The generalised land use as row runs.
--
-- Tiles below zoom 13 drew the cells of landuse_gen and merged, per tile,
-- the cells of one class that follow each other in a row into one
-- rectangle; that merge (a sort and a window over up to 16,384 cells) was
-- most of a low-zoom tile's cost. The runs are now stored and kept up to
-- date with the cells. A run never crosses a boundary of 32 cells, so that
-- the runs of a block are computed from that block alone and a tile finds
-- its runs through an exact index range per row of cells.

CREATE TABLE landuse_gen_runs (
    level   smallint NOT NULL,
    cell_y  integer NOT NULL,
    x0      integer NOT NULL,   -- first cell of the run
    x1      integer NOT NULL,   -- last cell, in the same block of 32 as x0
    system  text NOT NULL,
    code    text NOT NULL,
    PRIMARY KEY (level, cell_y, x0),
    CHECK (x1 >= x0 AND x1 - x0 < 32 AND div(x0, 32) = div(x1, 32))
);

GRANT SELECT, INSERT, UPDATE, DELETE ON landuse_gen_runs TO onemap_app;

-- The cells' rectangles were only drawn by tiles; the runs replace them.
DROP INDEX landuse_gen_geom;
ALTER TABLE landuse_gen DROP COLUMN geom;

-- The runs of the cells there are (onemap_landuse_runs in
-- repeatable/40_landuse_gen.sql keeps them up to date from here on).
INSERT INTO landuse_gen_runs (level, cell_y, x0, x1, system, code)
SELECT level, cell_y, min(cell_x), max(cell_x), system, code
  FROM (SELECT g.level, g.cell_x, g.cell_y, g.system, g.code,
               g.cell_x - row_number() OVER (PARTITION BY g.level, g.cell_y, div(g.cell_x, 32), g.system, g.code
                                             ORDER BY g.cell_x) AS run
          FROM landuse_gen g) cells
 GROUP BY level, cell_y, div(cell_x, 32), system, code, run;
ANALYZE landuse_gen_runs;
