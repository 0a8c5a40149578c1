-- The facts of projects $1 a tour's briefing cards need beyond the
-- project's view: its place, its stage, the investment completed to date
-- and the progress note of its latest reported month.
SELECT p.id, ST_X(p.point), ST_Y(p.point), p.stage,
       coalesce((SELECT sum(invested) FROM project_progress g WHERE g.project_id = p.id), 0)::text,
       n.progress_note, to_char(n.month, 'YYYY-MM')
  FROM projects p
  LEFT JOIN LATERAL (SELECT g.progress_note, g.month FROM project_progress g
                      WHERE g.project_id = p.id AND g.progress_note <> ''
                      ORDER BY g.month DESC LIMIT 1) n ON true
 WHERE p.id = ANY ($1)
