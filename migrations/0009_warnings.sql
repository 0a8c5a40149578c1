-- Schedule warnings and blockers (issue 15): the thresholds an admin sets
-- (one row), each project's warning level as last assessed (what the
-- project tiles colour by), and what a blocker (协调问题) records beyond
-- its kind and note: the responsible unit, the due date, the status and
-- the resolution.

CREATE TABLE warning_thresholds (
    id          boolean PRIMARY KEY DEFAULT true CHECK (id),
    red_points  integer NOT NULL DEFAULT 30 CHECK (red_points BETWEEN 1 AND 100),
    red_months  integer NOT NULL DEFAULT 3 CHECK (red_months BETWEEN 2 AND 24),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
INSERT INTO warning_thresholds DEFAULT VALUES;

CREATE TABLE project_warnings (
    project_id  bigint PRIMARY KEY REFERENCES projects ON DELETE CASCADE,
    level       text NOT NULL CHECK (level IN ('green', 'yellow', 'red')),
    reason      text NOT NULL DEFAULT '',
    month       date NOT NULL CHECK (extract(day FROM month) = 1)
);

ALTER TABLE project_blockers
    ADD COLUMN responsible_unit text,
    ADD COLUMN due_on           date,
    ADD COLUMN status           text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'resolved')),
    ADD COLUMN resolution       text,
    ADD CONSTRAINT project_blockers_resolved CHECK (status <> 'resolved' OR (resolved_on IS NOT NULL AND resolution IS NOT NULL)),
    ADD CONSTRAINT project_blockers_due CHECK (due_on IS NULL OR due_on >= raised_on);
UPDATE project_blockers SET status = 'resolved', resolution = '已解决' WHERE resolved_on IS NOT NULL;
CREATE INDEX project_blockers_project ON project_blockers (project_id);

GRANT SELECT, UPDATE ON warning_thresholds TO onemap_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON project_warnings TO onemap_app;
