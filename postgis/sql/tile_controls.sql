-- controls: 三区三线 control lines and legacy construction-control zones.
-- Below zoom 11, where the map fills permanent basic farmland without
-- outlines, its patches (thousands, each a few pixels) are one multipolygon
-- without id or name: their ids and names were most of the tile's bytes.
-- @xmin..@ymax: tile bound with buffer (lon/lat), @zoom: zoom, @kind kinds (NULL: any).
WITH k AS (
    SELECT c.id::bigint AS id, c.geom, c.kind, c.name
      FROM control_lines c
     WHERE c.geom && ST_MakeEnvelope(@xmin, @ymin, @xmax, @ymax, 4490)
       AND (@kind::text[] IS NULL OR c.kind = ANY (@kind))
    UNION ALL
    SELECT 1000000 + z.id, z.geom, 'zone_' || z.code, z.plan
      FROM control_zones z
     WHERE z.geom && ST_MakeEnvelope(@xmin, @ymin, @xmax, @ymax, 4490)
       AND (@kind::text[] IS NULL OR 'zone_' || z.code = ANY (@kind))
), merged AS (
    SELECT k.id, k.geom, k.kind, k.name
      FROM k
     WHERE NOT (@zoom < 11 AND k.kind = 'basic_farmland')
    UNION ALL
    SELECT NULL, ST_Collect(p.geom ORDER BY k.id, p.path), 'basic_farmland', NULL
      FROM k
     CROSS JOIN LATERAL ST_Dump(k.geom) p
     WHERE @zoom < 11 AND k.kind = 'basic_farmland'
    HAVING count(*) > 0
)
SELECT id, ST_AsBinary(geom) AS geom, kind,
       CASE kind WHEN 'basic_farmland' THEN '永久基本农田' WHEN 'eco_redline' THEN '生态保护红线'
                 WHEN 'urban_boundary' THEN '城镇开发边界' WHEN 'zone_010' THEN '允许建设区'
                 WHEN 'zone_020' THEN '有条件建设区' WHEN 'zone_030' THEN '限制建设区'
                 WHEN 'zone_040' THEN '禁止建设区' END AS kind_name,
       name
  FROM merged
