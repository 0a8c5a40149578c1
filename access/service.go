package access

import (
	"context"
	"runtime"
	"time"

	"github.com/luohe/onemap/geo"
)

// Stores are where the Service keeps its data.
type Stores struct {
	Users    UserStore
	Failures FailureStore
	Sessions SessionStore
	Tokens   TokenStore
	Shares   ShareStore
	Audit    AuditStore
}

// Settings tune the Service; a zero field takes its default.
type Settings struct {
	// SessionLifetime is how long a session lasts at most (12 hours), and
	// a share link's unlock too.
	SessionLifetime time.Duration
	// SessionIdle ends a session unused for this long (2 hours).
	SessionIdle time.Duration
	// ThrottleWindow is how far back attempts at a password count (15
	// minutes). ThrottlePerUser (5) and ThrottlePerAddress (20) are how
	// many login attempts within it one account and one address may make;
	// UnlockPerLink (20) and UnlockPerAddress (20) the same for the
	// unlocks of share links, which are counted apart from logins. An
	// attempt counts from before its password is checked; one that
	// succeeds is forgotten.
	ThrottleWindow     time.Duration
	ThrottlePerUser    int
	ThrottlePerAddress int
	UnlockPerLink      int
	UnlockPerAddress   int
	// Hashes is how many password hashes (argon2id, 19 MiB each) are
	// computed at once (GOMAXPROCS); an attempt that finds no free slot
	// within HashWait (2 seconds) is refused as busy (KindUnavailable,
	// with a Retry-After).
	Hashes   int
	HashWait time.Duration
	// Registry says which fields a share link may show and which of them
	// are sensitive (geo.NewRegistry()).
	Registry *geo.Registry
	// Now is the clock (time.Now).
	Now func() time.Time
}

// Service holds the rules of accounts, sessions, API tokens and share
// links.
type Service struct {
	st        Stores
	set       Settings
	slots     chan struct{} // one per password hash being computed
	dummyHash string        // checked against when a user does not exist
	// shareFields are the fields a share link may show: the registry's
	// shareable fields of parcels and parks.
	shareFields []string
}

// New returns a Service over the stores with the settings.
func New(st Stores, set Settings) (*Service, error) {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&set.SessionLifetime, 12*time.Hour)
	def(&set.SessionIdle, 2*time.Hour)
	def(&set.ThrottleWindow, 15*time.Minute)
	def(&set.HashWait, 2*time.Second)
	defN := func(n *int, v int) {
		if *n <= 0 {
			*n = v
		}
	}
	defN(&set.ThrottlePerUser, 5)
	defN(&set.ThrottlePerAddress, 20)
	defN(&set.UnlockPerLink, 20)
	defN(&set.UnlockPerAddress, 20)
	defN(&set.Hashes, runtime.GOMAXPROCS(0))
	if set.Registry == nil {
		set.Registry = geo.NewRegistry()
	}
	if set.Now == nil {
		set.Now = time.Now
	}
	dummy, err := HashPassword("no such user")
	if err != nil {
		return nil, err
	}
	return &Service{st: st, set: set, slots: make(chan struct{}, set.Hashes), dummyHash: dummy,
		shareFields: set.Registry.Shareable("parcels", "parks")}, nil
}

// attempt counts an attempt at a password before the password is checked:
// KindTooMany (with zh and en, which say so with a %d for the minutes to
// wait) if the key or the address already made its attempts within the
// throttle window. The attempt counts as a failure until the caller
// forgets it (forget), which it does unless the password was wrong.
func (s *Service) attempt(ctx context.Context, a Attempt, zh, en string) (int64, error) {
	a.Since = s.set.Now().Add(-s.set.ThrottleWindow)
	id, ok, err := s.st.Failures.Attempt(ctx, a)
	if err != nil || ok {
		return id, err
	}
	e := geo.Errorf(geo.KindTooMany, "throttled", zh, en, int(s.set.ThrottleWindow.Minutes()))
	e.RetryAfter = s.set.ThrottleWindow
	return 0, e
}

// forget takes back an attempt that did not fail, even if the request
// was cancelled meanwhile.
func (s *Service) forget(ctx context.Context, id int64) error {
	return s.st.Failures.ForgetAttempt(context.WithoutCancel(ctx), id)
}

// busyRetry is how long a caller refused as busy waits.
const busyRetry = 2 * time.Second

// hashing runs fn, which computes a password hash, in one of the
// Settings.Hashes slots, so that the memory the hashes hold is bounded by
// the slots, not by the requests. KindUnavailable ("busy") if no slot
// frees within HashWait.
func (s *Service) hashing(ctx context.Context, fn func()) error {
	select {
	case s.slots <- struct{}{}:
	default:
		t := time.NewTimer(s.set.HashWait)
		defer t.Stop()
		select {
		case s.slots <- struct{}{}:
		case <-t.C:
			e := geo.Errorf(geo.KindUnavailable, "busy", "服务器繁忙，请稍后再试", "the server is busy; try again shortly")
			e.RetryAfter = busyRetry
			return e
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	defer func() { <-s.slots }()
	fn()
	return nil
}

// verify reports whether password matches hash, computed in a slot (see
// hashing).
func (s *Service) verify(ctx context.Context, hash, password string) (ok bool, err error) {
	if herr := s.hashing(ctx, func() { ok, err = verifyPassword(hash, password) }); herr != nil {
		return false, herr
	}
	return ok, err
}

// hash returns the hash of password, computed in a slot (see hashing).
func (s *Service) hash(ctx context.Context, password string) (hash string, err error) {
	if herr := s.hashing(ctx, func() { hash, err = HashPassword(password) }); herr != nil {
		return "", herr
	}
	return hash, err
}
