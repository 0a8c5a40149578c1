-- On-site visual supervision and the district assessment (issue 15).
--
-- A project's cameras and stream links (扬尘监测 and site cameras), and the
-- last few snapshots each camera system posts, kept in the database so
-- that the product works offline and a backup holds them. The yearly
-- assessment (考核) of the districts: the weights an admin sets for its
-- five items, and the sub-scores an admin enters or overrides, with the
-- reason.

CREATE TABLE project_cameras (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id  bigint NOT NULL REFERENCES projects ON DELETE CASCADE,
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    kind        text NOT NULL CHECK (kind IN ('dust', 'site', 'other')),
    url         text NOT NULL CHECK (length(url) <= 2048 AND url ~* '^(https?|rtsp)://'),
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (project_id, name),
    UNIQUE (id, project_id)
);

-- A snapshot names its camera's project too, so that row security guards
-- it as the project; the foreign key holds the two together.
CREATE TABLE camera_snapshots (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    camera_id     bigint NOT NULL,
    project_id    bigint NOT NULL,
    taken_at      timestamptz NOT NULL DEFAULT now(),
    content_type  text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png')),
    width         integer NOT NULL CHECK (width > 0),
    height        integer NOT NULL CHECK (height > 0),
    size          integer NOT NULL CHECK (size > 0),
    image         bytea NOT NULL CHECK (octet_length(image) = size AND size <= 4194304),
    FOREIGN KEY (camera_id, project_id) REFERENCES project_cameras (id, project_id) ON DELETE CASCADE
);
CREATE INDEX camera_snapshots_camera ON camera_snapshots (camera_id, taken_at DESC, id DESC);
CREATE INDEX camera_snapshots_project ON camera_snapshots (project_id, taken_at DESC);

CREATE TABLE assessment_weights (
    year          smallint PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
    planning      smallint NOT NULL CHECK (planning BETWEEN 0 AND 100),
    attraction    smallint NOT NULL CHECK (attraction BETWEEN 0 AND 100),
    approvals     smallint NOT NULL CHECK (approvals BETWEEN 0 AND 100),
    construction  smallint NOT NULL CHECK (construction BETWEEN 0 AND 100),
    completion    smallint NOT NULL CHECK (completion BETWEEN 0 AND 100),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CHECK (planning + attraction + approvals + construction + completion = 100)
);

CREATE TABLE assessment_overrides (
    year         smallint NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    district_id  smallint NOT NULL REFERENCES districts ON DELETE CASCADE,
    item         text NOT NULL CHECK (item IN ('planning', 'attraction', 'approvals', 'construction', 'completion')),
    score        numeric(5, 2) NOT NULL CHECK (score BETWEEN 0 AND 100),
    reason       text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
    actor        text NOT NULL,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (year, district_id, item)
);

GRANT SELECT, INSERT, UPDATE, DELETE ON project_cameras, camera_snapshots TO onemap_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON assessment_weights, assessment_overrides TO onemap_app;
