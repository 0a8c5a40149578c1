-- Adds the classification systems a streamed load refers to, keeping
-- those already there. $1: JSON [{"system", "name"}].
INSERT INTO landuse_systems (system, name)
SELECT s.system, s.name
  FROM jsonb_to_recordset($1::jsonb) AS s(system text, name text)
ON CONFLICT (system) DO NOTHING
