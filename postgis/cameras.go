package postgis

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/project"
)

// cameraColumns are a camera's columns with its newest snapshot's, for
// scanCamera; c is project_cameras.
const cameraColumns = `c.id, c.project_id, c.name, c.kind, c.url, c.created_at,
	s.id, s.taken_at, s.content_type, s.width, s.height, s.size`

// latestSnapshotJoin joins each camera c to its newest snapshot s.
const latestSnapshotJoin = ` LEFT JOIN LATERAL (SELECT id, taken_at, content_type, width, height, size FROM camera_snapshots
	WHERE camera_id = c.id ORDER BY taken_at DESC, id DESC LIMIT 1) s ON true`

func scanCamera(r pgx.Row) (project.CameraView, error) {
	var c project.CameraView
	var sid *geo.ID
	var taken *time.Time
	var ct *string
	var w, h, size *int
	if err := r.Scan(&c.ID, &c.ProjectID, &c.Name, &c.Kind, &c.URL, &c.CreatedAt, &sid, &taken, &ct, &w, &h, &size); err != nil {
		return c, err
	}
	if sid != nil {
		c.Latest = &project.SnapshotInfo{ID: *sid, TakenAt: *taken, ContentType: *ct, Width: *w, Height: *h, Size: *size}
	}
	return c, nil
}

// seeProject checks that p may see project id: pgx.ErrNoRows if not.
func seeProject(ctx context.Context, tx pgx.Tx, id geo.ID) error {
	var one int
	return tx.QueryRow(ctx, "SELECT 1 FROM projects WHERE id = $1", id).Scan(&one)
}

// Cameras lists a project's cameras by name with their newest snapshots;
// KindNotFound for a project p may not see.
func (db *DB) Cameras(ctx context.Context, p geo.Principal, projectID geo.ID) ([]project.CameraView, error) {
	out := []project.CameraView{}
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		if err := seeProject(ctx, tx, projectID); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, "SELECT "+cameraColumns+" FROM project_cameras c"+latestSnapshotJoin+
			" WHERE c.project_id = $1 ORDER BY c.name, c.id", projectID)
		if err != nil {
			return err
		}
		out, err = pgx.AppendRows(out, rows, func(r pgx.CollectableRow) (project.CameraView, error) { return scanCamera(r) })
		return err
	})
	return out, dbError(err, "项目", "project")
}

// AddCamera adds a camera to a project as p: KindNotFound for a project p
// may not see, KindForbidden for one p may not change, KindConflict
// ("duplicate_camera") for a name the project's cameras have.
func (db *DB) AddCamera(ctx context.Context, p geo.Principal, projectID geo.ID, c project.Camera) (project.CameraView, error) {
	var v project.CameraView
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		if err := seeProject(ctx, tx, projectID); err != nil {
			return err
		}
		var err error
		v, err = scanCamera(tx.QueryRow(ctx, `WITH c AS (INSERT INTO project_cameras (project_id, name, kind, url)
			VALUES ($1, $2, $3, $4) RETURNING *)
			SELECT `+cameraColumns+` FROM c LEFT JOIN camera_snapshots s ON false`, projectID, c.Name, c.Kind, c.URL))
		var pe *pgconn.PgError
		if errors.As(err, &pe) && pe.Code == "23505" {
			return geo.Errorf(geo.KindConflict, "duplicate_camera", "该项目已有名为 %q 的摄像头", "the project already has a camera named %q", c.Name)
		}
		return err
	})
	return v, dbError(err, "项目", "project")
}

// cameraMissing is the error of a write that touched no camera:
// KindNotFound if there is none p may see, else KindForbidden.
func cameraMissing(ctx context.Context, tx pgx.Tx, id geo.ID) error {
	var one int
	if err := tx.QueryRow(ctx, "SELECT 1 FROM project_cameras WHERE id = $1", id).Scan(&one); err != nil {
		return err
	}
	return geo.Errorf(geo.KindForbidden, "forbidden", "无权修改该摄像头", "not allowed to change this camera")
}

// DeleteCamera removes a camera of a project with its snapshots as p;
// KindNotFound for one p may not see, KindForbidden for one p may not
// change.
func (db *DB) DeleteCamera(ctx context.Context, p geo.Principal, projectID, id geo.ID) error {
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, "DELETE FROM project_cameras WHERE project_id = $1 AND id = $2", projectID, id)
		if err == nil && tag.RowsAffected() == 0 {
			if err := seeProject(ctx, tx, projectID); err != nil {
				return err
			}
			return cameraMissing(ctx, tx, id)
		}
		return err
	})
	return dbError(err, "摄像头", "camera")
}

// AddSnapshot keeps a snapshot of camera id as p and drops all but the
// newest keep of its snapshots; errors as DeleteCamera.
func (db *DB) AddSnapshot(ctx context.Context, p geo.Principal, id geo.ID, s project.Snapshot, keep int) (project.SnapshotInfo, error) {
	info := s.SnapshotInfo
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		var projectID geo.ID
		if err := tx.QueryRow(ctx, "SELECT project_id FROM project_cameras WHERE id = $1", id).Scan(&projectID); err != nil {
			return err
		}
		err := tx.QueryRow(ctx, `INSERT INTO camera_snapshots (camera_id, project_id, taken_at, content_type, width, height, size, image)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id, taken_at`,
			id, projectID, s.TakenAt, s.ContentType, s.Width, s.Height, s.Size, s.Image).Scan(&info.ID, &info.TakenAt)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `DELETE FROM camera_snapshots WHERE camera_id = $1 AND id NOT IN
			(SELECT id FROM camera_snapshots WHERE camera_id = $1 ORDER BY taken_at DESC, id DESC LIMIT $2)`, id, keep)
		return err
	})
	return info, dbError(err, "摄像头", "camera")
}

// LatestSnapshot returns camera id's newest snapshot with its image;
// KindNotFound for a camera p may not see or one without snapshots.
func (db *DB) LatestSnapshot(ctx context.Context, p geo.Principal, id geo.ID) (project.Snapshot, error) {
	var s project.Snapshot
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		var one int
		if err := tx.QueryRow(ctx, "SELECT 1 FROM project_cameras WHERE id = $1", id).Scan(&one); err != nil {
			return err
		}
		err := tx.QueryRow(ctx, `SELECT id, taken_at, content_type, width, height, size, image FROM camera_snapshots
			WHERE camera_id = $1 ORDER BY taken_at DESC, id DESC LIMIT 1`, id).
			Scan(&s.ID, &s.TakenAt, &s.ContentType, &s.Width, &s.Height, &s.Size, &s.Image)
		if errors.Is(err, pgx.ErrNoRows) {
			return geo.NotFound("no_snapshot", "该摄像头还没有抓拍", "the camera has no snapshot yet")
		}
		return err
	})
	return s, dbError(err, "摄像头", "camera")
}

// Sites lists the projects under construction p may see, with their
// number of cameras and the newest snapshot of any of them.
func (db *DB) Sites(ctx context.Context, p geo.Principal) ([]project.Site, error) {
	out := []project.Site{}
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT p.id, p.name, d.name, ST_X(p.point), ST_Y(p.point),
				(SELECT count(*) FROM project_cameras c WHERE c.project_id = p.id)::int,
				(SELECT max(s.taken_at) FROM camera_snapshots s WHERE s.project_id = p.id)
			FROM projects p JOIN districts d ON d.id = p.district_id
			WHERE p.stage = 'building' ORDER BY p.id`)
		if err != nil {
			return err
		}
		out, err = pgx.AppendRows(out, rows, func(r pgx.CollectableRow) (project.Site, error) {
			var s project.Site
			err := r.Scan(&s.ID, &s.Name, &s.District, &s.Lon, &s.Lat, &s.Cameras, &s.Latest)
			return s, err
		})
		return err
	})
	return out, dbError(err, "项目", "project")
}
