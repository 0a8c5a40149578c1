-- The moves into and out of the pool (the reserve stage) from $1 to $2,
-- days in the city (the pool's TimeZone), both included, oldest first.
SELECT p.id, p.name, p.code, p.stage, d.name, p.total_investment::text, p.actual_start::text,
       ST_X(p.point), ST_Y(p.point), s.from_stage, s.to_stage, s.reason, s.actor, s.at
  FROM project_stages s
  JOIN projects p ON p.id = s.project_id
  JOIN districts d ON d.id = p.district_id
 WHERE s.at >= $1::date AND s.at < $2::date + 1
   AND (s.to_stage = 'reserve' OR s.from_stage = 'reserve')
 ORDER BY s.at, s.id
