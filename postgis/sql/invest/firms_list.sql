-- Target firms (the columns given for the placeholder) of a filter: $1 tags (any
-- of them), $2 industries (any of them), $3 stages, $4 the person
-- responsible, $5 a part of the name, the city or an industry, escaped
-- for LIKE (''; NULL lists: any); by name.
SELECT {{columns}}
  FROM firms f
 WHERE ($1::text[] IS NULL OR f.tags && $1)
   AND ($2::text[] IS NULL OR f.industries && $2)
   AND ($3::text[] IS NULL OR f.stage = ANY ($3))
   AND ($4 = '' OR f.responsible = $4)
   AND ($5 = '' OR f.name ILIKE '%' || $5 || '%' OR f.hq_city ILIKE '%' || $5 || '%'
        OR array_to_string(f.industries, ' ') ILIKE '%' || $5 || '%')
 ORDER BY f.name, f.id
