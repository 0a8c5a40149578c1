-- The audit log (table audit_log, 0001_schema.sql). Tables get their
-- audit trigger from onemap_protect (60_protect.sql).

-- Audit: who (onemap.actor, else the database user), from where
-- (onemap.address), what changed. Secrets (password and token hashes)
-- never enter the log, nor do images (a camera snapshot's bytes: the row
-- keeps its size and type).
CREATE OR REPLACE FUNCTION onemap_audit() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    b jsonb;
    a jsonb;
BEGIN
    IF onemap_bulk() THEN
        RETURN NULL;
    END IF;
    -- Each row becomes JSON once (its geometries as GeoJSON: the costly
    -- part of a write).
    IF TG_OP IN ('UPDATE', 'DELETE') THEN b := to_jsonb(OLD); END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN a := to_jsonb(NEW); END IF;
    IF TG_OP = 'UPDATE' AND a = b THEN
        RETURN NULL;
    END IF;
    b := b - 'password_hash' - 'token_hash' - 'image';
    a := a - 'password_hash' - 'token_hash' - 'image';
    INSERT INTO audit_log (actor, address, table_name, row_id, action, before, after)
    VALUES (coalesce(nullif(current_setting('onemap.actor', true), ''), session_user),
            nullif(current_setting('onemap.address', true), ''),
            TG_TABLE_NAME,
            coalesce(a ->> 'id', b ->> 'id', a ->> 'project_id', b ->> 'project_id'),
            lower(TG_OP), b, a);
    RETURN NULL;
END $$;

-- The audit log is append-only.
CREATE OR REPLACE FUNCTION onemap_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE OR REPLACE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION onemap_audit_append_only();
