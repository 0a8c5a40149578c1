-- The number of staged geometries that are not valid and will be made
-- valid on the way in (load_stage.sql).
SELECT (SELECT count(*) FROM load_districts WHERE pg_temp.onemap_load_invalid(geom))
     + (SELECT count(*) FROM load_parks WHERE pg_temp.onemap_load_invalid(geom))
     + (SELECT count(*) FROM load_parcels WHERE pg_temp.onemap_load_invalid(geom))
     + (SELECT count(*) FROM load_projects WHERE pg_temp.onemap_load_invalid(site))
     + (SELECT count(*) FROM load_landuse WHERE pg_temp.onemap_load_invalid(geom))
     + (SELECT count(*) FROM load_control_lines WHERE pg_temp.onemap_load_invalid(geom))
     + (SELECT count(*) FROM load_control_zones WHERE pg_temp.onemap_load_invalid(geom))
     + (SELECT count(*) FROM load_enclaves WHERE pg_temp.onemap_load_invalid(geom))
     + (SELECT count(*) FROM load_transport WHERE pg_temp.onemap_load_invalid(geom))
