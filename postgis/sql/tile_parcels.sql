-- parcels. Below zoom 11, where a parcel is a few pixels, only what the map
-- draws and a click names: status, land use and park; the rest (most of the
-- bytes: codes, names, areas, prices are unique to each parcel) from 11.
-- @xmin..@ymax: tile bound with buffer (lon/lat), @zoom: zoom,
-- @supply_status supply statuses (NULL: any), @share_parcels the parcels of a
-- share link (NULL: not a share link).
SELECT p.id, ST_AsBinary(p.geom) AS geom, d.code, d.name, p.supply_status, p.landuse_code,
       c.name AS landuse_name, k.name AS park, d.area_mu, d.price, d.plot_ratio, d.utilities
  FROM parcels p
  JOIN landuse_classes c ON c.system = p.landuse_system AND c.code = p.landuse_code
  LEFT JOIN parks k ON k.id = p.park_id
  LEFT JOIN LATERAL (
        SELECT p.code, p.name, round((p.area_m2 * 15 / 10000)::numeric, 2)::float8 AS area_mu,
               p.price::float8 AS price,
               CASE WHEN p.plot_ratio_min IS NOT NULL THEN p.plot_ratio_min || '–' || p.plot_ratio_max END AS plot_ratio,
               array_to_string(p.utilities, ',') AS utilities
         WHERE @zoom >= 11) d ON true
 WHERE p.geom && ST_MakeEnvelope(@xmin, @ymin, @xmax, @ymax, 4490)
   AND (@supply_status::text[] IS NULL OR p.supply_status = ANY (@supply_status))
   AND (@share_parcels::bigint[] IS NULL OR p.id = ANY (@share_parcels))
