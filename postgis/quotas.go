package postgis

import (
	"context"
	_ "embed"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/land"
)

var _ land.QuotaStore = (*DB)(nil)

//go:embed sql/land/quota_sites.sql
var quotaSitesSQL string

// quotasSQL lists the districts (all: $2 NULL) with their quota of year $1.
const quotasSQL = `
SELECT d.id, d.code, d.name, q.quota_mu::text, coalesce(q.version, 0), coalesce(q.updated_by, ''), q.updated_at
  FROM districts d
  LEFT JOIN quotas q ON q.district_id = d.id AND q.year = $1
 WHERE $2::smallint IS NULL OR d.id = $2
 ORDER BY d.id`

// nullID is id as a query parameter, NULL for 0.
func nullID(id geo.ID) *int64 {
	if id == 0 {
		return nil
	}
	v := int64(id)
	return &v
}

// decOf parses a numeric read as text; nil stays nil.
func decOf(s *string) (*geo.Dec, error) {
	if s == nil {
		return nil, nil
	}
	d, err := geo.ParseDec(*s)
	return &d, err
}

// Quotas returns the districts with their quota of year.
func (db *DB) Quotas(ctx context.Context, p geo.Principal, year int, district geo.ID) ([]land.DistrictQuota, error) {
	var out []land.DistrictQuota
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, quotasSQL, year, nullID(district))
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (land.DistrictQuota, error) {
			q := land.DistrictQuota{Year: year}
			var mu *string
			if err := r.Scan(&q.DistrictID, &q.Code, &q.Name, &mu, &q.Version, &q.UpdatedBy, &q.UpdatedAt); err != nil {
				return q, err
			}
			d, err := decOf(mu)
			q.QuotaMu = d
			return q, err
		})
		if err == nil && district != 0 && len(out) == 0 {
			return pgx.ErrNoRows
		}
		return err
	})
	return out, dbError(err, "县区", "district")
}

// QuotaSites returns the parts of the sites counted in the quotas
// (sql/land/quota_sites.sql), as p may see the projects.
func (db *DB) QuotaSites(ctx context.Context, p geo.Principal, year int, district, project geo.ID) ([]land.QuotaSite, error) {
	var y *int
	if year != 0 {
		y = &year
	}
	var out []land.QuotaSite
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, quotaSitesSQL, y, nullID(district), nullID(project))
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (land.QuotaSite, error) {
			var st land.QuotaSite
			var approved bool
			var enclaveID *int64
			var enclave *string
			err := r.Scan(&st.DistrictID, &st.ProjectID, &st.Name, &st.Stage, &approved, &st.Year, &st.AreaM2, &enclaveID, &enclave)
			if enclaveID != nil && enclave != nil {
				st.EnclaveID, st.Enclave = geo.ID(*enclaveID), *enclave
			}
			st.Status = land.QuotaReserved
			if approved {
				st.Status = land.QuotaAllocated
			}
			return st, err
		})
		return err
	})
	return out, dbError(err, "建设用地指标", "construction-land quota")
}

// PutQuota sets a quota made on version and records the change, in one
// transaction; row security lets the land bureau and admins.
func (db *DB) PutQuota(ctx context.Context, p geo.Principal, c land.QuotaChange, version int) (int, error) {
	var next int
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		var name string
		if err := tx.QueryRow(ctx, "SELECT name FROM districts WHERE id = $1", c.DistrictID).Scan(&name); err != nil {
			return dbError(err, "县区", "district")
		}
		var old *string
		var err error
		if version == 0 {
			err = tx.QueryRow(ctx, `INSERT INTO quotas (district_id, year, quota_mu, version, updated_by, updated_at)
				VALUES ($1, $2, $3, 1, $4, now()) ON CONFLICT (district_id, year) DO NOTHING RETURNING version`,
				c.DistrictID, c.Year, c.NewMu.String(), p.Username).Scan(&next)
			if errors.Is(err, pgx.ErrNoRows) {
				return geo.Errorf(geo.KindConflict, "quota_exists",
					"%s %d 年度的建设用地指标已设置（可能刚由他人设置），请刷新后再修改", "the %[2]d quota of %[1]s is already set (perhaps just now by someone else); reload it and change it",
					name, c.Year)
			}
		} else {
			err = tx.QueryRow(ctx, `UPDATE quotas q SET quota_mu = $4, version = q.version + 1, updated_by = $5, updated_at = now()
				  FROM (SELECT quota_mu FROM quotas WHERE district_id = $1 AND year = $2 FOR UPDATE) old
				 WHERE q.district_id = $1 AND q.year = $2 AND q.version = $3
				RETURNING old.quota_mu::text, q.version`, c.DistrictID, c.Year, version, c.NewMu.String(), p.Username).Scan(&old, &next)
			if errors.Is(err, pgx.ErrNoRows) {
				return geo.Errorf(geo.KindPreconditionFailed, "stale_quota",
					"%s %d 年度的建设用地指标已被他人修改（或尚未设置），请刷新后再修改", "the %[2]d quota of %[1]s was changed by someone else since (or is not set); reload it and change it",
					name, c.Year)
			}
		}
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO quota_changes (district_id, year, old_mu, new_mu, version, reason, changed_by)
			VALUES ($1, $2, $3::numeric, $4::numeric, $5, $6, $7)`, c.DistrictID, c.Year, old, c.NewMu.String(), next, c.Reason, p.Username)
		return err
	})
	return next, dbError(err, "建设用地指标", "construction-land quota")
}

// QuotaChanges returns the history of a district's quota of year.
func (db *DB) QuotaChanges(ctx context.Context, p geo.Principal, district geo.ID, year int) ([]land.QuotaChange, error) {
	var out []land.QuotaChange
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT id, district_id, year, old_mu::text, new_mu::text, version, reason, changed_by, changed_at
			  FROM quota_changes WHERE district_id = $1 AND year = $2 ORDER BY id DESC`, district, year)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (land.QuotaChange, error) {
			var c land.QuotaChange
			var old *string
			var mu string
			if err := r.Scan(&c.ID, &c.DistrictID, &c.Year, &old, &mu, &c.Version, &c.Reason, &c.ChangedBy, &c.ChangedAt); err != nil {
				return c, err
			}
			if c.OldMu, err = decOf(old); err != nil {
				return c, err
			}
			c.NewMu, err = geo.ParseDec(mu)
			return c, err
		})
		return err
	})
	return out, dbError(err, "建设用地指标调整记录", "quota history")
}
