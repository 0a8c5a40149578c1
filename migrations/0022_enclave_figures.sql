-- Enclaves (飞地, issue 17): a version for each enclave, so that a change
-- made on an old one is refused (ETag / If-Match), and the annual figures
-- of each key project that the enclaves' shares split between home and
-- host district. A project's investment of a year is the sum of its
-- monthly reports (project_progress.invested); its value added (增加值)
-- and the tax it paid (税收) the investment teams enter here, per year,
-- in 万元.

ALTER TABLE enclaves ADD COLUMN version integer NOT NULL DEFAULT 1;

CREATE TABLE project_figures (
    project_id   bigint NOT NULL REFERENCES projects ON DELETE CASCADE,
    year         smallint NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    value_added  numeric(14, 2) NOT NULL DEFAULT 0 CHECK (value_added >= 0),
    tax          numeric(14, 2) NOT NULL DEFAULT 0 CHECK (tax >= 0),
    actor        text NOT NULL,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, year)
);

GRANT SELECT, INSERT, UPDATE, DELETE ON project_figures TO onemap_app;
