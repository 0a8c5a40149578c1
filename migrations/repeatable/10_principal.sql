-- What the current transaction says about itself. The server's queries run
-- as onemap_app, a role that owns no table and cannot bypass row-level
-- security; migrations and bulk loads run as the owner. Each transaction of
-- the server states whose it is:
--   onemap.actor    the user name (for the audit log)
--   onemap.address  the client's address
--   onemap.roles    the principal's roles, comma separated
--   onemap.district the district of a district user
-- and the policies (60_protect.sql) hold whatever handler forgot.
--
-- A bulk load sets `onemap.bulk = on` for its transaction: row triggers stay
-- quiet, and the loader writes one audit row, regenerates the generalised
-- land use and sends one notification itself.

CREATE OR REPLACE FUNCTION onemap_bulk() RETURNS boolean LANGUAGE sql STABLE AS
$$ SELECT coalesce(current_setting('onemap.bulk', true), '') = 'on' $$;

-- The principal of the current transaction.
CREATE OR REPLACE FUNCTION onemap_roles() RETURNS text[] LANGUAGE sql STABLE AS
$$ SELECT coalesce(string_to_array(nullif(current_setting('onemap.roles', true), ''), ','), '{}') $$;

CREATE OR REPLACE FUNCTION onemap_district() RETURNS smallint LANGUAGE sql STABLE AS
$$ SELECT nullif(current_setting('onemap.district', true), '')::smallint $$;

-- May the principal read the projects of every district? Everyone who
-- reads the map, but a district user.
CREATE OR REPLACE FUNCTION onemap_reads_all() RETURNS boolean LANGUAGE sql STABLE AS
$$ SELECT onemap_roles() && ARRAY['admin', 'leader', 'land', 'investment', 'viewer'] $$;

-- May the principal read the projects of district d? Everyone who reads
-- the map sees every district, except a district user, who sees their own.
CREATE OR REPLACE FUNCTION onemap_reads_district(d smallint) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT onemap_reads_all() OR ('district' = ANY (onemap_roles()) AND d = onemap_district())
$$;

-- May the principal change the projects of district d? Admins anywhere, a
-- district user in their own district only.
CREATE OR REPLACE FUNCTION onemap_writes_district(d smallint) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT 'admin' = ANY (onemap_roles())
        OR ('district' = ANY (onemap_roles()) AND d = onemap_district())
$$;

-- Does the principal hold any of roles?
CREATE OR REPLACE FUNCTION onemap_holds(roles text[]) RETURNS boolean LANGUAGE sql STABLE AS
$$ SELECT onemap_roles() && roles $$;
