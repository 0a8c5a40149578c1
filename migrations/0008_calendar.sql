-- The joint approval (联审联批) and its working-day calendar.
--
-- The calendar holds a year once its official notice (国务院办公厅关于部分
-- 节假日安排的通知) is in: the notice, and each day that differs from the
-- plain week, a holiday (放假) or a make-up working day (调休上班, a weekend
-- day worked). A day not listed is a working day from Monday to Friday.
-- The shipped years come from calendar/YYYY.json (see migrations.go); an
-- admin adds later years and edits days.
CREATE TABLE calendar_years (
    year       integer PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
    notice     text NOT NULL CHECK (length(notice) BETWEEN 1 AND 200),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE calendar_days (
    day  date PRIMARY KEY,
    year integer NOT NULL REFERENCES calendar_years ON DELETE CASCADE,
    kind text NOT NULL CHECK (kind IN ('holiday', 'makeup')),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 20),
    CHECK (year = extract(year FROM day)),
    CHECK (kind = 'holiday' OR extract(isodow FROM day) IN (6, 7))
);
CREATE INDEX calendar_days_year ON calendar_days (year);

-- A project's approval steps, one row per step, from its start to the day
-- it was done (NULL: still open).
CREATE TABLE project_approval_steps (
    project_id bigint NOT NULL REFERENCES projects ON DELETE CASCADE,
    step       text NOT NULL CHECK (step IN ('land', 'filing', 'land_planning', 'environment', 'energy', 'design',
                                             'works_planning', 'drawings', 'construction_permit')),
    started    date NOT NULL,
    finished   date CHECK (finished >= started),
    note       text NOT NULL DEFAULT '' CHECK (length(note) <= 500),
    PRIMARY KEY (project_id, step)
);

GRANT SELECT, INSERT, UPDATE, DELETE ON calendar_years, calendar_days, project_approval_steps TO onemap_app;
