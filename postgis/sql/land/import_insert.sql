-- Inserts a batch of the checked rows that passed into their land layer,
-- in the import's transaction, after import_delete.sql. A control line
-- takes the district that holds a point of it.
-- $1: the layer (land.Layer); $2, $3: the batch, rows with $2 < n <= $3.
-- Returns the rows inserted.
WITH ok AS (
    SELECT * FROM import_checked WHERE problem IS NULL AND n > $2 AND n <= $3
), new AS (
    INSERT INTO landuse (system, code, plan, name, geom)
    SELECT system, code, plan, nullif(name, ''), geom FROM ok WHERE $1 = 'landuse' ORDER BY n
    RETURNING 1
), new_lines AS (
    INSERT INTO control_lines (kind, name, district_id, geom)
    SELECT $1, ok.name,
           (SELECT d.id FROM districts d WHERE ST_Intersects(d.geom, ST_PointOnSurface(ok.geom)) ORDER BY d.id LIMIT 1),
           ok.geom
      FROM ok WHERE $1 IN ('basic_farmland', 'eco_redline', 'urban_boundary') ORDER BY n
    RETURNING 1
), new_zones AS (
    INSERT INTO control_zones (code, plan, geom)
    SELECT code, plan, geom FROM ok WHERE $1 = 'control_zones' ORDER BY n
    RETURNING 1
)
SELECT (SELECT count(*) FROM new) + (SELECT count(*) FROM new_lines) + (SELECT count(*) FROM new_zones)
