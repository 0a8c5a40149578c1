-- The columns of project $1 changed since version $2: the row as it was at
-- that version (the audit log's "before" of the change that left it, or
-- the "after" of the write that made it) against the row now. NULL when
-- the audit log does not hold that version.
WITH was AS (
    SELECT coalesce(
        (SELECT before FROM audit_log
          WHERE table_name = 'projects' AND row_id = $1::bigint::text AND (before ->> 'version')::int = $2
          ORDER BY id LIMIT 1),
        (SELECT after FROM audit_log
          WHERE table_name = 'projects' AND row_id = $1::bigint::text AND (after ->> 'version')::int = $2
          ORDER BY id DESC LIMIT 1)) AS j
), now AS (
    SELECT to_jsonb(p) AS j FROM projects p WHERE p.id = $1::bigint
)
SELECT CASE WHEN was.j IS NULL THEN NULL
            ELSE coalesce((SELECT array_agg(k ORDER BY k) FROM jsonb_each(now.j) n(k, v)
                            WHERE was.j -> k IS DISTINCT FROM v
                              AND k NOT IN ('version', 'updated_at', 'site_area_m2')), '{}') END
  FROM was, now
