// Package migrations holds onemap's SQL migrations, embedded into the
// binary and applied by the PostGIS adapter (postgis.DB.Migrate) in two
// kinds:
//
//   - Numbered files, NNNN_name.sql: tables, columns, indexes, grants and
//     data. Each is applied once, in order, in its own transaction, and
//     never changes once landed: the checksum of every applied file is
//     recorded, and a database whose applied file was edited since is
//     refused. A change goes into a new numbered file.
//   - Repeatable files, repeatable/NN_name.sql: functions, triggers and
//     policies, written to be applied again (CREATE OR REPLACE FUNCTION,
//     CREATE OR REPLACE TRIGGER, onemap_protect). After the numbered files,
//     each whose checksum changed since it was last applied is applied again,
//     in name order, in its own transaction. A change is made in place.
//
// The holiday calendar of the joint approval clock ships as data,
// calendar/YYYY.json, one file per year whose official notice
// (国务院办公厅关于部分节假日安排的通知) is published: after the SQL files,
// each year not yet in the database is added from its file (a year already
// there, perhaps edited by an admin, is left as it is).
//
// Numbered files run before any repeatable one, so they must not call what
// the repeatable files define; a function that a table definition needs
// (onemap_geom_ok, onemap_area_m2) lives in a numbered file with the tables.
package migrations

import (
	"embed"
	"io/fs"
)

//go:embed *.sql repeatable/*.sql calendar/*.json
var files embed.FS

// FS returns the migration files: the numbered ones at the top, the
// repeatable ones in repeatable/, the calendar's years in calendar/.
func FS() fs.FS { return files }
