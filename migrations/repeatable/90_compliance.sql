-- Stale compliance verdicts (project_verdicts, 0015_compliance.sql): a
-- project's verdict goes stale when its site or intended use changes, and
-- every project's whose site meets the extent of the rows a change of a
-- land layer (an import) removed or added.

CREATE OR REPLACE FUNCTION onemap_verdict_project() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO project_verdicts AS v (project_id) VALUES (NEW.id)
    ON CONFLICT (project_id) DO UPDATE SET stale = true, gen = v.gen + 1;
    RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER projects_verdict_ins AFTER INSERT ON projects
    FOR EACH ROW EXECUTE FUNCTION onemap_verdict_project();
CREATE OR REPLACE TRIGGER projects_verdict_upd AFTER UPDATE ON projects
    FOR EACH ROW WHEN (OLD.site IS DISTINCT FROM NEW.site
                       OR OLD.intended_system IS DISTINCT FROM NEW.intended_system
                       OR OLD.intended_code IS DISTINCT FROM NEW.intended_code)
    EXECUTE FUNCTION onemap_verdict_project();

CREATE OR REPLACE FUNCTION onemap_verdict_layer() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    came geometry;
    gone geometry;
BEGIN
    IF TG_OP <> 'DELETE' THEN
        SELECT ST_SetSRID(ST_Extent(geom)::geometry, 4490) INTO came FROM onemap_new;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        SELECT ST_SetSRID(ST_Extent(geom)::geometry, 4490) INTO gone FROM onemap_old;
    END IF;
    UPDATE project_verdicts v SET stale = true, gen = v.gen + 1
      FROM projects p
     WHERE p.id = v.project_id AND p.site IS NOT NULL AND (p.site && came OR p.site && gone);
    RETURN NULL;
END $$;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['landuse', 'control_lines', 'control_zones'] LOOP
        EXECUTE format('CREATE OR REPLACE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS onemap_new
                        FOR EACH STATEMENT EXECUTE FUNCTION onemap_verdict_layer()', t || '_verdict_ins', t);
        EXECUTE format('CREATE OR REPLACE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS onemap_old NEW TABLE AS onemap_new
                        FOR EACH STATEMENT EXECUTE FUNCTION onemap_verdict_layer()', t || '_verdict_upd', t);
        EXECUTE format('CREATE OR REPLACE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS onemap_old
                        FOR EACH STATEMENT EXECUTE FUNCTION onemap_verdict_layer()', t || '_verdict_del', t);
    END LOOP;
END $$;
