-- Servers keep live credentials in memory for a while; any change to
-- sessions, tokens or accounts tells them to forget (channel onemap_auth).
CREATE OR REPLACE FUNCTION onemap_notify_auth() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('onemap_auth', TG_TABLE_NAME);
    RETURN NULL;
END $$;
CREATE OR REPLACE TRIGGER sessions_auth AFTER UPDATE OF revoked_at, expires_at OR DELETE ON sessions
    FOR EACH STATEMENT EXECUTE FUNCTION onemap_notify_auth();
CREATE OR REPLACE TRIGGER api_tokens_auth AFTER UPDATE OF revoked_at, expires_at, roles OR DELETE ON api_tokens
    FOR EACH STATEMENT EXECUTE FUNCTION onemap_notify_auth();
CREATE OR REPLACE TRIGGER users_auth AFTER UPDATE OR DELETE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION onemap_notify_auth();
