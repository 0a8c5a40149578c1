-- Moves a staged dataset (load_stage.sql) into the real tables, in the
-- order their foreign keys need; the projects follow (load_projects.sql).
-- Runs in the load's transaction with onemap.bulk on. The tables without
-- geometry are copied directly: the classes before this, the rows that
-- refer to these tables after.

INSERT INTO districts (id, code, name, kind, seat, geom)
SELECT id, code, name, kind, ST_GeomFromWKB(seat, 4490), pg_temp.onemap_load_area(geom)
  FROM load_districts;

INSERT INTO parks (id, name, level, district_id, leading_industries, model, geom)
SELECT id, name, level, district_id, leading_industries, model, pg_temp.onemap_load_area(geom)
  FROM load_parks;

INSERT INTO parcels (id, code, name, district_id, park_id, supply_status, landuse_system, landuse_code, price,
                     plot_ratio_min, plot_ratio_max, building_density, green_ratio, investment_intensity,
                     tax_per_mu, utilities, geom)
SELECT id, code, name, district_id, park_id, supply_status, landuse_system, landuse_code, price,
       plot_ratio_min, plot_ratio_max, building_density, green_ratio, investment_intensity,
       tax_per_mu, utilities, pg_temp.onemap_load_area(geom)
  FROM load_parcels;

INSERT INTO landuse (id, system, code, plan, geom)
SELECT id, system, code, plan, pg_temp.onemap_load_area(geom)
  FROM load_landuse;

INSERT INTO control_lines (id, kind, name, district_id, geom)
SELECT id, kind, name, district_id, pg_temp.onemap_load_area(geom)
  FROM load_control_lines;

INSERT INTO control_zones (id, code, plan, geom)
SELECT id, code, plan, pg_temp.onemap_load_area(geom)
  FROM load_control_zones;

INSERT INTO enclaves (id, name, home_district_id, host_district_id, agreement_no, agreement_date, term_years,
                      model, quota_district_id, geom)
SELECT id, name, home_district_id, host_district_id, agreement_no, agreement_date, term_years,
       model, quota_district_id, pg_temp.onemap_load_area(geom)
  FROM load_enclaves;

INSERT INTO firms (id, name, tags, industries, hq_city, stage, responsible, contact_name, contact_phone, geom)
SELECT id, name, tags, industries, hq_city, stage, coalesce(responsible, ''), contact_name, contact_phone, ST_GeomFromWKB(geom, 4490)
  FROM load_firms;

INSERT INTO transport (id, kind, name, ref, geom)
SELECT id, kind, name, ref, pg_temp.onemap_load_any(geom)
  FROM load_transport;
