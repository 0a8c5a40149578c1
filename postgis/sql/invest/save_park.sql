-- Writes a park: $1 the id (NULL: a new park), $2 the version the change
-- was made on, $3 the outline (WKB), $4.. the fields. Answers the id; no
-- row when the park changed since $2 or row security kept it.
WITH f AS (
    SELECT ST_Multi(ST_SetSRID(ST_GeomFromWKB($3), 4490)) AS g
), ins AS (
    INSERT INTO parks (name, level, district_id, leading_industries, model, utilities, policies, contact_name,
                       contact_phone, geom)
    SELECT $4, $5, $6, $7, $8, $9, $10, $11, $12, f.g
      FROM f
     WHERE $1::integer IS NULL
    RETURNING id
), upd AS (
    UPDATE parks k SET
           name = $4, level = $5, district_id = $6, leading_industries = $7, model = $8, utilities = $9,
           policies = $10, contact_name = $11, contact_phone = $12, geom = f.g,
           version = k.version + 1, updated_at = now()
      FROM f
     WHERE k.id = $1 AND k.version = $2
    RETURNING k.id
)
SELECT id FROM ins UNION ALL SELECT id FROM upd
