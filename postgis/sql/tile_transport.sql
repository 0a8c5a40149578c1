-- transport: the major kinds at every zoom, the rest from zoom 10.
-- $1..$4: tile bound with buffer (lon/lat), $5: zoom.
SELECT t.id::bigint AS id, ST_AsBinary(t.geom) AS geom, t.kind, t.name, t.ref
  FROM transport t
 WHERE t.geom && ST_MakeEnvelope($1, $2, $3, $4, 4490)
   AND ($5 >= 10 OR t.kind IN ('expressway', 'railway', 'high_speed_rail', 'high_speed_station',
                               'station', 'river', 'port'))
