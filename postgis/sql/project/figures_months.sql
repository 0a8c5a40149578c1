-- Planned and reported investment per month from $1 to $2 (excluded) of
-- the projects the principal may see, but withdrawn ones; every month
-- answers, with 0 where nothing was reported.
SELECT to_char(m.month, 'YYYY-MM'), coalesce(sum(pp.planned), 0)::text, coalesce(sum(pp.invested), 0)::text
  FROM generate_series($1::date, $2::date - 1, interval '1 month') m(month)
  LEFT JOIN (project_progress pp JOIN projects p ON p.id = pp.project_id AND p.stage <> 'withdrawn')
         ON pp.month = m.month
 GROUP BY m.month
 ORDER BY m.month
