-- projects: points below zoom 13; from zoom 13 the sites as well.
-- $1..$4: tile bound with buffer (lon/lat), $5: zoom,
-- $6 stages, $7 categories, $8 district codes, $9 leaders (NULL: any).
WITH p AS NOT MATERIALIZED (
    SELECT p.id, p.point, p.site, p.code, p.name, p.stage, p.category, p.district_id::int AS district_id,
           d.name AS district, p.leader, p.responsible_unit, p.owner,
           p.total_investment::float8 AS total_investment, p.annual_plan::float8 AS annual_plan,
           (SELECT sum(pp.invested) FROM project_progress pp
             WHERE pp.project_id = p.id AND pp.month >= date_trunc('year', current_date))::float8 AS invested,
           p.planned_start::text AS planned_start, p.planned_finish::text AS planned_finish,
           p.actual_start::text AS actual_start
      FROM projects p
      JOIN districts d ON d.id = p.district_id
     WHERE ($6::text[] IS NULL OR p.stage = ANY ($6))
       AND ($7::text[] IS NULL OR p.category = ANY ($7))
       AND ($8::text[] IS NULL OR d.code = ANY ($8))
       AND ($9::text[] IS NULL OR p.leader = ANY ($9))
)
SELECT id, ST_AsBinary(site) AS geom, code, name, stage, category, district_id, district, leader,
       responsible_unit, owner, total_investment, annual_plan, invested, planned_start, planned_finish,
       actual_start, 'site' AS geom_kind
  FROM p
 WHERE $5 >= 13 AND site && ST_MakeEnvelope($1, $2, $3, $4, 4490)
UNION ALL
SELECT id, ST_AsBinary(point), code, name, stage, category, district_id, district, leader,
       responsible_unit, owner, total_investment, annual_plan, invested, planned_start, planned_finish,
       actual_start, 'point'
  FROM p
 WHERE point && ST_MakeEnvelope($1, $2, $3, $4, 4490)
