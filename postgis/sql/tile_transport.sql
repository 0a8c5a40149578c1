-- transport: the major kinds at every zoom, the rest from zoom 10.
-- @xmin..@ymax: tile bound with buffer (lon/lat), @zoom: zoom.
SELECT t.id::bigint AS id, ST_AsBinary(t.geom) AS geom, t.kind, t.name, t.ref
  FROM transport t
 WHERE t.geom && ST_MakeEnvelope(@xmin, @ymin, @xmax, @ymax, 4490)
   AND (@zoom >= 10 OR t.kind IN ('expressway', 'railway', 'high_speed_rail', 'high_speed_station',
                               'station', 'river', 'port'))
