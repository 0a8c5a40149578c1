package main

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/luohe/onemap/api"
)

// httpTimeouts bound how long a client may hold a connection.
type httpTimeouts struct {
	// header bounds reading a request's headers.
	header time.Duration
	// request bounds reading a whole request, headers and body. Bodies are
	// JSON of at most 1 MiB; an upload route would set its own deadline
	// with http.ResponseController.
	request time.Duration
	// write bounds a request from its headers to the end of its answer:
	// the handler (its queries each under the statement timeout) and
	// sending the answer.
	write time.Duration
	// idle bounds the wait for the next request on a keep-alive
	// connection.
	idle time.Duration
	// quiet is how long a connection must have been idle, during a
	// shutdown, before it is closed: a client using it sends its next
	// request sooner and is answered with Connection: close instead.
	quiet time.Duration
	// drain bounds the whole shutdown.
	drain time.Duration
}

// defaultTimeouts are the timeouts for queries under statement.
func defaultTimeouts(statement time.Duration) httpTimeouts {
	return httpTimeouts{
		header:  10 * time.Second,
		request: 30 * time.Second,
		// A minute beyond the queries sends the largest answer, the web
		// app's 1.7 MB script, at 230 kbit/s; the largest tiles measured
		// are 164 KB (README, Benchmarks).
		write: statement + time.Minute,
		idle:  2 * time.Minute,
		quiet: 500 * time.Millisecond,
		drain: 10 * time.Second,
	}
}

// httpServer serves HTTP and shuts down without resetting a connection.
//
// net/http's Shutdown closes the listener, then every idle keep-alive
// connection at once, and each busy one after its answer. A client that
// has just had an answer without Connection: close has usually sent its
// next request on that connection already: closed with that request
// unread, the connection goes down with a reset, or the request is lost.
// Measured with 8 keep-alive clients sending back to back (the test
// TestShutdownUnderKeepAliveClients), net/http alone gave 5–6 resets and
// 11–15 lost requests over 5 shutdowns; draining as below, none over 50.
// So a shutdown here stops accepting, then answers every request with
// Connection: close and closes the connection after the answer, and only
// once every connection left has been idle for a while hands them to
// Shutdown.
type httpServer struct {
	hs       *http.Server
	log      *slog.Logger
	timeouts httpTimeouts
	draining atomic.Bool

	mu    sync.Mutex
	conns map[net.Conn]connState
}

type connState struct {
	state http.ConnState
	since time.Time
}

func newHTTPServer(h http.Handler, t httpTimeouts, log *slog.Logger) *httpServer {
	s := &httpServer{log: log, timeouts: t, conns: map[net.Conn]connState{}}
	s.hs = &http.Server{
		Handler:           s.closing(h),
		ReadHeaderTimeout: t.header,
		ReadTimeout:       t.request,
		WriteTimeout:      t.write,
		IdleTimeout:       t.idle,
		ConnState:         s.track,
	}
	return s
}

// closing asks the client to close the connection after each answer
// once the server is draining.
func (s *httpServer) closing(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.draining.Load() {
			w.Header()["Connection"] = []string{"close"}
		}
		h.ServeHTTP(w, r)
	})
}

func (s *httpServer) track(c net.Conn, st http.ConnState) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if st == http.StateClosed || st == http.StateHijacked {
		delete(s.conns, c)
		return
	}
	s.conns[c] = connState{st, time.Now()}
}

// settled reports whether every connection has been waiting for a
// request for the quiet time: none has an answer in flight (which may have
// gone out without Connection: close before the drain began) or has just
// had one, so closing them now cuts no client in the middle of using its
// connection.
func (s *httpServer) settled() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, cs := range s.conns {
		if cs.state == http.StateActive || time.Since(cs.since) < s.timeouts.quiet {
			return false
		}
	}
	return true
}

// serve serves from ln until ctx ends, then drains and shuts down.
func (s *httpServer) serve(ctx context.Context, ln net.Listener) error {
	errc := make(chan error, 1)
	go func() { errc <- s.hs.Serve(api.WholeAnswers(s.hs, ln)) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.log.Info("shutting down")
	dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.timeouts.drain)
	defer cancel()
	// Stop accepting: a new client is refused rather than reset. Serve
	// returns, the connections it accepted go on.
	if err := ln.Close(); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, net.ErrClosed) {
		return err
	}
	s.draining.Store(true)
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for !s.settled() && dctx.Err() == nil {
		select {
		case <-dctx.Done():
		case <-tick.C:
		}
	}
	// Shutdown closes the connections left, idle for the quiet time; should
	// a request come in the meantime, it is answered with Connection: close.
	if err := s.hs.Shutdown(dctx); err != nil {
		s.log.Warn("shutdown: answers in flight cut off", "err", err)
		return errors.Join(err, s.hs.Close())
	}
	return nil
}
