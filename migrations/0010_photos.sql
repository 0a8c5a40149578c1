-- Photos of the monthly progress reports (issue 15). A photo belongs to
-- a project's month; its metadata (with the position and time its EXIF
-- gave, in CGCS2000 like every geometry) is audited, its bytes (the
-- image with its metadata stripped, and the thumbnail) sit beside it in
-- a table of their own, out of the audit log. JPEG is compressed
-- already: the bytes are stored out of line without TOAST compression.

CREATE TABLE project_photos (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id  bigint NOT NULL REFERENCES projects ON DELETE CASCADE,
    month       date NOT NULL CHECK (extract(day FROM month) = 1),
    media_type  text NOT NULL CHECK (media_type IN ('image/jpeg', 'image/png')),
    width       integer NOT NULL CHECK (width > 0),
    height      integer NOT NULL CHECK (height > 0),
    bytes       integer NOT NULL CHECK (bytes > 0),
    sha256      bytea NOT NULL CHECK (length(sha256) = 32),
    caption     text,
    location    geometry(Point, 4490) CHECK (onemap_geom_ok(location)),
    taken_at    timestamptz,
    created_by  text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX project_photos_project ON project_photos (project_id, month);
CREATE INDEX project_photos_location ON project_photos USING gist (location);

CREATE TABLE project_photo_files (
    photo_id    bigint PRIMARY KEY REFERENCES project_photos ON DELETE CASCADE,
    project_id  bigint NOT NULL REFERENCES projects ON DELETE CASCADE,
    image       bytea NOT NULL,
    thumb       bytea NOT NULL
);
ALTER TABLE project_photo_files ALTER COLUMN image SET STORAGE EXTERNAL, ALTER COLUMN thumb SET STORAGE EXTERNAL;

GRANT SELECT, INSERT, DELETE ON project_photos, project_photo_files TO onemap_app;
