-- Parks as invest.ParkView: one ($1, with its outline when $2) or, with
-- $1 NULL, every park, by id.
SELECT k.id, k.name, k.level, k.district_id, d.name, array_to_string(k.leading_industries, '、'), k.model,
       array_to_string(k.utilities, ','), k.policies, k.contact_name, k.contact_phone,
       round((k.area_m2 * 15 / 10000)::numeric, 1)::float8, CASE WHEN $2 THEN ST_AsGeoJSON(k.geom, 7) END,
       ST_X(ST_PointOnSurface(k.geom)), ST_Y(ST_PointOnSurface(k.geom)), k.version, k.updated_at
  FROM parks k
  JOIN districts d ON d.id = k.district_id
 WHERE $1::integer IS NULL OR k.id = $1
 ORDER BY k.id
