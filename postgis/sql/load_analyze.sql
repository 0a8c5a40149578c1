-- Fresh statistics after a bulk load, for the generalisation and the tile
-- queries that follow.
ANALYZE districts, parks, parcels, projects, project_progress, landuse, control_lines, control_zones,
        enclaves, firms, transport;
