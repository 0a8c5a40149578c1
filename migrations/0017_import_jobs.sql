-- Land imports are jobs that outlive the server that runs them
-- (land/importer.go, postgis/imports.go). The server that runs an import
-- holds it with a session advisory lock (class 4, key the import's id) on
-- a connection of its own, taken before the import is marked running and
-- let go once its end is recorded. A server killed mid-import (kill -9, a
-- crash, the machine lost) lets go of the lock with its connections and its
-- transaction rolls back, leaving the old layer: a running import that no
-- one holds is dead, and the next server to start, or anyone asking after
-- it, marks it failed and deletes its files (sql/land/import_reap.sql).
ALTER TABLE land_imports
    ADD COLUMN runner      text,        -- host and process id of the server that runs it
    ADD COLUMN started_at  timestamptz,
    ADD COLUMN progress_at timestamptz; -- when its progress was last recorded
