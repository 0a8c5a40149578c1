-- The sites proposed to the firms $1: parks and parcels, each at a point
-- on it; by firm, parks first.
SELECT fp.firm_id, 'parks', k.id, k.name, ST_X(ST_PointOnSurface(k.geom)), ST_Y(ST_PointOnSurface(k.geom))
  FROM firm_parks fp JOIN parks k ON k.id = fp.park_id
 WHERE fp.firm_id = ANY ($1)
UNION ALL
SELECT fp.firm_id, 'parcels', p.id, coalesce(p.name, p.code), ST_X(ST_PointOnSurface(p.geom)), ST_Y(ST_PointOnSurface(p.geom))
  FROM firm_parcels fp JOIN parcels p ON p.id = fp.parcel_id
 WHERE fp.firm_id = ANY ($1)
 ORDER BY 1, 2 DESC, 3
