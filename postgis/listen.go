package postgis

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// The channels on which the database announces changes: to tiled data
// (migrations/repeatable/30_tiles.sql) and to credentials — sessions, API
// tokens, accounts (migrations/repeatable/50_auth.sql).
const (
	TileChannel = "onemap_tiles"
	AuthChannel = "onemap_auth"
)

// Listener receives what Listen hears.
type Listener struct {
	// Connected is called whenever the connection is (re)opened:
	// notifications may have been missed while it was down, so the
	// listener drops what it derived from them.
	Connected func()
	// Notify is called with each notification's channel and payload.
	Notify func(channel, payload string)
	// Lost is called when the connection fails; Listen reconnects.
	Lost func(error)
}

// Listen holds a connection that LISTENs on channels until ctx ends, and
// returns ctx's error.
func (db *DB) Listen(ctx context.Context, channels []string, l Listener) error {
	backoff := 100 * time.Millisecond
	for {
		connected := func() {
			backoff = 100 * time.Millisecond // a working connection resets the pause
			l.Connected()
		}
		err := db.listenOnce(ctx, channels, connected, l.Notify)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		l.Lost(err)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 5*time.Second)
	}
}

func (db *DB) listenOnce(ctx context.Context, channels []string, connected func(), notify func(string, string)) error {
	conn, err := pgx.Connect(ctx, db.url)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	for _, ch := range channels {
		if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{ch}.Sanitize()); err != nil {
			return err
		}
	}
	connected()
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		notify(n.Channel, n.Payload)
	}
}
