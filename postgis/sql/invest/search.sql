-- A site search (invest.Sites): every parcel checked against each
-- criterion asked (a NULL parameter asks nothing), the number each
-- criterion leaves out, and the parcels that pass them all with the
-- values the scores read, in one pass over the parcels' search rows
-- (parcel_sites, kept by repeatable/95_site_search.sql); the parks of the
-- industry are found once. The first row carries the counts; it has no parcel when none
-- passes.
--   $1 area_mu_min   $2 area_mu_max   $3 supply statuses   $4 land-use code patterns ('1001%')
--   $5 price_max     $6 industry      $7 plot_ratio_min    $8 utilities
--   $9–$12 max metres to a highway exit, railway station, high-speed rail station, port
--   $13 avoid 永久基本农田   $14 avoid 生态保护红线
WITH k AS (
    SELECT array_agg(id) AS ids FROM parks
     WHERE EXISTS (SELECT 1 FROM unnest(leading_industries) i WHERE strpos(i, $6::text) > 0)
), f AS (
    SELECT s.parcel_id AS id,
           $1::float8 IS NOT NULL AND s.area_mu < $1 AS x_area_min,
           $2::float8 IS NOT NULL AND s.area_mu > $2 AS x_area_max,
           $3::text[] IS NOT NULL AND s.supply_status <> ALL ($3) AS x_supply,
           $4::text[] IS NOT NULL AND NOT s.landuse_code LIKE ANY ($4) AS x_landuse,
           $5::numeric IS NOT NULL AND coalesce(s.price > $5, true) AS x_price,
           $6::text IS NOT NULL AND NOT coalesce(s.park_id = ANY (k.ids), false) AS x_industry,
           $7::numeric IS NOT NULL AND coalesce(s.plot_ratio < $7, true) AS x_plot_ratio,
           $8::text[] IS NOT NULL AND NOT s.utilities @> $8 AS x_utilities,
           $9::float8 IS NOT NULL AND coalesce(s.highway_exit_m > $9, true) AS x_highway_exit,
           $10::float8 IS NOT NULL AND coalesce(s.rail_station_m > $10, true) AS x_rail_station,
           $11::float8 IS NOT NULL AND coalesce(s.hsr_station_m > $11, true) AS x_hsr_station,
           $12::float8 IS NOT NULL AND coalesce(s.port_m > $12, true) AS x_port,
           $13::boolean AND coalesce(s.basic_farmland, false) AS x_basic_farmland,
           $14::boolean AND coalesce(s.eco_redline, false) AS x_eco_redline
      FROM parcel_sites s
      CROSS JOIN k
), c AS (
    SELECT count(*) AS total,
           count(*) FILTER (WHERE x_area_min) AS area_mu_min, count(*) FILTER (WHERE x_area_max) AS area_mu_max,
           count(*) FILTER (WHERE x_supply) AS supply_status, count(*) FILTER (WHERE x_landuse) AS landuse_code,
           count(*) FILTER (WHERE x_price) AS price_max, count(*) FILTER (WHERE x_industry) AS industry,
           count(*) FILTER (WHERE x_plot_ratio) AS plot_ratio_min, count(*) FILTER (WHERE x_utilities) AS utilities,
           count(*) FILTER (WHERE x_highway_exit) AS highway_exit, count(*) FILTER (WHERE x_rail_station) AS rail_station,
           count(*) FILTER (WHERE x_hsr_station) AS hsr_station, count(*) FILTER (WHERE x_port) AS port,
           count(*) FILTER (WHERE x_basic_farmland) AS basic_farmland, count(*) FILTER (WHERE x_eco_redline) AS eco_redline,
           array_agg(id) FILTER (WHERE NOT (x_area_min OR x_area_max OR x_supply OR x_landuse OR x_price OR x_industry
                                            OR x_plot_ratio OR x_utilities OR x_highway_exit OR x_rail_station OR x_hsr_station
                                            OR x_port OR x_basic_farmland OR x_eco_redline)) AS ids
      FROM f
)
SELECT c.total, c.area_mu_min, c.area_mu_max, c.supply_status, c.landuse_code, c.price_max, c.industry, c.plot_ratio_min,
       c.utilities, c.highway_exit, c.rail_station, c.hsr_station, c.port, c.basic_farmland, c.eco_redline, ok.*
  FROM c
  LEFT JOIN LATERAL (
    SELECT p.id, p.code, coalesce(p.name, ''), coalesce(k.name, ''), coalesce(k.leading_industries, '{}'),
           p.supply_status, p.landuse_code, coalesce(lc.name, ''), p.area_m2 * 0.0015, p.price::float8,
           coalesce(p.plot_ratio_max, p.plot_ratio_min)::float8, p.utilities,
           s.highway_exit_m, s.rail_station_m, s.hsr_station_m, s.port_m,
           ST_X(ST_PointOnSurface(p.geom)), ST_Y(ST_PointOnSurface(p.geom))
      FROM unnest(c.ids) i(id)
      JOIN parcels p ON p.id = i.id
      LEFT JOIN parcel_sites s ON s.parcel_id = p.id
      LEFT JOIN parks k ON k.id = p.park_id
      LEFT JOIN landuse_classes lc ON lc.system = p.landuse_system AND lc.code = p.landuse_code
  ) ok ON true
