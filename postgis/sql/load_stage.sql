-- Staging of a bulk load (postgis/load.go): one temporary table per table
-- with geometries, which arrive as WKB (bytea) through COPY and are
-- checked on the way into the real tables. Dropped at commit.

CREATE TEMP TABLE load_districts (
    id smallint, code text, name text, kind text, seat bytea, geom bytea
) ON COMMIT DROP;

CREATE TEMP TABLE load_parks (
    id integer, name text, level text, district_id smallint, leading_industries text[], model text, geom bytea
) ON COMMIT DROP;

CREATE TEMP TABLE load_parcels (
    id bigint, code text, name text, district_id smallint, park_id integer, supply_status text,
    landuse_system text, landuse_code text, price numeric, plot_ratio_min numeric, plot_ratio_max numeric,
    building_density numeric, green_ratio numeric, investment_intensity numeric, tax_per_mu numeric,
    utilities text[], geom bytea
) ON COMMIT DROP;

CREATE TEMP TABLE load_projects (
    id bigint, code text, name text, stage text, category text, district_id smallint, leader text,
    responsible_unit text, owner text, owner_contact text, industry text, total_investment numeric,
    annual_plan numeric, planned_start date, planned_finish date, actual_start date, actual_finish date,
    intended_system text, intended_code text, withdrawn_reason text, site bytea, point bytea
) ON COMMIT DROP;

CREATE TEMP TABLE load_landuse (
    id bigint, system text, code text, plan text, geom bytea
) ON COMMIT DROP;

CREATE TEMP TABLE load_control_lines (
    id integer, kind text, name text, district_id smallint, geom bytea
) ON COMMIT DROP;

CREATE TEMP TABLE load_control_zones (
    id integer, code text, plan text, geom bytea
) ON COMMIT DROP;

CREATE TEMP TABLE load_enclaves (
    id integer, name text, home_district_id smallint, host_district_id smallint, agreement_no text,
    agreement_date date, term_years smallint, model text, quota_district_id smallint, geom bytea
) ON COMMIT DROP;

CREATE TEMP TABLE load_firms (
    id integer, name text, tags text[], industries text[], hq_city text, stage text, responsible text,
    contact_name text, contact_phone text, geom bytea
) ON COMMIT DROP;

CREATE TEMP TABLE load_transport (
    id integer, kind text, name text, ref text, geom bytea
) ON COMMIT DROP;

-- An area geometry from WKB: valid ones as they are, invalid ones made
-- valid, keeping only their polygons; always a MultiPolygon in CGCS2000.
CREATE OR REPLACE FUNCTION pg_temp.onemap_load_area(b bytea) RETURNS geometry
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN ST_IsValid(g) THEN ST_Multi(g)
                ELSE ST_Multi(ST_CollectionExtract(ST_MakeValid(g), 3)) END
      FROM (SELECT ST_GeomFromWKB(b, 4490) AS g) s
$$;

-- Any geometry from WKB, made valid if it is not: polygons stay polygons.
CREATE OR REPLACE FUNCTION pg_temp.onemap_load_any(b bytea) RETURNS geometry
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN ST_IsValid(g) THEN g
                WHEN ST_Dimension(g) = 2 THEN ST_CollectionExtract(ST_MakeValid(g), 3)
                ELSE ST_MakeValid(g) END
      FROM (SELECT ST_GeomFromWKB(b, 4490) AS g) s
$$;

-- Is the WKB geometry invalid (and will be repaired)?
CREATE OR REPLACE FUNCTION pg_temp.onemap_load_invalid(b bytea) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT b IS NOT NULL AND NOT ST_IsValid(ST_GeomFromWKB(b, 4490))
$$;
