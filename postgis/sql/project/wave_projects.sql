-- The new starts of year $1: the projects (not withdrawn) that started in
-- it, unless assigned to another year's wave, and those assigned to one
-- of its waves, with the wave, by actual start and id.
SELECT p.id, p.name, p.code, p.stage, d.name, p.total_investment::text, p.actual_start::text,
       ST_X(p.point), ST_Y(p.point), w.wave::int
  FROM projects p
  JOIN districts d ON d.id = p.district_id
  LEFT JOIN project_waves w ON w.project_id = p.id
 WHERE p.stage <> 'withdrawn'
   AND (w.year = $1
        OR w.project_id IS NULL AND p.actual_start >= make_date($1, 1, 1) AND p.actual_start < make_date($1 + 1, 1, 1))
 ORDER BY p.actual_start NULLS LAST, p.id
