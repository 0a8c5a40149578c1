-- The projects of heating season $1 (the year it starts in): with $2 = 0
-- the sites under construction and every project with a status of the
-- season, else project $2 only; by id.
SELECT p.id, p.name, p.code, p.stage, d.name, p.total_investment::text, p.actual_start::text,
       ST_X(p.point), ST_Y(p.point), coalesce(h.status, ''), h.permit_no, h.scope, h.actor, h.updated_at
  FROM projects p
  JOIN districts d ON d.id = p.district_id
  LEFT JOIN project_heating h ON h.project_id = p.id AND h.season = $1
 WHERE CASE WHEN $2::bigint = 0 THEN p.stage = 'building' OR h.project_id IS NOT NULL ELSE p.id = $2 END
 ORDER BY p.id
