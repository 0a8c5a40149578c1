// Package migrations holds onemap's versioned SQL migrations, embedded into
// the binary. Files are named NNNN_name.sql and applied in order, each once,
// inside a transaction, by the PostGIS adapter.
package migrations

import (
	"embed"
	"io/fs"
)

//go:embed *.sql
var files embed.FS

// FS returns the migration files.
func FS() fs.FS { return files }
