-- The tallies of a dashboard or a bulletin over the projects the
-- principal may see: per dimension (total, district, stage, category,
-- leader, started, finished) and key, the count, total investment,
-- annual plan and the investment reported in the months from $1 to $2
-- (excluded). started and finished are the projects whose actual start or
-- finish falls from $3 to $4 (excluded). Withdrawn projects count only in
-- their stage.
SELECT g.dim, g.key, g.label, count(*),
       sum(p.total_investment)::text, sum(p.annual_plan)::text, coalesce(sum(y.invested), 0)::text
  FROM projects p
  JOIN districts d ON d.id = p.district_id
  LEFT JOIN LATERAL (SELECT sum(pp.invested) AS invested
                       FROM project_progress pp
                      WHERE pp.project_id = p.id AND pp.month >= $1::date AND pp.month < $2::date) y ON true
 CROSS JOIN LATERAL (VALUES
        ('total', '', '', p.stage <> 'withdrawn'),
        ('district', d.code, d.name, p.stage <> 'withdrawn'),
        ('stage', p.stage, p.stage, true),
        ('category', p.category, p.category, p.stage <> 'withdrawn'),
        ('leader', p.leader, p.leader, p.stage <> 'withdrawn'),
        ('started', '', '', p.stage <> 'withdrawn' AND p.actual_start >= $3::date AND p.actual_start < $4::date),
        ('finished', '', '', p.stage <> 'withdrawn' AND p.actual_finish >= $3::date AND p.actual_finish < $4::date)
     ) g(dim, key, label, counted)
 WHERE g.counted
 GROUP BY g.dim, g.key, g.label
 ORDER BY g.dim, g.key
