-- controls: 三区三线 control lines and legacy construction-control zones.
-- @xmin..@ymax: tile bound with buffer (lon/lat), @zoom: zoom, @kind kinds (NULL: any).
SELECT id, ST_AsBinary(geom) AS geom, kind,
       CASE kind WHEN 'basic_farmland' THEN '永久基本农田' WHEN 'eco_redline' THEN '生态保护红线'
                 WHEN 'urban_boundary' THEN '城镇开发边界' WHEN 'zone_010' THEN '允许建设区'
                 WHEN 'zone_020' THEN '有条件建设区' WHEN 'zone_030' THEN '限制建设区'
                 WHEN 'zone_040' THEN '禁止建设区' END AS kind_name,
       name
  FROM (SELECT c.id::bigint AS id, c.geom, c.kind, c.name FROM control_lines c
        UNION ALL
        SELECT 1000000 + z.id, z.geom, 'zone_' || z.code, z.plan FROM control_zones z) k
 WHERE geom && ST_MakeEnvelope(@xmin, @ymin, @xmax, @ymax, 4490)
   AND (@kind::text[] IS NULL OR kind = ANY (@kind))
