-- Writes a firm: $1 the id (NULL: a new firm), $2 the version the change
-- was made on, $3.. its fields, $11 the headquarters as WKB. Answers the
-- id; no row when the firm changed since $2 (or there is none).
WITH ins AS (
    INSERT INTO firms (name, tags, industries, hq_city, stage, responsible, contact_name, contact_phone, geom)
    SELECT $3, $4, $5, $6, $7, $8, $9, $10, ST_SetSRID(ST_GeomFromWKB($11), 4490)
     WHERE $1::integer IS NULL
    RETURNING id
), upd AS (
    UPDATE firms f SET name = $3, tags = $4, industries = $5, hq_city = $6, stage = $7, responsible = $8,
           contact_name = $9, contact_phone = $10, geom = ST_SetSRID(ST_GeomFromWKB($11), 4490),
           version = f.version + 1, updated_at = now()
     WHERE f.id = $1 AND f.version = $2
    RETURNING f.id
)
SELECT id FROM ins UNION ALL SELECT id FROM upd
