-- The one audit row of a bulk load: $1 actor, $2 what it wrote (JSON).
INSERT INTO audit_log (actor, table_name, action, after)
VALUES ($1, 'dataset', 'insert', $2::jsonb)
