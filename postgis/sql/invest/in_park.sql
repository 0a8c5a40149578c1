-- Whether the park $2 exists and the outline $1 (WKB) lies inside it,
-- sticking out by 1% of its area at most.
WITH g AS (
    SELECT ST_SetSRID(ST_GeomFromWKB($1), 4490) AS g
)
SELECT true, ST_Area(ST_Difference(g.g, k.geom)) <= 0.01 * ST_Area(g.g)
  FROM g, parks k
 WHERE k.id = $2 AND ST_IsValid(g.g)
