-- Moves the staged projects (load_stage.sql) into their table, after the
-- districts. Runs in the load's transaction with onemap.bulk on.

INSERT INTO projects (id, code, name, stage, category, district_id, leader, responsible_unit, owner, owner_contact,
                      industry, total_investment, annual_plan, planned_start, planned_finish, actual_start,
                      actual_finish, intended_system, intended_code, withdrawn_reason, site, point)
SELECT id, code, name, stage, category, district_id, leader, responsible_unit, owner, owner_contact,
       industry, total_investment, annual_plan, planned_start, planned_finish, actual_start,
       actual_finish, intended_system, intended_code, withdrawn_reason,
       CASE WHEN site IS NOT NULL THEN pg_temp.onemap_load_area(site) END, ST_GeomFromWKB(point, 4490)
  FROM load_projects;
