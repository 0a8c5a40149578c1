-- The ledger's projects matching a filter, by id: $1 stages, $2
-- categories, $3 district codes, $4 leaders (NULL: any), $5 a part of the
-- name or the start of the project code, LIKE-escaped ('': any), $6 the
-- most rows, $7 warning levels (none assessed: green), $8 and $9 the
-- years of the actual start and finish (NULL: any), as the projects'
-- tiles filter (tile_projects.sql). The columns are projectColumns
-- (projects.go) and no site.
SELECT {{columns}}, NULL::text
  FROM projects p
  JOIN districts d ON d.id = p.district_id
 WHERE ($1::text[] IS NULL OR p.stage = ANY ($1))
   AND ($2::text[] IS NULL OR p.category = ANY ($2))
   AND ($3::text[] IS NULL OR d.code = ANY ($3))
   AND ($4::text[] IS NULL OR p.leader = ANY ($4))
   AND ($5 = '' OR p.name ILIKE '%' || $5 || '%' OR p.code LIKE $5 || '%')
   AND ($7::text[] IS NULL
        OR coalesce((SELECT w.level FROM project_warnings w WHERE w.project_id = p.id), 'green') = ANY ($7))
   AND ($8::text[] IS NULL OR to_char(p.actual_start, 'YYYY') = ANY ($8))
   AND ($9::text[] IS NULL OR to_char(p.actual_finish, 'YYYY') = ANY ($9))
 ORDER BY p.id
 LIMIT $6
