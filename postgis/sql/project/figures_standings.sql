-- Each project the principal may see, but withdrawn and completed ones,
-- with its planned and reported investment of its months before $1:
-- the two sides of its schedule ratio, and its planned and actual start,
-- which its warning level also asks. Those with something planned, and
-- those not started that were to start before $1 (late, with or without
-- a plan).
SELECT p.id, p.name, d.name, d.code, p.stage, p.leader,
       coalesce(sum(pp.planned), 0)::text, coalesce(sum(pp.invested), 0)::text,
       p.planned_start, p.actual_start
  FROM projects p
  JOIN districts d ON d.id = p.district_id
  LEFT JOIN project_progress pp ON pp.project_id = p.id AND pp.month < $1::date
 WHERE p.stage NOT IN ('withdrawn', 'operating')
 GROUP BY p.id, d.name, d.code
HAVING coalesce(sum(pp.planned), 0) > 0 OR (p.actual_start IS NULL AND p.planned_start < $1::date)
 ORDER BY p.id
