-- The firms that may match a site ($1 'parks' or 'parcels', $2 its id):
-- not landed, with an industry among $3, and the ellipsoidal distance
-- from their headquarters to the site (0 inside it) in km, to 0.1 km.
WITH s AS (
    SELECT geom FROM parks WHERE $1 = 'parks' AND id = $2
    UNION ALL
    SELECT geom FROM parcels WHERE $1 = 'parcels' AND id = $2
)
SELECT f.id, f.name, f.tags, f.industries, f.hq_city, f.stage,
       round((ST_Distance(f.geom::geography, s.geom::geography) / 1000)::numeric, 1)::float8
  FROM firms f, s
 WHERE f.stage <> 'landed' AND f.industries && $3
