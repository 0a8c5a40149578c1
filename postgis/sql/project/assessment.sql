-- The figures of each district's assessment year (project/assessment.go
-- gives the formulas). $1 and $2: the first and the last day assessed,
-- in the city; $3 and $4: the same instants as timestamps, for the stage
-- history; the reports are counted to the month of $2. Withdrawn projects
-- count nowhere.
WITH ps AS (
    SELECT p.id, p.district_id, p.total_investment, p.category, p.stage, p.planned_finish, p.actual_finish,
           (SELECT min(s.at) FROM project_stages s WHERE s.project_id = p.id) AS entered,
           EXISTS (SELECT 1 FROM project_stages s
                    WHERE s.project_id = p.id AND s.to_stage = 'reserve' AND s.at >= $3 AND s.at < $4) AS pooled
      FROM projects p
     WHERE p.stage <> 'withdrawn'
), reported AS (
    SELECT ps.district_id, least(sum(pp.invested) / sum(pp.planned), 1) AS ratio
      FROM ps JOIN project_progress pp ON pp.project_id = ps.id AND pp.month <= date_trunc('month', $2::date)
     GROUP BY ps.id, ps.district_id
    HAVING sum(pp.planned) > 0 AND bool_or(pp.month >= $1::date)
)
SELECT d.id, d.name,
       coalesce((SELECT sum(ps.total_investment) FROM ps WHERE ps.district_id = d.id AND ps.pooled), 0)::text,
       coalesce((SELECT sum(ps.total_investment) FROM ps
                  WHERE ps.district_id = d.id AND ps.category = 'attraction' AND ps.entered >= $3 AND ps.entered < $4), 0)::text,
       (SELECT count(*) FROM reported r WHERE r.district_id = d.id)::int,
       coalesce((SELECT sum(r.ratio) FROM reported r WHERE r.district_id = d.id), 0)::float8,
       (SELECT count(*) FROM ps WHERE ps.district_id = d.id AND ps.planned_finish BETWEEN make_date(extract(year FROM $1::date)::int, 1, 1)
                                                                              AND make_date(extract(year FROM $1::date)::int, 12, 31))::int,
       (SELECT count(*) FROM ps WHERE ps.district_id = d.id AND ps.planned_finish BETWEEN make_date(extract(year FROM $1::date)::int, 1, 1)
                                                                              AND make_date(extract(year FROM $1::date)::int, 12, 31)
                                  AND ps.stage = 'operating' AND ps.actual_finish <= $2::date)::int
  FROM districts d
 ORDER BY d.id
