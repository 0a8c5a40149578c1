-- Replaces a land layer by the checked rows that passed, in the import's
-- transaction: readers see the old rows until it commits. A control line
-- takes the district that holds a point of it.
-- $1: the layer (land.Layer). Returns the rows deleted and inserted and
-- the extent of both, old and new, as box2d text (NULL: no rows).
WITH old AS (
    DELETE FROM landuse WHERE $1 = 'landuse' RETURNING geom
), old_lines AS (
    DELETE FROM control_lines WHERE kind = $1 RETURNING geom
), old_zones AS (
    DELETE FROM control_zones WHERE $1 = 'control_zones' RETURNING geom
), ok AS (
    SELECT * FROM import_checked WHERE problem IS NULL
), new AS (
    INSERT INTO landuse (system, code, plan, name, geom)
    SELECT system, code, plan, nullif(name, ''), geom FROM ok WHERE $1 = 'landuse' ORDER BY n
    RETURNING geom
), new_lines AS (
    INSERT INTO control_lines (kind, name, district_id, geom)
    SELECT $1, ok.name,
           (SELECT d.id FROM districts d WHERE ST_Intersects(d.geom, ST_PointOnSurface(ok.geom)) ORDER BY d.id LIMIT 1),
           ok.geom
      FROM ok WHERE $1 IN ('basic_farmland', 'eco_redline', 'urban_boundary') ORDER BY n
    RETURNING geom
), new_zones AS (
    INSERT INTO control_zones (code, plan, geom)
    SELECT code, plan, geom FROM ok WHERE $1 = 'control_zones' ORDER BY n
    RETURNING geom
), gone AS (
    SELECT geom FROM old UNION ALL SELECT geom FROM old_lines UNION ALL SELECT geom FROM old_zones
), came AS (
    SELECT geom FROM new UNION ALL SELECT geom FROM new_lines UNION ALL SELECT geom FROM new_zones
)
SELECT (SELECT count(*) FROM gone), (SELECT count(*) FROM came),
       onemap_box_union((SELECT ST_Extent(geom)::box2d FROM gone), (SELECT ST_Extent(geom)::box2d FROM came))::text
