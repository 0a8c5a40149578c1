package postgis

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/luohe/onemap/access"
)

var _ access.AuditStore = (*DB)(nil)

// Audit returns at most f.Limit audit entries, newest first.
func (db *DB) Audit(ctx context.Context, f access.AuditFilter) ([]access.AuditEntry, error) {
	var from, to *time.Time
	if !f.From.IsZero() {
		from = &f.From
	}
	if !f.To.IsZero() {
		to = &f.To
	}
	rows, err := db.pool.Query(ctx, `SELECT id, at, actor, address, table_name, row_id, action, before, after FROM audit_log
		WHERE ($1 = '' OR actor = $1) AND ($2 = '' OR table_name = $2) AND ($3::timestamptz IS NULL OR at >= $3)
		  AND ($4::timestamptz IS NULL OR at < $4)
		ORDER BY id DESC LIMIT $5`, f.Actor, f.Table, from, to, f.Limit)
	if err != nil {
		return nil, auditError(err)
	}
	es, err := pgx.CollectRows(rows, pgx.RowToStructByPos[access.AuditEntry])
	return es, auditError(err)
}

func auditError(err error) error { return dbError(err, "审计日志", "audit log") }
