-- Staging of a land import (postgis/imports.go): the file's rows as they
-- were mapped, geometries as WKB in EPSG:4490, and each row as checked.
-- Dropped at commit.
CREATE TEMP TABLE import_rows (
    n integer, code text, system text, name text, plan text, geom bytea
) ON COMMIT DROP;

CREATE TEMP TABLE import_checked (
    n           integer,
    code        text,
    system      text,
    name        text,
    plan        text,
    reason      text,               -- why the geometry was invalid; NULL: it was valid
    area_before double precision,   -- ellipsoidal area of the invalid geometry, m²
    geom        geometry,           -- valid, a MultiPolygon in EPSG:4490
    area        double precision,   -- ellipsoidal area, m²
    problem     text                -- why the row is rejected; NULL: imported
) ON COMMIT DROP;

-- The districts cut into pieces of at most 128 points, for the check that
-- a row meets the city: a test against a small piece instead of a whole
-- county's outline.
CREATE TEMP TABLE import_districts ON COMMIT DROP AS
SELECT ST_Subdivide(geom, 128) AS geom FROM districts;
CREATE INDEX ON import_districts USING gist (geom);
ANALYZE import_districts;
