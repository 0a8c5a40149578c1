-- The parcels ($1) and parks ($2) of a share link, with every field a
-- link may show (invest.Shared), parcels first, each by id.
SELECT 'parcels' AS layer, p.id, ST_X(ST_PointOnSurface(p.geom)), ST_Y(ST_PointOnSurface(p.geom)),
       p.code, p.name, p.supply_status, p.landuse_code, c.name, k.name,
       round((p.area_m2 * 15 / 10000)::numeric, 2)::float8, p.price::float8,
       CASE WHEN p.plot_ratio_min IS NOT NULL THEN p.plot_ratio_min || '–' || p.plot_ratio_max END,
       array_to_string(p.utilities, ','), NULL, NULL, NULL
  FROM parcels p
  JOIN landuse_classes c ON c.system = p.landuse_system AND c.code = p.landuse_code
  LEFT JOIN parks k ON k.id = p.park_id
 WHERE p.id = ANY ($1)
UNION ALL
SELECT 'parks', p.id, ST_X(ST_PointOnSurface(p.geom)), ST_Y(ST_PointOnSurface(p.geom)),
       NULL, p.name, NULL, NULL, NULL, NULL,
       round((p.area_m2 * 15 / 10000)::numeric, 1)::float8, NULL, NULL, NULL,
       p.level, d.name, array_to_string(p.leading_industries, '、')
  FROM parks p
  JOIN districts d ON d.id = p.district_id
 WHERE p.id = ANY ($2)
 ORDER BY 1, 2
