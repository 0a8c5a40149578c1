-- After a bulk load that brought its own ids: new rows take ids after
-- them.
SELECT setval(pg_get_serial_sequence('projects', 'id'), coalesce((SELECT max(id) FROM projects), 0) + 1, false);
SELECT setval(pg_get_serial_sequence('parks', 'id'), coalesce((SELECT max(id) FROM parks), 0) + 1, false);
SELECT setval(pg_get_serial_sequence('parcels', 'id'), coalesce((SELECT max(id) FROM parcels), 0) + 1, false);
SELECT setval(pg_get_serial_sequence('landuse', 'id'), coalesce((SELECT max(id) FROM landuse), 0) + 1, false);
SELECT setval(pg_get_serial_sequence('control_lines', 'id'), coalesce((SELECT max(id) FROM control_lines), 0) + 1, false);
SELECT setval(pg_get_serial_sequence('control_zones', 'id'), coalesce((SELECT max(id) FROM control_zones), 0) + 1, false);
SELECT setval(pg_get_serial_sequence('enclaves', 'id'), coalesce((SELECT max(id) FROM enclaves), 0) + 1, false);
SELECT setval(pg_get_serial_sequence('firms', 'id'), coalesce((SELECT max(id) FROM firms), 0) + 1, false);
SELECT setval(pg_get_serial_sequence('industry_chains', 'id'), coalesce((SELECT max(id) FROM industry_chains), 0) + 1, false);
SELECT setval(pg_get_serial_sequence('transport', 'id'), coalesce((SELECT max(id) FROM transport), 0) + 1, false);
SELECT setval(pg_get_serial_sequence('project_blockers', 'id'), coalesce((SELECT max(id) FROM project_blockers), 0) + 1, false);
