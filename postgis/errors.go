package postgis

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/luohe/onemap/geo"
)

// dbError translates an error of a store method into a domain error, once,
// at the method's return: no database text reaches a caller. what and
// whatEN name the thing in Chinese and English ("项目", "project").
//
//   - nil stays nil; a domain error (*geo.Error) passes unchanged;
//   - pgx.ErrNoRows is KindNotFound of what ("项目", "用户", …);
//   - a unique violation is KindConflict, other violated constraints and
//     values the column cannot take (bad text, out of range) KindInvalid,
//     an insufficient privilege (row-level security) KindForbidden;
//   - a cancelled request stays the context's error, which the API answers
//     as a client that went away;
//   - the database out of reach (down, restarting, recovering, shutting
//     down, the connection broken) is KindUnavailable: the API answers 503
//     with Retry-After, and the request may be made again;
//   - anything else (a statement timeout, a bug) is an internal error:
//     KindOf says KindInternal, and the API logs its text and answers only
//     "internal error" with a request id.
func dbError(err error, what, whatEN string) error {
	if err == nil {
		return nil
	}
	var de *geo.Error
	if errors.As(err, &de) {
		return err
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return &geo.Error{Kind: geo.KindNotFound, Code: "not_found", Message: what + "不存在", MessageEN: "no such " + whatEN}
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	if unreachable(err) {
		return &geo.Error{Kind: geo.KindUnavailable, Code: "database_unavailable", Message: "数据库暂时不可用，请稍后重试",
			MessageEN: "the database is unavailable for a moment; try again shortly", Err: err}
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505":
			return &geo.Error{Kind: geo.KindConflict, Code: "duplicate", Message: what + "已存在", MessageEN: whatEN + " already exists"}
		case "23502", "23503", "23514", "22P02", "22001", "22003", "22007", "22008", "22021", "22P05", "54000":
			return &geo.Error{Kind: geo.KindInvalid, Code: "invalid", Message: "提交的" + what + "数据无效",
				MessageEN: "invalid " + whatEN + " data", Err: err}
		case "42501":
			return &geo.Error{Kind: geo.KindForbidden, Code: "forbidden", Message: "无权修改该" + what,
				MessageEN: "not allowed to change this " + whatEN, Err: err}
		}
	}
	return fmt.Errorf("%s: %w", whatEN, err)
}

// unreachable reports whether err says that the database cannot be
// reached or went away, rather than that it refused a statement: no
// connection could be made, the connection broke, or the server is
// starting, recovering or shutting down (SQLSTATE class 08, 53300 too
// many connections, 57P01 admin shutdown, 57P02 crash shutdown, 57P03
// cannot connect now). A connection refused for a reason of its own (a
// wrong password, a missing database) is no outage but a configuration
// error.
func unreachable(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "53300", "57P01", "57P02", "57P03":
			return true
		}
		return strings.HasPrefix(pe.Code, "08")
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	return errors.As(err, &ce) || errors.As(err, &ne) || errors.Is(err, pgconn.ErrConnClosed) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
}
