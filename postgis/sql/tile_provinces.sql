-- provinces: outlines, and a label point each.
-- @xmin..@ymax: tile bound with buffer (lon/lat), @zoom: zoom.
SELECT b.id::bigint AS id, ST_AsBinary(b.geom) AS geom, b.name, b.name_en
  FROM basemap_provinces b
 WHERE b.geom && ST_MakeEnvelope(@xmin, @ymin, @xmax, @ymax, 4490)
UNION ALL
SELECT b.id::bigint, ST_AsBinary(b.label), b.name, b.name_en
  FROM basemap_provinces b
 WHERE b.label && ST_MakeEnvelope(@xmin, @ymin, @xmax, @ymax, 4490)
