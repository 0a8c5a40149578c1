-- The projects the principal may see, but withdrawn ones, started or
-- completed from $1 to $2 (excluded), by id.
SELECT p.id, p.name, d.name, p.stage, p.total_investment::text, p.actual_start::text, p.actual_finish::text
  FROM projects p
  JOIN districts d ON d.id = p.district_id
 WHERE p.stage <> 'withdrawn'
   AND (p.actual_start >= $1::date AND p.actual_start < $2::date
        OR p.actual_finish >= $1::date AND p.actual_finish < $2::date)
 ORDER BY p.id
