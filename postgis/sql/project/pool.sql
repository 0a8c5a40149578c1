-- The reserve projects (the pool) with the finish dates of their
-- preliminary approval steps, by step, the largest first.
-- $1: the preliminary steps (project.PreliminarySteps).
SELECT p.id, p.name, p.code, p.stage, d.name, p.total_investment::text, p.actual_start::text,
       ST_X(p.point), ST_Y(p.point),
       coalesce(jsonb_object_agg(s.step, s.finished::text) FILTER (WHERE s.finished IS NOT NULL), '{}')
  FROM projects p
  JOIN districts d ON d.id = p.district_id
  LEFT JOIN project_approval_steps s ON s.project_id = p.id AND s.step = ANY ($1)
 WHERE p.stage = 'reserve'
 GROUP BY p.id, d.name
 ORDER BY p.total_investment DESC, p.id
