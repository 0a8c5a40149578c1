-- The blockers of the projects the principal may see, but withdrawn
-- ones, raised on or before $1 and not resolved by then, by due date:
-- the columns of blockerColumns (warnings.go), then the project's name
-- and district.
SELECT b.id, b.project_id, b.kind, b.note, b.responsible_unit, b.raised_on::text, b.due_on::text, b.status,
       b.resolution, b.resolved_on::text, p.name, d.name
  FROM project_blockers b
  JOIN projects p ON p.id = b.project_id
  JOIN districts d ON d.id = p.district_id
 WHERE p.stage <> 'withdrawn'
   AND b.raised_on <= $1::date
   AND (b.status <> 'resolved' OR b.resolved_on > $1::date)
 ORDER BY b.due_on NULLS LAST, b.id
