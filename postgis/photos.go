package postgis

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/project"
)

// photoColumns are the fields of project.PhotoView, the distance to the
// site measured on the ellipsoid to the site if one is drawn, else to the
// project's point.
const photoColumns = `ph.id, ph.project_id, to_char(ph.month, 'YYYY-MM'), ph.media_type, ph.width, ph.height, ph.bytes,
	coalesce(ph.caption, ''), ST_X(ph.location), ST_Y(ph.location), ph.taken_at,
	ST_Distance(ST_SetSRID(ph.location, 4326)::geography, ST_SetSRID(coalesce(p.site, p.point), 4326)::geography),
	ph.created_by, ph.created_at
	FROM project_photos ph JOIN projects p ON p.id = ph.project_id`

func scanPhoto(r pgx.Row) (project.PhotoView, error) {
	var v project.PhotoView
	err := r.Scan(&v.ID, &v.ProjectID, &v.Month, &v.MediaType, &v.Width, &v.Height, &v.Bytes, &v.Caption,
		&v.Lon, &v.Lat, &v.TakenAt, &v.SiteDistance, &v.CreatedBy, &v.CreatedAt)
	return v, err
}

// Photos lists a project's photos by month, oldest first; KindNotFound
// for a project p may not see.
func (db *DB) Photos(ctx context.Context, p geo.Principal, id geo.ID) ([]project.PhotoView, error) {
	out := []project.PhotoView{}
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		var one int
		if err := tx.QueryRow(ctx, "SELECT 1 FROM projects WHERE id = $1", id).Scan(&one); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, "SELECT "+photoColumns+" WHERE ph.project_id = $1 ORDER BY ph.month, ph.id", id)
		if err != nil {
			return err
		}
		out, err = pgx.AppendRows(out, rows, func(r pgx.CollectableRow) (project.PhotoView, error) { return scanPhoto(r) })
		return err
	})
	return out, dbError(err, "项目", "project")
}

// AddPhoto keeps a photo of a project as p, unless its month holds max
// photos already (KindConflict "too_many_photos"): KindNotFound for a
// project p may not see, KindForbidden for one p may not change.
func (db *DB) AddPhoto(ctx context.Context, p geo.Principal, projectID geo.ID, r project.PhotoRecord, max int) (project.PhotoView, error) {
	var (
		v        project.PhotoView
		lon, lat *float64
		taken    *time.Time
		caption  *string
	)
	if r.Location != nil {
		lon, lat = &r.Location[0], &r.Location[1]
	}
	if !r.Taken.IsZero() {
		taken = &r.Taken
	}
	if r.Caption != "" {
		caption = &r.Caption
	}
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		var one int
		if err := tx.QueryRow(ctx, "SELECT 1 FROM projects WHERE id = $1", projectID).Scan(&one); err != nil {
			return err
		}
		// One upload of a month at a time counts the month's photos: the
		// count, a statement of its own, sees those committed before.
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock(3, hashtext($1::bigint::text || ' ' || $2::date::text))", projectID, r.Month); err != nil {
			return err
		}
		// The same photo sent again (its answer lost on a weak signal)
		// is the one kept already.
		var again geo.ID
		err := tx.QueryRow(ctx, "SELECT id FROM project_photos WHERE project_id = $1 AND month = $2 AND sha256 = $3 ORDER BY id LIMIT 1",
			projectID, r.Month, r.Sum[:]).Scan(&again)
		if err == nil {
			v, err = scanPhoto(tx.QueryRow(ctx, "SELECT "+photoColumns+" WHERE ph.id = $1", again))
			return err
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		var n int
		if err := tx.QueryRow(ctx, "SELECT count(*) FROM project_photos WHERE project_id = $1 AND month = $2", projectID, r.Month).Scan(&n); err != nil {
			return err
		}
		if n >= max {
			return &geo.Error{Kind: geo.KindConflict, Code: "too_many_photos", Field: "photo",
				Message:   fmt.Sprintf("该月已有 %d 张照片（最多 %d 张）：请先删除不需要的照片", n, max),
				MessageEN: fmt.Sprintf("this month has %d photos, the most it may have (%d): delete one first", n, max)}
		}
		var id geo.ID
		if err := tx.QueryRow(ctx, `INSERT INTO project_photos
				(project_id, month, media_type, width, height, bytes, sha256, caption, location, taken_at, created_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, ST_SetSRID(ST_MakePoint($9::float8, $10::float8), 4490), $11, $12)
			RETURNING id`, projectID, r.Month, r.MediaType, r.Width, r.Height, len(r.Image), r.Sum[:], caption,
			lon, lat, taken, actor(p)).Scan(&id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO project_photo_files (photo_id, project_id, image, thumb) VALUES ($1, $2, $3, $4)`,
			id, projectID, r.Image, r.Thumb); err != nil {
			return err
		}
		v, err = scanPhoto(tx.QueryRow(ctx, "SELECT "+photoColumns+" WHERE ph.id = $1", id))
		return err
	})
	return v, dbError(err, "照片", "photo")
}

// The queries of a photo's image and of its thumbnail.
const (
	photoImageQuery = `SELECT ph.media_type, f.image, ph.sha256 FROM project_photos ph
		JOIN project_photo_files f ON f.photo_id = ph.id WHERE ph.project_id = $1 AND ph.id = $2`
	photoThumbQuery = `SELECT 'image/jpeg', f.thumb, ph.sha256 FROM project_photos ph
		JOIN project_photo_files f ON f.photo_id = ph.id WHERE ph.project_id = $1 AND ph.id = $2`
)

// PhotoFile returns a photo's image or thumbnail; KindNotFound for a
// photo p may not see.
func (db *DB) PhotoFile(ctx context.Context, p geo.Principal, projectID, id geo.ID, thumb bool) (project.PhotoFile, error) {
	q := photoImageQuery
	if thumb {
		q = photoThumbQuery
	}
	var f project.PhotoFile
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, q, projectID, id).Scan(&f.MediaType, &f.Data, &f.Sum)
	})
	return f, dbError(err, "照片", "photo")
}

// DeletePhoto removes a photo of a project as p: KindNotFound for a
// photo p may not see, KindForbidden for one p may not change.
func (db *DB) DeletePhoto(ctx context.Context, p geo.Principal, projectID, id geo.ID) error {
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, "DELETE FROM project_photos WHERE project_id = $1 AND id = $2", projectID, id)
		if err != nil || tag.RowsAffected() > 0 {
			return err
		}
		var one int
		if err := tx.QueryRow(ctx, "SELECT 1 FROM project_photos WHERE project_id = $1 AND id = $2", projectID, id).Scan(&one); err != nil {
			return err
		}
		return geo.Errorf(geo.KindForbidden, "forbidden", "无权删除该照片", "not allowed to delete this photo")
	})
	return dbError(err, "照片", "photo")
}
