-- Tile invalidation through NOTIFY. Tables get their tile triggers from
-- onemap_protect (60_protect.sql).

-- The smallest box holding both boxes; NULL is the empty box.
CREATE OR REPLACE FUNCTION onemap_box_union(a box2d, b box2d) RETURNS box2d LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN a IS NULL THEN b WHEN b IS NULL THEN a
                ELSE ST_MakeBox2D(ST_MakePoint(least(ST_XMin(a), ST_XMin(b)), least(ST_YMin(a), ST_YMin(b))),
                                  ST_MakePoint(greatest(ST_XMax(a), ST_XMax(b)), greatest(ST_YMax(a), ST_YMax(b)))) END
$$;

-- Tile invalidation: one notification per statement on channel
-- onemap_tiles, {"layers": [...], "bbox": [xmin, ymin, xmax, ymax]}, with the
-- extent of the rows before and after the change. TG_ARGV[0] lists the
-- affected layers (comma separated), TG_ARGV[1..] the geometry columns.
CREATE OR REPLACE FUNCTION onemap_notify_tiles() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    col  text;
    ext  box2d;
    part box2d;
BEGIN
    IF onemap_bulk() THEN
        RETURN NULL;
    END IF;
    FOR i IN 1 .. TG_NARGS - 1 LOOP
        col := TG_ARGV[i];
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            EXECUTE format('SELECT ST_Extent(%I)::box2d FROM onemap_new', col) INTO part;
            ext := onemap_box_union(ext, part);
        END IF;
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            EXECUTE format('SELECT ST_Extent(%I)::box2d FROM onemap_old', col) INTO part;
            ext := onemap_box_union(ext, part);
        END IF;
    END LOOP;
    IF ext IS NULL AND TG_NARGS > 1 THEN
        RETURN NULL; -- no geometry changed place: nothing rendered moved
    END IF;
    PERFORM onemap_notify_layers(string_to_array(TG_ARGV[0], ','), ext);
    RETURN NULL;
END $$;

-- The invalidation message of layers over a box (NULL: everywhere).
CREATE OR REPLACE FUNCTION onemap_tiles_message(layers text[], ext box2d) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT json_build_object(
        'layers', layers,
        'bbox', CASE WHEN ext IS NULL THEN NULL
                     ELSE json_build_array(ST_XMin(ext), ST_YMin(ext), ST_XMax(ext), ST_YMax(ext)) END)::text
$$;

-- Sends the invalidation of layers over a box (NULL: everywhere), and
-- keeps the union of the transaction's invalidations in the setting
-- onemap.tiles (same message, until the transaction ends): the writing
-- server reads it before committing and drops its cached tiles before it
-- answers, while the notification reaches the other servers.
CREATE OR REPLACE FUNCTION onemap_notify_layers(layers text[], ext box2d) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    prev json := nullif(current_setting('onemap.tiles', true), '')::json;
BEGIN
    PERFORM pg_notify('onemap_tiles', onemap_tiles_message(layers, ext));
    IF prev IS NOT NULL THEN
        layers := ARRAY(SELECT DISTINCT l FROM unnest(layers || ARRAY(SELECT json_array_elements_text(prev->'layers'))) l ORDER BY l);
        ext := CASE WHEN ext IS NULL OR json_typeof(prev->'bbox') <> 'array' THEN NULL
                    ELSE onemap_box_union(ext, ST_MakeBox2D(ST_MakePoint((prev->'bbox'->>0)::float8, (prev->'bbox'->>1)::float8),
                                                            ST_MakePoint((prev->'bbox'->>2)::float8, (prev->'bbox'->>3)::float8))) END;
    END IF;
    PERFORM set_config('onemap.tiles', onemap_tiles_message(layers, ext), true);
END $$;
