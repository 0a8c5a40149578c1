-- The policy's rhythms over the ledger (issue 15, DOMAIN.md "Key-project
-- supervision"): the reserve pool's quarterly review (储备库季度调整), the
-- three groundbreaking waves a year (集中开工) and heating-season
-- construction (采暖季特许施工).

-- A decision of a quarter's review on a reserve project: promote it to
-- 前期, keep it in the pool, or withdraw it with a reason. The stage change
-- itself goes into project_stages with the project's other moves.
CREATE TABLE pool_decisions (
    year        integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    quarter     smallint NOT NULL CHECK (quarter BETWEEN 1 AND 4),
    project_id  bigint NOT NULL REFERENCES projects ON DELETE CASCADE,
    decision    text NOT NULL CHECK (decision IN ('promote', 'keep', 'withdraw')),
    reason      text CHECK (length(reason) BETWEEN 1 AND 200),
    actor       text NOT NULL,
    at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (year, quarter, project_id),
    CHECK (decision <> 'withdraw' OR reason IS NOT NULL)
);
CREATE INDEX pool_decisions_project ON pool_decisions (project_id);
CREATE INDEX project_stages_at ON project_stages (at);

-- The windows of a year's groundbreaking waves as an admin set them; a
-- year without rows has the defaults (project.DefaultWaves).
CREATE TABLE waves (
    year        integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    wave        smallint NOT NULL CHECK (wave BETWEEN 1 AND 3),
    starts      date NOT NULL,
    ends        date NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (year, wave),
    CHECK (ends >= starts),
    CHECK (extract(year FROM starts) = year AND extract(year FROM ends) = year)
);

-- A project assigned to a wave by hand, whatever its actual start.
CREATE TABLE project_waves (
    project_id  bigint PRIMARY KEY REFERENCES projects ON DELETE CASCADE,
    year        integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    wave        smallint NOT NULL CHECK (wave BETWEEN 1 AND 3)
);
CREATE INDEX project_waves_year ON project_waves (year);
CREATE INDEX projects_actual_start ON projects (actual_start);

-- The dates of a heating season (named by the year it starts in) as an
-- admin set them; a season without a row runs 15 November – 15 March.
CREATE TABLE heating_seasons (
    year        integer PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
    starts      date NOT NULL,
    ends        date NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (ends > starts),
    CHECK (extract(year FROM starts) = year AND extract(year FROM ends) = year + 1)
);

-- A project's construction status in a heating season: stopped, permitted
-- (with the permit's number and scope) or exempt.
CREATE TABLE project_heating (
    project_id  bigint NOT NULL REFERENCES projects ON DELETE CASCADE,
    season      integer NOT NULL CHECK (season BETWEEN 2000 AND 2100),
    status      text NOT NULL CHECK (status IN ('stopped', 'permitted', 'exempt')),
    permit_no   text CHECK (length(permit_no) BETWEEN 1 AND 50),
    scope       text CHECK (length(scope) BETWEEN 1 AND 500),
    actor       text NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, season),
    CHECK (CASE WHEN status = 'permitted' THEN permit_no IS NOT NULL AND scope IS NOT NULL
                ELSE permit_no IS NULL AND scope IS NULL END)
);
CREATE INDEX project_heating_season ON project_heating (season);

GRANT SELECT, INSERT ON pool_decisions TO onemap_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON waves, project_waves, heating_seasons, project_heating TO onemap_app;
