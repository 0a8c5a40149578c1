-- The server's readiness check (GET /readyz) runs as onemap_app and reads
-- the migration records.
GRANT SELECT ON schema_migrations, schema_repeatables TO onemap_app;
