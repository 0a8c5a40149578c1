-- The nearest transport target of each kind of $3 to a parcel or a park
-- ($1: 'parcels' or 'parks', $2: its id), in metres on the ellipsoid.
-- The spatial index (<->, in degrees) gives the 8 nearest candidates of
-- a kind; the ellipsoidal distance picks among them, which is exact
-- unless a degree of longitude and one of latitude differ by more than
-- the gap between the 8th candidate and the nearest (at 33.6°N a degree
-- of longitude is 0.83 of one of latitude).
WITH s AS (
    SELECT geom FROM parcels WHERE $1 = 'parcels' AND id = $2
    UNION ALL
    SELECT geom FROM parks WHERE $1 = 'parks' AND id = $2
)
SELECT k.kind, n.name, n.metres
  FROM s
 CROSS JOIN unnest($3::text[]) AS k(kind)
 CROSS JOIN LATERAL (
       SELECT c.name, ST_Distance(c.geom::geography, s.geom::geography) AS metres
         FROM (SELECT t.name, t.geom FROM transport t WHERE t.kind = k.kind ORDER BY t.geom <-> s.geom LIMIT 8) c
        ORDER BY 2
        LIMIT 1) n
