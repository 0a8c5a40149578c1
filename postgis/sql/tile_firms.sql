-- firms at their headquarters. @xmin..@ymax: tile bound with buffer (lon/lat),
-- @zoom: zoom, @stage stages, @tag tags (NULL: any).
SELECT f.id::bigint AS id, ST_AsBinary(f.geom) AS geom, f.name, array_to_string(f.tags, ',') AS tags,
       array_to_string(f.industries, '、') AS industries, f.hq_city, f.stage
  FROM firms f
 WHERE f.geom && ST_MakeEnvelope(@xmin, @ymin, @xmax, @ymax, 4490)
   AND (@stage::text[] IS NULL OR f.stage = ANY (@stage))
   AND (@tag::text[] IS NULL OR f.tags && @tag)
