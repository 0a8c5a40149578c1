package project

import (
	"bytes"
	"context"
	"fmt"
	"image"

	// JPEG and PNG are the snapshot formats image.Decode reads.
	_ "image/jpeg"
	_ "image/png"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/project/photo"
)

// On-site visual supervision (视频监管): a project holds the links of its
// cameras and streams (the construction bureau's dust-monitoring cameras,
// 扬尘视频监测, or the site's own), and each camera system posts snapshots,
// of which the last KeepSnapshots are kept. A site under construction is
// covered when one of its cameras posted a snapshot within CoverageWindow.

// CameraKinds lists the kinds of a camera.
func CameraKinds() []geo.Label {
	return []geo.Label{
		{ID: "dust", ZH: "扬尘监测摄像头", EN: "Dust-monitoring camera"},
		{ID: "site", ZH: "工地摄像头", EN: "Site camera"},
		{ID: "other", ZH: "其他", EN: "Other"},
	}
}

// Bounds of a camera's fields and of a snapshot.
const (
	MaxCameraName = 100     // characters
	MaxCameraURL  = 2048    // bytes
	MaxSnapshot   = 4 << 20 // bytes of an image
	// MaxSnapshotSide bounds a snapshot's width and height in pixels: a
	// camera's frame is at most 4K (3840 × 2160), and a small file that
	// unpacks into a huge bitmap is refused before it is decoded.
	MaxSnapshotSide = 8192
	// KeepSnapshots is how many snapshots are kept per camera, newest
	// first; older ones are dropped as new ones come.
	KeepSnapshots = 5
	// CoverageWindow is how recent a snapshot must be for its site to
	// count as covered.
	CoverageWindow = 24 * time.Hour
)

// CameraInput is a camera as the API takes it
// (POST /api/projects/{id}/cameras).
type CameraInput struct {
	Name string `json:"name"`
	Kind string `json:"kind"`
	URL  string `json:"url"`
}

// Camera is a checked camera, as the store keeps it.
type Camera struct {
	Name, Kind, URL string
}

// SnapshotInfo describes a snapshot without its image.
type SnapshotInfo struct {
	ID          geo.ID    `json:"id"`
	TakenAt     time.Time `json:"taken_at"`
	ContentType string    `json:"content_type"`
	Width       int       `json:"width"`
	Height      int       `json:"height"`
	Size        int       `json:"size"`
}

// CameraView is a camera as its readers see it, with its latest snapshot
// (nil: none yet). HLS tells a stream the browser may play in a <video>
// (an .m3u8 playlist over HTTP).
type CameraView struct {
	ID        geo.ID        `json:"id"`
	ProjectID geo.ID        `json:"project_id"`
	Name      string        `json:"name"`
	Kind      string        `json:"kind"`
	URL       string        `json:"url"`
	HLS       bool          `json:"hls"`
	CreatedAt time.Time     `json:"created_at"`
	Latest    *SnapshotInfo `json:"latest"`
}

// Snapshot is a checked image with what the store keeps of it.
type Snapshot struct {
	SnapshotInfo
	Image []byte
}

// Site is a project under construction and whether it is covered: one of
// its cameras posted a snapshot within CoverageWindow.
type Site struct {
	ID       geo.ID     `json:"id"`
	Name     string     `json:"name"`
	District string     `json:"district"`
	Lon      float64    `json:"lon"`
	Lat      float64    `json:"lat"`
	Cameras  int        `json:"cameras"`
	Latest   *time.Time `json:"latest"` // the newest snapshot of its cameras
	Covered  bool       `json:"covered"`
}

// Coverage is the camera coverage of the sites under construction.
type Coverage struct {
	WindowHours int    `json:"window_hours"`
	Covered     int    `json:"covered"`
	Uncovered   int    `json:"uncovered"`
	Sites       []Site `json:"sites"`
}

// CameraStore keeps cameras and snapshots; row security as for their
// project (KindNotFound for a project or camera the principal may not
// see, KindForbidden for one it may not change).
type CameraStore interface {
	Cameras(ctx context.Context, p geo.Principal, project geo.ID) ([]CameraView, error)
	AddCamera(ctx context.Context, p geo.Principal, project geo.ID, c Camera) (CameraView, error)
	DeleteCamera(ctx context.Context, p geo.Principal, project, id geo.ID) error
	// AddSnapshot keeps a snapshot of camera id and drops all but the
	// newest keep of its snapshots.
	AddSnapshot(ctx context.Context, p geo.Principal, id geo.ID, s Snapshot, keep int) (SnapshotInfo, error)
	// LatestSnapshot returns camera id's newest snapshot; KindNotFound if
	// it has none.
	LatestSnapshot(ctx context.Context, p geo.Principal, id geo.ID) (Snapshot, error)
	// Sites lists the projects under construction with their cameras'
	// newest snapshot.
	Sites(ctx context.Context, p geo.Principal) ([]Site, error)
}

// Cameras is on-site visual supervision, for the API.
type Cameras struct {
	store CameraStore
	now   func() time.Time
}

// NewCameras returns the service over store.
func NewCameras(store CameraStore) *Cameras { return &Cameras{store: store, now: time.Now} }

// Check checks a camera: KindInvalid naming the field. The URL is an
// absolute http, https or rtsp URL with a host, without user name or
// password (every reader of the project sees it), at most MaxCameraURL
// bytes; HLS streams are http(s) URLs of an .m3u8 playlist.
func (in CameraInput) Check() (Camera, error) {
	c := Camera{Name: strings.TrimSpace(in.Name), Kind: in.Kind, URL: strings.TrimSpace(in.URL)}
	switch n := utf8.RuneCountInString(c.Name); {
	case !geo.ValidText(c.Name) || strings.IndexFunc(c.Name, unicode.IsControl) >= 0:
		return c, inputError("name", "bad_text", "名称含有无效字符", "the name is not valid text")
	case n == 0:
		return c, inputError("name", "required", "请填写摄像头名称", "the name is required")
	case n > MaxCameraName:
		return c, inputError("name", "too_long", fmt.Sprintf("名称不能超过 %d 字", MaxCameraName),
			fmt.Sprintf("the name has at most %d characters", MaxCameraName))
	}
	if !geo.Has(CameraKinds(), c.Kind) {
		return c, inputError("kind", "bad_kind", "类型须为扬尘监测摄像头、工地摄像头或其他", "kind must be dust, site or other")
	}
	return c, checkStreamURL(c.URL)
}

// checkStreamURL checks a camera's URL as CameraInput.Check says.
func checkStreamURL(s string) error {
	switch {
	case !geo.ValidText(s) || strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0:
		return inputError("url", "bad_url", "视频地址含有空白或无效字符", "the URL contains blanks or invalid characters")
	case s == "":
		return inputError("url", "required", "请填写视频地址", "the URL is required")
	case len(s) > MaxCameraURL:
		return inputError("url", "too_long", fmt.Sprintf("视频地址不能超过 %d 个字符", MaxCameraURL),
			fmt.Sprintf("the URL has at most %d characters", MaxCameraURL))
	}
	bad := inputError("url", "bad_url", "视频地址无效：须为 http(s):// 或 rtsp:// 开头的完整地址", "the URL must be a full http(s):// or rtsp:// address")
	u, err := url.Parse(s)
	if err != nil {
		return bad
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https", "rtsp":
	default:
		return inputError("url", "bad_scheme", fmt.Sprintf("不支持的视频地址协议 %q：只接受 http、https、rtsp", u.Scheme),
			fmt.Sprintf("unsupported URL scheme %q: only http, https and rtsp", u.Scheme))
	}
	if u.Host == "" || u.Opaque != "" {
		return bad
	}
	if u.User != nil {
		return inputError("url", "url_credentials", "视频地址不能包含用户名或密码（所有可查看项目的人都能看到该地址）",
			"the URL cannot carry a user name or password (everyone who reads the project sees it)")
	}
	return nil
}

// HLS reports whether a camera's URL is an HLS playlist a browser may
// play: http(s) with a path ending in .m3u8.
func HLS(rawURL string) bool {
	u, err := url.Parse(rawURL)
	if err != nil {
		return false
	}
	s := strings.ToLower(u.Scheme)
	return (s == "http" || s == "https") && strings.HasSuffix(strings.ToLower(u.Path), ".m3u8")
}

// CheckSnapshot checks an uploaded snapshot of the declared content type:
// KindInvalid "empty_image", "image_too_large" (over MaxSnapshot bytes),
// "bad_image_type" (neither JPEG nor PNG, or not what was declared),
// "image_too_big" (a side over MaxSnapshotSide) or "bad_image" (the image
// does not decode).
func CheckSnapshot(contentType string, b []byte) (Snapshot, error) {
	switch {
	case len(b) == 0:
		return Snapshot{}, geo.Invalid("empty_image", "抓拍图片为空", "the snapshot is empty")
	case len(b) > MaxSnapshot:
		return Snapshot{}, geo.Invalid("image_too_large", "抓拍图片不能超过 %d MB", "the snapshot has at most %d MB", MaxSnapshot>>20)
	}
	detected := photo.Sniff(b)
	if detected != photo.JPEG && detected != photo.PNG || detected != contentType {
		return Snapshot{}, geo.Invalid("bad_image_type", "抓拍图片须为 JPEG 或 PNG，且与 Content-Type 一致",
			"the snapshot must be a JPEG or PNG image matching its Content-Type")
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return Snapshot{}, geo.Invalid("bad_image", "抓拍图片无法读取", "the snapshot does not decode")
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > MaxSnapshotSide || cfg.Height > MaxSnapshotSide {
		return Snapshot{}, geo.Invalid("image_too_big", "抓拍图片的宽和高须在 1–%d 像素之间", "the snapshot's sides must be 1 to %d pixels", MaxSnapshotSide)
	}
	if _, _, err := image.Decode(bytes.NewReader(b)); err != nil {
		return Snapshot{}, geo.Invalid("bad_image", "抓拍图片无法读取", "the snapshot does not decode")
	}
	return Snapshot{SnapshotInfo: SnapshotInfo{ContentType: detected, Width: cfg.Width, Height: cfg.Height, Size: len(b)}, Image: b}, nil
}

func withHLS(cs []CameraView) []CameraView {
	for i := range cs {
		cs[i].HLS = HLS(cs[i].URL)
	}
	return cs
}

// List lists a project's cameras with their latest snapshots.
func (s *Cameras) List(ctx context.Context, p geo.Principal, project geo.ID) ([]CameraView, error) {
	cs, err := s.store.Cameras(ctx, p, project)
	return withHLS(cs), err
}

// Add checks and adds a camera to a project: KindInvalid naming the
// field, KindConflict for a name the project's cameras already have.
func (s *Cameras) Add(ctx context.Context, p geo.Principal, project geo.ID, in CameraInput) (CameraView, error) {
	c, err := in.Check()
	if err != nil {
		return CameraView{}, err
	}
	v, err := s.store.AddCamera(ctx, p, project, c)
	if err != nil {
		return v, err
	}
	return withHLS([]CameraView{v})[0], nil
}

// Delete removes a camera of a project with its snapshots.
func (s *Cameras) Delete(ctx context.Context, p geo.Principal, project, id geo.ID) error {
	return s.store.DeleteCamera(ctx, p, project, id)
}

// AddSnapshot checks and keeps a snapshot of camera id (CheckSnapshot's
// errors), taken now.
func (s *Cameras) AddSnapshot(ctx context.Context, p geo.Principal, id geo.ID, contentType string, b []byte) (SnapshotInfo, error) {
	sn, err := CheckSnapshot(contentType, b)
	if err != nil {
		return SnapshotInfo{}, err
	}
	sn.TakenAt = s.now()
	return s.store.AddSnapshot(ctx, p, id, sn, KeepSnapshots)
}

// Latest returns camera id's newest snapshot with its image.
func (s *Cameras) Latest(ctx context.Context, p geo.Principal, id geo.ID) (Snapshot, error) {
	return s.store.LatestSnapshot(ctx, p, id)
}

// Coverage lists the sites under construction p may see, each covered
// when a snapshot of its cameras is at most CoverageWindow old.
func (s *Cameras) Coverage(ctx context.Context, p geo.Principal) (Coverage, error) {
	sites, err := s.store.Sites(ctx, p)
	if err != nil {
		return Coverage{}, err
	}
	c := Coverage{WindowHours: int(CoverageWindow / time.Hour), Sites: sites}
	since := s.now().Add(-CoverageWindow)
	for i := range c.Sites {
		c.Sites[i].Covered = c.Sites[i].Latest != nil && !c.Sites[i].Latest.Before(since)
		if c.Sites[i].Covered {
			c.Covered++
		} else {
			c.Uncovered++
		}
	}
	return c, nil
}
