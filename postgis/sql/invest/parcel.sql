-- Parcels as invest.ParcelView: one ($1, with its outline when $2) or,
-- with $1 NULL, every parcel (of the park $3 if not NULL), by id.
SELECT p.id, p.code, p.name, p.district_id, d.name, p.park_id, k.name, p.supply_status,
       p.landuse_system, p.landuse_code, c.name, p.area_m2, round((p.area_m2 * 15 / 10000)::numeric, 2)::float8,
       p.price::text, p.plot_ratio_min::text, p.plot_ratio_max::text,
       CASE WHEN p.plot_ratio_min IS NOT NULL THEN p.plot_ratio_min || '–' || p.plot_ratio_max END,
       p.building_density::text, p.green_ratio::text, p.investment_intensity::text, p.tax_per_mu::text,
       array_to_string(p.utilities, ','), CASE WHEN $2 THEN ST_AsGeoJSON(p.geom, 7) END,
       ST_X(ST_PointOnSurface(p.geom)), ST_Y(ST_PointOnSurface(p.geom)), p.version, p.updated_at
  FROM parcels p
  JOIN landuse_classes c ON c.system = p.landuse_system AND c.code = p.landuse_code
  LEFT JOIN districts d ON d.id = p.district_id
  LEFT JOIN parks k ON k.id = p.park_id
 WHERE ($1::bigint IS NULL OR p.id = $1) AND ($3::integer IS NULL OR p.park_id = $3)
 ORDER BY p.id
