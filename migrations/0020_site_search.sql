-- Site search (智能选址, issue 17): what a search asks of every parcel,
-- worked out ahead so that a search over 100,000 parcels reads one row
-- per parcel. The functions and triggers that keep these tables up to
-- date are in repeatable/95_site_search.sql.

-- For each road node and each kind of destination, the length of the
-- shortest way along the roads to the nearest such destination (its last
-- straight leg, from its nearest node, included), in metres.
CREATE TABLE site_reach (
    kind     text NOT NULL CHECK (kind IN ('highway_exit', 'station', 'high_speed_station', 'port')),
    node_id  bigint NOT NULL REFERENCES road_nodes ON DELETE CASCADE,
    metres   double precision NOT NULL CHECK (metres >= 0),
    PRIMARY KEY (kind, node_id)
);

-- For each parcel, one narrow row with all a search reads: a copy of its
-- fields that criteria bound (area in 亩, the highest plot ratio allowed,
-- 七通一平 as bits);
-- the distance to the nearest highway exit, railway station, high-speed
-- rail station and port (metres on the ellipsoid, or along the roads
-- where a road network is loaded; NULL: none of that kind); and whether it
-- touches 永久基本农田 or 生态保护红线.
CREATE TABLE parcel_sites (
    parcel_id       bigint PRIMARY KEY REFERENCES parcels ON DELETE CASCADE,
    park_id         integer,
    supply_status   text,
    landuse_code    text,
    area_mu         double precision,
    price           double precision,
    plot_ratio      double precision,
    utilities       integer,             -- 七通一平 as bits: road 1, power 2, water 4, telecom 8, drainage 16, gas 32, heat 64, levelled 128
    highway_exit_m  double precision,
    rail_station_m  double precision,
    hsr_station_m   double precision,
    port_m          double precision,
    basic_farmland  boolean NOT NULL DEFAULT false,
    eco_redline     boolean NOT NULL DEFAULT false
);

GRANT SELECT ON site_reach, parcel_sites TO onemap_app;
