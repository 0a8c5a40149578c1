-- Writes a project's fields: $1 the id (NULL: a new project), $2 the
-- version the change was made on, $3.. the fields; $20 the site and $21
-- the point as WKB (a NULL point: on the site). Answers the id; no row
-- when the project changed since $2 or row security kept it.
WITH f AS (
    SELECT ST_Multi(ST_SetSRID(ST_GeomFromWKB($20), 4490)) AS site,
           ST_SetSRID(ST_GeomFromWKB($21), 4490) AS point
), ins AS (
    INSERT INTO projects (code, name, stage, category, district_id, leader, responsible_unit, owner,
                          owner_contact, industry, total_investment, annual_plan, planned_start, planned_finish,
                          actual_start, actual_finish, withdrawn_reason, intended_system, intended_code, site, point)
    SELECT $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::numeric, $14::numeric, $15, $16, $17, $18, $19,
           $22, $23, f.site, coalesce(f.point, ST_PointOnSurface(f.site))
      FROM f
     WHERE $1::bigint IS NULL
    RETURNING id
), upd AS (
    UPDATE projects p SET
           code = $3, name = $4, stage = $5, category = $6, district_id = $7, leader = $8, responsible_unit = $9,
           owner = $10, owner_contact = $11, industry = $12, total_investment = $13::numeric, annual_plan = $14::numeric,
           planned_start = $15, planned_finish = $16, actual_start = $17, actual_finish = $18, withdrawn_reason = $19,
           intended_system = $22, intended_code = $23, site = f.site,
           point = coalesce(f.point, ST_PointOnSurface(f.site)),
           version = p.version + 1, updated_at = now()
      FROM f
     WHERE p.id = $1 AND p.version = $2
    RETURNING p.id
)
SELECT id FROM ins UNION ALL SELECT id FROM upd
