-- enclaves. @xmin..@ymax: tile bound with buffer (lon/lat), @zoom: zoom.
SELECT e.id::bigint AS id, ST_AsBinary(e.geom) AS geom, e.name, h.name AS home, g.name AS host,
       e.model, e.agreement_no, round((e.area_m2 * 15 / 10000)::numeric, 1)::float8 AS area_mu
  FROM enclaves e
  JOIN districts h ON h.id = e.home_district_id
  JOIN districts g ON g.id = e.host_district_id
 WHERE e.geom && ST_MakeEnvelope(@xmin, @ymin, @xmax, @ymax, 4490)
