-- Each project the principal may see, but withdrawn and completed ones,
-- with its planned and reported investment of its months before $1, where
-- something was planned: the two sides of its schedule ratio, and its
-- planned and actual start, which its warning level also asks.
SELECT p.id, p.name, d.name, d.code, p.stage, p.leader, sum(pp.planned)::text, sum(pp.invested)::text,
       p.planned_start, p.actual_start
  FROM projects p
  JOIN districts d ON d.id = p.district_id
  JOIN project_progress pp ON pp.project_id = p.id AND pp.month < $1::date
 WHERE p.stage NOT IN ('withdrawn', 'operating')
 GROUP BY p.id, d.name, d.code
HAVING sum(pp.planned) > 0
 ORDER BY p.id
