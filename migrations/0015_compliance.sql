-- The land compliance check (用地合规审查, issue 16): the settings an
-- admin may change (one row): the severity table (the verdict of each
-- rule, land/compliance.go Rules) and the sliver tolerance. NULL severity:
-- DOMAIN.md's table (land.DefaultSeverity).
CREATE TABLE compliance_settings (
    id              boolean PRIMARY KEY DEFAULT true CHECK (id),
    severity        jsonb CHECK (jsonb_typeof(severity) = 'object'),
    tolerance_m2    double precision NOT NULL DEFAULT 1 CHECK (tolerance_m2 BETWEEN 0 AND 1000),
    tolerance_share double precision NOT NULL DEFAULT 0 CHECK (tolerance_share BETWEEN 0 AND 0.05),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
INSERT INTO compliance_settings DEFAULT VALUES;
GRANT SELECT, UPDATE ON compliance_settings TO onemap_app;

-- Each project's latest compliance verdict (what GET /api/land/verdicts
-- lists): NULL verdict for a project without a site. A changed site or
-- intended use, or a land layer changed where the site lies, makes the
-- row stale and bumps gen (repeatable/90_compliance.sql); the server
-- re-checks stale rows in the background and stores the result only if
-- gen is still the one it read. layers: the import id of each land layer
-- the check saw.
CREATE TABLE project_verdicts (
    project_id  bigint PRIMARY KEY REFERENCES projects ON DELETE CASCADE,
    verdict     text CHECK (verdict IN ('blocking', 'conflict', 'conditional', 'warning', 'compliant')),
    report      jsonb,
    layers      jsonb NOT NULL DEFAULT '{}',
    checked_at  timestamptz,
    stale       boolean NOT NULL DEFAULT true,
    gen         integer NOT NULL DEFAULT 0
);
CREATE INDEX project_verdicts_stale ON project_verdicts (project_id) WHERE stale;
INSERT INTO project_verdicts (project_id) SELECT id FROM projects;
GRANT SELECT, INSERT, UPDATE ON project_verdicts TO onemap_app;
