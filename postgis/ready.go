package postgis

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// ready reports whether the cluster accepts connections to its postgres
// database (not merely on its socket: a starting server refuses them).
func (c *Cluster) ready(ctx context.Context) bool {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, c.URL("postgres"))
	if err != nil {
		return false
	}
	_ = conn.Close(ctx)
	return true
}
