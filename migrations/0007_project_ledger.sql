-- The project ledger: each project's stage history (when and by whom a
-- project moved, why it was withdrawn) and the keys that make creating a
-- project safe to retry.

CREATE TABLE project_stages (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id  bigint NOT NULL REFERENCES projects ON DELETE CASCADE,
    from_stage  text CHECK (from_stage IN ('reserve', 'preparing', 'building', 'operating', 'withdrawn')),
    to_stage    text NOT NULL CHECK (to_stage IN ('reserve', 'preparing', 'building', 'operating', 'withdrawn')),
    reason      text,
    actor       text NOT NULL,
    at          timestamptz NOT NULL DEFAULT now(),
    CHECK (to_stage <> 'withdrawn' OR reason IS NOT NULL)
);
CREATE INDEX project_stages_project ON project_stages (project_id, at);

-- Idempotency-Key of a create, per user: the request's fingerprint and the
-- project it made. The row is written first in the creating transaction,
-- so a concurrent retry waits for it and then answers the same project.
CREATE TABLE project_idempotency (
    actor       text NOT NULL,
    key         text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    fingerprint bytea NOT NULL,
    project_id  bigint REFERENCES projects ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (actor, key)
);

-- What changed in a project since a version is read from its audit rows.
CREATE INDEX audit_log_row ON audit_log (table_name, row_id);

GRANT SELECT, INSERT ON project_stages TO onemap_app;
GRANT SELECT, INSERT, UPDATE ON project_idempotency TO onemap_app;
