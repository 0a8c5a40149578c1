-- firms at their headquarters. $1..$4: tile bound with buffer (lon/lat),
-- $5: zoom, $6 stages, $7 tags (NULL: any).
SELECT f.id::bigint AS id, ST_AsBinary(f.geom) AS geom, f.name, array_to_string(f.tags, ',') AS tags,
       array_to_string(f.industries, '、') AS industries, f.hq_city, f.stage
  FROM firms f
 WHERE f.geom && ST_MakeEnvelope($1, $2, $3, $4, 4490)
   AND ($6::text[] IS NULL OR f.stage = ANY ($6))
   AND ($7::text[] IS NULL OR f.tags && $7)
