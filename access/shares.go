package access

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/luohe/onemap/geo"
)

// Share-link bounds.
const (
	maxShareFeatures = 200 // parcels and parks in one link
	maxShareDays     = 180 // a link's lifetime
	maxUserAgent     = 300 // bytes of a visitor's User-Agent kept
)

// NewShare is a share link to make.
type NewShare struct {
	Title         string
	ParcelIDs     []geo.ID
	ParkIDs       []geo.ID
	Fields        []string
	ExpiresInDays int
	// Password, if not empty, must be given to open the link.
	Password string
	// ConfirmUnofferedPrices confirms that the link shows the prices of
	// parcels not on offer, which are sensitive; the link records it.
	ConfirmUnofferedPrices bool
}

// CreateShare makes a share link, by principal by, and returns its token
// (the only time it is seen) with the link. KindInvalid for a bad title,
// no or too many (over 200) parcels and parks, one that does not exist
// ("unknown_feature": an id out of the ids' range here, the store finds
// the others), a lifetime beyond 1 to 180 days, no fields or one a share
// link may not show, a password of under 6 or over 128 characters, or the
// price of a parcel not on offer without ns.ConfirmUnofferedPrices
// ("unoffered_price", naming the parcels).
func (s *Service) CreateShare(ctx context.Context, by geo.Principal, ns NewShare) (string, Share, error) {
	title := strings.TrimSpace(ns.Title)
	n := len(ns.ParcelIDs) + len(ns.ParkIDs)
	switch {
	case title == "" || utf8.RuneCountInString(title) > 100:
		return "", Share{}, geo.Invalid("bad_title", "标题需为 1–100 个字", "a title has 1 to 100 characters")
	case n == 0:
		return "", Share{}, geo.Invalid("no_features", "请至少选择一个地块或园区", "choose at least one parcel or park")
	case n > maxShareFeatures:
		return "", Share{}, geo.Invalid("too_many_features", "一个链接最多分享 %d 个地块和园区", "a link shares at most %d parcels and parks", maxShareFeatures)
	case ns.ExpiresInDays < 1 || ns.ExpiresInDays > maxShareDays:
		return "", Share{}, geo.Invalid("bad_expiry", "有效期需为 1–%d 天", "the link must expire in 1 to %d days", maxShareDays)
	case len(ns.Fields) == 0:
		return "", Share{}, geo.Invalid("no_fields", "请至少选择一个要展示的字段", "choose at least one field to show")
	}
	for _, id := range slices.Concat(ns.ParcelIDs, ns.ParkIDs) {
		if id <= 0 || id > geo.MaxID {
			return "", Share{}, geo.Invalid("unknown_feature", "所选地块或园区不存在", "a chosen parcel or park does not exist")
		}
	}
	for _, f := range ns.Fields {
		if !slices.Contains(s.shareFields, f) {
			return "", Share{}, geo.Invalid("bad_field", "不能分享字段：%q", "field %q cannot be shared", f)
		}
	}
	if ns.Password != "" && (utf8.RuneCountInString(ns.Password) < 6 || len(ns.Password) > 128) {
		return "", Share{}, geo.Invalid("bad_password", "访问密码需为 6–128 个字符", "a link password has 6 to 128 characters")
	}
	unoffered, err := s.unofferedPrices(ctx, ns)
	if err != nil {
		return "", Share{}, err
	}
	if len(unoffered) > 0 && !ns.ConfirmUnofferedPrices {
		return "", Share{}, &geo.Error{Kind: geo.KindInvalid, Code: "unoffered_price",
			Message:   "以下地块未在供应中，其价格属于敏感信息，请确认后再分享：" + strings.Join(unoffered, "、"),
			MessageEN: "these parcels are not on offer, so their prices are sensitive; confirm to share them: " + strings.Join(unoffered, ", ")}
	}
	var pwHash string
	if ns.Password != "" {
		if pwHash, err = s.hash(ctx, ns.Password); err != nil {
			return "", Share{}, err
		}
	}
	token, hash, err := randomToken(shareTokenPrefix)
	if err != nil {
		return "", Share{}, err
	}
	sh, err := s.st.Shares.CreateShare(ctx, by, Share{
		Title: title, ParcelIDs: ns.ParcelIDs, ParkIDs: ns.ParkIDs, Fields: ns.Fields,
		ExpiresAt: s.set.Now().AddDate(0, 0, ns.ExpiresInDays), ConfirmUnofferedPrices: len(unoffered) > 0,
	}, hash, pwHash)
	if err != nil {
		return "", Share{}, err
	}
	return token, sh, nil
}

// unofferedPrices lists the parcels of a share link to make whose
// prices it would show while they are not on offer.
func (s *Service) unofferedPrices(ctx context.Context, ns NewShare) ([]string, error) {
	priced := slices.ContainsFunc(ns.Fields, func(f string) bool {
		return s.set.Registry.Sensitive("parcels", f) == geo.SensitivePrice
	})
	if !priced || len(ns.ParcelIDs) == 0 {
		return nil, nil
	}
	status, err := s.st.Shares.ParcelSupply(ctx, ns.ParcelIDs)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, id := range ns.ParcelIDs {
		if st, ok := status[id]; ok && !geo.OfferedSupply(st) && !slices.Contains(out, id.String()) {
			out = append(out, id.String())
		}
	}
	return out, nil
}

// ShareFields lists the fields a share link may show.
func (s *Service) ShareFields() []string { return slices.Clone(s.shareFields) }

// Shares lists the share links, newest first.
func (s *Service) Shares(ctx context.Context) ([]Share, error) {
	return s.st.Shares.Shares(ctx)
}

// RevokeShare revokes a share link, by principal by; KindNotFound if there
// is none.
func (s *Service) RevokeShare(ctx context.Context, by geo.Principal, id geo.ID) error {
	return s.st.Shares.RevokeShare(ctx, by, id)
}

// ShareOpens lists the openings of a share link, newest first.
func (s *Service) ShareOpens(ctx context.Context, id geo.ID) ([]ShareOpen, error) {
	return s.st.Shares.ShareOpens(ctx, id)
}

// RecordShareOpen notes an opening of a share link by a visitor.
func (s *Service) RecordShareOpen(ctx context.Context, id geo.ID, address, userAgent string) error {
	if len(userAgent) > maxUserAgent {
		userAgent = userAgent[:maxUserAgent]
	}
	// A header may hold any bytes, and the cut may split a character: the
	// header is only kept, so it is cleaned rather than refused.
	userAgent = geo.CleanText(userAgent)
	return s.st.Shares.RecordShareOpen(ctx, id, address, userAgent)
}

// shareUnavailable is the error of a share link that cannot be opened,
// whatever the reason: nobody learns whether a token ever existed.
func shareUnavailable() error {
	return geo.NotFound("share_unavailable", "分享链接不存在、已过期或已撤销", "the share link does not exist, has expired or was revoked")
}

// liveShare returns the live share link of a token and its password hash
// (empty: none); KindNotFound ("share_unavailable") otherwise.
func (s *Service) liveShare(ctx context.Context, token string) (Share, string, error) {
	if !strings.HasPrefix(token, shareTokenPrefix) || len(token) > 100 {
		return Share{}, "", shareUnavailable()
	}
	sh, pw, err := s.st.Shares.ShareByToken(ctx, HashToken(token))
	if geo.KindOf(err) == geo.KindNotFound {
		return Share{}, "", shareUnavailable()
	}
	return sh, pw, err
}

// OpenShare returns the live share link of a token. A link with a
// password opens only with the token of an unlock (UnlockShare) of that
// link: KindUnauthorized ("share_locked") otherwise, returned with the
// link, whose title may be shown. KindNotFound ("share_unavailable") for a
// link that does not exist, expired or was revoked.
func (s *Service) OpenShare(ctx context.Context, token, unlock string) (Share, error) {
	sh, pw, err := s.liveShare(ctx, token)
	if err != nil || pw == "" {
		return sh, err
	}
	ok := false
	if unlock != "" {
		if ok, err = s.st.Shares.ShareUnlocked(ctx, sh.ID, HashToken(unlock)); err != nil {
			return sh, err
		}
	}
	if !ok {
		return sh, geo.Errorf(geo.KindUnauthorized, "share_locked", "该分享链接需要访问密码", "this share link needs its password")
	}
	return sh, nil
}

// UnlockShare checks the password of the share link of a token, given by
// a visitor at address, and returns the token of the unlock and when it
// ends (a session's lifetime, or the link's end if sooner); an empty token
// for a link without a password. Attempts are throttled per link and per
// address (KindTooMany), counted apart from logins; KindUnavailable if
// the server is too busy to check the password now; a wrong password is
// KindUnauthorized. KindNotFound for a link that cannot be opened.
func (s *Service) UnlockShare(ctx context.Context, token, password, address string) (string, time.Time, error) {
	sh, pw, err := s.liveShare(ctx, token)
	if err != nil || pw == "" {
		return "", time.Time{}, err
	}
	id, err := s.attempt(ctx, Attempt{Kind: UnlockAttempt, Key: "share:" + sh.ID.String(), Address: address,
		PerKey: s.set.UnlockPerLink, PerAddress: s.set.UnlockPerAddress},
		"尝试次数过多，请 %d 分钟后再试", "too many attempts; try again in %d minutes")
	if err != nil {
		return "", time.Time{}, err
	}
	ok, err := s.verify(ctx, pw, password)
	if err == nil && !ok {
		return "", time.Time{}, geo.Errorf(geo.KindUnauthorized, "bad_credentials", "访问密码错误", "wrong password")
	}
	if ferr := s.forget(ctx, id); err == nil {
		err = ferr
	}
	if err != nil {
		return "", time.Time{}, err
	}
	unlock, hash, err := randomToken("")
	if err != nil {
		return "", time.Time{}, err
	}
	expires := s.set.Now().Add(s.set.SessionLifetime)
	if sh.ExpiresAt.Before(expires) {
		expires = sh.ExpiresAt
	}
	if err := s.st.Shares.UnlockShare(ctx, sh.ID, hash, expires); err != nil {
		return "", time.Time{}, err
	}
	return unlock, expires, nil
}
