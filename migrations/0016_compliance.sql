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
