-- Adds the land-use classes a streamed load refers to, keeping those
-- already there. $1: JSON [{"system", "code", "name", "parent",
-- "construction"}].
INSERT INTO landuse_classes (system, code, name, parent, construction)
SELECT c.system, c.code, c.name, nullif(c.parent, ''), c.construction
  FROM jsonb_to_recordset($1::jsonb) AS c(system text, code text, name text, parent text, construction boolean)
ON CONFLICT (system, code) DO NOTHING
