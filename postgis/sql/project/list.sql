-- The ledger's projects matching a filter, by id: $1 stages, $2
-- categories, $3 district codes, $4 leaders (NULL: any), $5 a part of the
-- name or the start of the project code, LIKE-escaped ('': any), $6 the
-- most rows. The columns are projectColumns (projects.go) and no site.
SELECT {{columns}}, NULL::text
  FROM projects p
  JOIN districts d ON d.id = p.district_id
 WHERE ($1::text[] IS NULL OR p.stage = ANY ($1))
   AND ($2::text[] IS NULL OR p.category = ANY ($2))
   AND ($3::text[] IS NULL OR d.code = ANY ($3))
   AND ($4::text[] IS NULL OR p.leader = ANY ($4))
   AND ($5 = '' OR p.name ILIKE '%' || $5 || '%' OR p.code LIKE $5 || '%')
 ORDER BY p.id
 LIMIT $6
