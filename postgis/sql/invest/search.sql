-- A site search (invest.Sites) in one pass over the parcels' search rows
-- (parcel_sites, kept by repeatable/95_site_search.sql): each row's
-- failures as a mask, bit i set when it fails criterion i (in the order
-- of the parameters below; a NULL parameter asks nothing), the rows
-- counted by mask, and the parcels that fail nothing with the values the
-- scores read. The parks of the industry are found once. One row per
-- mask, with no parcel, except the mask 0, which has a row per parcel.
--   bit 0 $1 area_mu_min   1 $2 area_mu_max   2 $3 supply statuses   3 $4 land-use code patterns ('1001%')
--   4 $5 price_max   5 $6 industry   6 $7 plot_ratio_min   7 $8 utilities (bits, as parcel_sites.utilities)
--   8–11 $9–$12 max metres to a highway exit, railway station, high-speed rail station, port
--   12 $13 avoid 永久基本农田   13 $14 avoid 生态保护红线
WITH k AS (
    SELECT array_agg(id) AS ids FROM parks
     WHERE EXISTS (SELECT 1 FROM unnest(leading_industries) i WHERE strpos(i, $6::text) > 0)
), f AS (
    SELECT s.parcel_id AS id,
             CASE WHEN s.area_mu < $1::float8 THEN 1 ELSE 0 END
           | CASE WHEN s.area_mu > $2::float8 THEN 2 ELSE 0 END
           | CASE WHEN s.supply_status <> ALL ($3::text[]) THEN 4 ELSE 0 END
           | CASE WHEN NOT s.landuse_code LIKE ANY ($4::text[]) THEN 8 ELSE 0 END
           | CASE WHEN coalesce(s.price > $5::float8, $5 IS NOT NULL) THEN 16 ELSE 0 END
           | CASE WHEN $6::text IS NOT NULL AND NOT coalesce(s.park_id = ANY (k.ids), false) THEN 32 ELSE 0 END
           | CASE WHEN coalesce(s.plot_ratio < $7::float8, $7 IS NOT NULL) THEN 64 ELSE 0 END
           | CASE WHEN s.utilities & $8::int <> $8 THEN 128 ELSE 0 END
           | CASE WHEN coalesce(s.highway_exit_m > $9::float8, $9 IS NOT NULL) THEN 256 ELSE 0 END
           | CASE WHEN coalesce(s.rail_station_m > $10::float8, $10 IS NOT NULL) THEN 512 ELSE 0 END
           | CASE WHEN coalesce(s.hsr_station_m > $11::float8, $11 IS NOT NULL) THEN 1024 ELSE 0 END
           | CASE WHEN coalesce(s.port_m > $12::float8, $12 IS NOT NULL) THEN 2048 ELSE 0 END
           | CASE WHEN $13::boolean AND s.basic_farmland THEN 4096 ELSE 0 END
           | CASE WHEN $14::boolean AND s.eco_redline THEN 8192 ELSE 0 END AS m
      FROM parcel_sites s
      CROSS JOIN k
), g AS (
    SELECT m, count(*) AS n, array_agg(id) FILTER (WHERE m = 0) AS ids FROM f GROUP BY m
)
SELECT g.m, g.n, ok.*
  FROM g
  LEFT JOIN LATERAL (
    SELECT p.id, p.code, coalesce(p.name, ''), coalesce(k.name, ''), coalesce(k.leading_industries, '{}'),
           p.supply_status, p.landuse_code, coalesce(lc.name, ''), p.area_m2 * 0.0015, p.price::float8,
           coalesce(p.plot_ratio_max, p.plot_ratio_min)::float8, p.utilities,
           s.highway_exit_m, s.rail_station_m, s.hsr_station_m, s.port_m,
           ST_X(ST_PointOnSurface(p.geom)), ST_Y(ST_PointOnSurface(p.geom))
      FROM unnest(g.ids) i(id)
      JOIN parcels p ON p.id = i.id
      LEFT JOIN parcel_sites s ON s.parcel_id = p.id
      LEFT JOIN parks k ON k.id = p.park_id
      LEFT JOIN landuse_classes lc ON lc.system = p.landuse_system AND lc.code = p.landuse_code
  ) ok ON true
