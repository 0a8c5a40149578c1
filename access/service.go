package access

import (
	"context"
	"slices"
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
	// ThrottleWindow is how far back failed logins and unlocks count (15
	// minutes); ThrottlePerUser (5) and ThrottlePerAddress (20) are how
	// many failures within it refuse further attempts for one account or
	// share link and for one address.
	ThrottleWindow     time.Duration
	ThrottlePerUser    int
	ThrottlePerAddress int
	// ShareFields are the fields a share link may show (none by default).
	ShareFields []string
	// Now is the clock (time.Now).
	Now func() time.Time
}

// Service holds the rules of accounts, sessions, API tokens and share
// links.
type Service struct {
	st        Stores
	set       Settings
	dummyHash string // checked against when a user does not exist
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
	if set.ThrottlePerUser <= 0 {
		set.ThrottlePerUser = 5
	}
	if set.ThrottlePerAddress <= 0 {
		set.ThrottlePerAddress = 20
	}
	if set.Now == nil {
		set.Now = time.Now
	}
	set.ShareFields = slices.Clone(set.ShareFields)
	dummy, err := HashPassword("no such user")
	if err != nil {
		return nil, err
	}
	return &Service{st: st, set: set, dummyHash: dummy}, nil
}

// RetryAfter is how long a caller refused for too many failures waits.
func (s *Service) RetryAfter() time.Duration { return s.set.ThrottleWindow }

// throttled reports whether key (an account or a share link) or address
// failed too often lately: perKey failures of the key, or the per-address
// limit of the address.
func (s *Service) throttled(ctx context.Context, key, address string, perKey int) (bool, error) {
	byKey, byAddr, err := s.st.Failures.LoginFailures(ctx, key, address, s.set.Now().Add(-s.set.ThrottleWindow))
	if err != nil {
		return false, err
	}
	return byKey >= perKey || byAddr >= s.set.ThrottlePerAddress, nil
}

// tooMany is the error of a throttled attempt; zh and en say so with a
// %d for the minutes to wait.
func (s *Service) tooMany(zh, en string) error {
	return geo.Errorf(geo.KindTooMany, "throttled", zh, en, int(s.set.ThrottleWindow.Minutes()))
}

// Audit returns entries of the audit log, newest first: at most
// f.Limit, 200 if it is not 1 to 1000.
func (s *Service) Audit(ctx context.Context, f AuditFilter) ([]AuditEntry, error) {
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 200
	}
	return s.st.Audit.Audit(ctx, f)
}
