-- The schedules of projects as of month $1 (its first day): stage,
-- planned and actual start, and the sums of the planned and invested
-- amounts reported for that month and earlier, and the number of its
-- blockers not resolved and due before $3 (today). $2: the projects' ids;
-- NULL: every project the principal may see.
SELECT p.id, p.name, d.name, p.stage, p.planned_start, p.actual_start,
       coalesce(sum(pp.planned), 0)::text, coalesce(sum(pp.invested), 0)::text,
       (SELECT count(*) FROM project_blockers b
         WHERE b.project_id = p.id AND b.status <> 'resolved' AND b.due_on < $3::date)::int
  FROM projects p
  JOIN districts d ON d.id = p.district_id
  LEFT JOIN project_progress pp ON pp.project_id = p.id AND pp.month <= $1
 WHERE $2::bigint[] IS NULL OR p.id = ANY ($2)
 GROUP BY p.id, d.name
 ORDER BY p.id
