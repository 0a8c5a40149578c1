-- parks. @xmin..@ymax: tile bound with buffer (lon/lat), @zoom: zoom,
-- @share_parks the parks of a share link (NULL: not a share link).
SELECT p.id::bigint AS id, ST_AsBinary(p.geom) AS geom, p.name, p.level, d.name AS district,
       array_to_string(p.leading_industries, '、') AS industries,
       round((p.area_m2 * 15 / 10000)::numeric, 1)::float8 AS area_mu
  FROM parks p
  JOIN districts d ON d.id = p.district_id
 WHERE p.geom && ST_MakeEnvelope(@xmin, @ymin, @xmax, @ymax, 4490)
   AND (@share_parks::bigint[] IS NULL OR p.id = ANY (@share_parks))
