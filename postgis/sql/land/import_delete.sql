-- Deletes every row of a land layer, in the import's transaction that then
-- inserts the new ones (import_insert.sql): readers see the old rows until
-- it commits.
-- $1: the layer (land.Layer). Returns the rows deleted and their extent
-- as box2d text (NULL: none).
WITH old AS (
    DELETE FROM landuse WHERE $1 = 'landuse' RETURNING geom
), old_lines AS (
    DELETE FROM control_lines WHERE kind = $1 RETURNING geom
), old_zones AS (
    DELETE FROM control_zones WHERE $1 = 'control_zones' RETURNING geom
), gone AS (
    SELECT geom FROM old UNION ALL SELECT geom FROM old_lines UNION ALL SELECT geom FROM old_zones
)
SELECT count(*), ST_Extent(geom)::box2d::text FROM gone
