package project

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/project/photo"
)

// The limits of a monthly report's photos.
const (
	// MaxPhotoBytes bounds one photo's upload: 10 MiB.
	MaxPhotoBytes = 10 << 20
	// MaxPhotos bounds the photos of one project's month.
	MaxPhotos = 20
	// MaxCaption bounds a photo's caption, in characters.
	MaxCaption = 200
	// FarFromSite is how far from the project's site (or its point, while
	// none is drawn) a photo may be taken, in metres, before the reviewer
	// is told: it is kept, and flagged.
	FarFromSite = 1000.0
)

// PhotoView is a photo of a monthly report as its readers see it.
type PhotoView struct {
	ID        geo.ID `json:"id"`
	ProjectID geo.ID `json:"project_id"`
	Month     string `json:"month"` // YYYY-MM
	MediaType string `json:"media_type"`
	Width     int    `json:"width"`
	Height    int    `json:"height"`
	Bytes     int    `json:"bytes"`
	Caption   string `json:"caption"`
	// Lon and Lat are where the photo was taken (its EXIF GPS position);
	// nil: unknown.
	Lon *float64 `json:"lon"`
	Lat *float64 `json:"lat"`
	// TakenAt is when it was taken (its EXIF); nil: unknown.
	TakenAt *time.Time `json:"taken_at"`
	// SiteDistance is how far from the project's site it was taken, in
	// metres (0 on the site); nil without a position.
	SiteDistance *float64 `json:"site_distance_m"`
	// FarFromSite: taken more than FarFromSite metres from the site; for
	// the reviewer to look at.
	FarFromSite bool      `json:"far_from_site"`
	CreatedBy   string    `json:"created_by"`
	CreatedAt   time.Time `json:"created_at"`
}

// PhotoRecord is a checked and cleaned photo, as the store keeps it.
type PhotoRecord struct {
	Month   time.Time // first day
	Caption string
	Sum     [sha256.Size]byte // of Image
	photo.Photo
}

// PhotoFile is a photo's image or thumbnail.
type PhotoFile struct {
	MediaType string
	Data      []byte
	// Sum is the SHA-256 of the photo's image: what its ETag is made of.
	Sum []byte
}

// PhotoStore keeps the photos of monthly reports; row security as for
// the project (KindNotFound for a project or photo p may not see).
type PhotoStore interface {
	// Photos lists a project's photos, oldest first.
	Photos(ctx context.Context, p geo.Principal, project geo.ID) ([]PhotoView, error)
	// AddPhoto keeps a photo of project unless its month has max photos
	// already (KindConflict "too_many_photos").
	AddPhoto(ctx context.Context, p geo.Principal, project geo.ID, r PhotoRecord, max int) (PhotoView, error)
	// PhotoFile returns a photo's image, or its thumbnail.
	PhotoFile(ctx context.Context, p geo.Principal, project, id geo.ID, thumb bool) (PhotoFile, error)
	// DeletePhoto removes a photo.
	DeletePhoto(ctx context.Context, p geo.Principal, project, id geo.ID) error
}

// Upload is a photo as it was sent.
type Upload struct {
	Data    []byte
	Caption string
}

// Check checks an upload's caption and cleans its image (photo.Clean):
// KindInvalid with the field ("photo" or "caption") and what is wrong.
func (u Upload) Check(month time.Time) (PhotoRecord, error) {
	r := PhotoRecord{Month: month, Caption: strings.TrimSpace(u.Caption)}
	switch {
	case !geo.ValidText(r.Caption):
		return r, inputError("caption", "bad_text", "照片说明含有无效字符：须为 UTF-8 文本，且不含 NUL 字符",
			"the caption is not valid text: it must be UTF-8 without NUL characters")
	case utf8.RuneCountInString(r.Caption) > MaxCaption:
		return r, CaptionTooLong()
	case len(u.Data) == 0:
		return r, inputError("photo", "photo_required", "请选择照片（JPEG 或 PNG）", "choose a photo (JPEG or PNG)")
	case len(u.Data) > MaxPhotoBytes:
		return r, PhotoTooLarge()
	}
	p, err := photo.Clean(u.Data, geo.CityZone())
	var ue *photo.UnsupportedError
	switch {
	case errors.As(err, &ue):
		return r, inputError("photo", "unsupported_image", fmt.Sprintf("不支持 %s 格式的图片：请上传 JPEG 或 PNG 照片", ue.Format),
			fmt.Sprintf("%s images are not taken: upload a JPEG or PNG photo", ue.Format))
	case errors.Is(err, photo.ErrTooManyPixels):
		return r, inputError("photo", "too_many_pixels", fmt.Sprintf("照片像素过多（最多 %d 万像素）", photo.MaxPixels/10000),
			fmt.Sprintf("the photo has too many pixels (at most %d megapixels)", photo.MaxPixels/1_000_000))
	case err != nil:
		return r, inputError("photo", "not_an_image", "文件不是有效的 JPEG 或 PNG 图片", "the file is not a valid JPEG or PNG image")
	}
	r.Photo = p
	r.Sum = sha256.Sum256(p.Image)
	return r, nil
}

// PhotoTooLarge is the KindInvalid error of a photo over MaxPhotoBytes.
func PhotoTooLarge() *geo.Error {
	return inputError("photo", "photo_too_large", fmt.Sprintf("照片不能超过 %d MB", MaxPhotoBytes>>20),
		fmt.Sprintf("a photo has at most %d MiB", MaxPhotoBytes>>20))
}

// CaptionTooLong is the KindInvalid error of a caption over MaxCaption
// characters.
func CaptionTooLong() *geo.Error {
	return inputError("caption", "too_long", fmt.Sprintf("照片说明不能超过 %d 字", MaxCaption),
		fmt.Sprintf("the caption has at most %d characters", MaxCaption))
}

// flagPhotos marks the photos taken far from the site.
func flagPhotos(ps []PhotoView) []PhotoView {
	for i := range ps {
		ps[i].FarFromSite = ps[i].SiteDistance != nil && *ps[i].SiteDistance > FarFromSite
	}
	return ps
}

// Photos lists a project's photos, oldest first, those taken far from
// the site flagged; KindNotFound for a project p may not see.
func (s *Service) Photos(ctx context.Context, p geo.Principal, id geo.ID) ([]PhotoView, error) {
	ps, err := s.store.Photos(ctx, p, id)
	return flagPhotos(ps), err
}

// AddPhoto adds a photo to a project's report of month (YYYY-MM): the
// month as PutProgress takes it (KindInvalid otherwise), the upload as
// Upload.Check says, at most MaxPhotos a month (KindConflict
// "too_many_photos"); KindNotFound for a project p may not see,
// KindForbidden for one p may not change.
func (s *Service) AddPhoto(ctx context.Context, p geo.Principal, id geo.ID, month string, u Upload) (PhotoView, error) {
	m, err := ParseMonth(month)
	if err != nil {
		return PhotoView{}, err
	}
	v, err := s.store.Project(ctx, p, id)
	if err != nil {
		return PhotoView{}, err
	}
	if err := ReportMonthsOf(v, s.now()).Allows(m); err != nil {
		return PhotoView{}, err
	}
	select {
	case s.decoding <- struct{}{}:
	case <-ctx.Done():
		return PhotoView{}, ctx.Err()
	}
	r, err := u.Check(m)
	<-s.decoding
	if err != nil {
		return PhotoView{}, err
	}
	ph, err := s.store.AddPhoto(ctx, p, id, r, MaxPhotos)
	if err != nil {
		return ph, err
	}
	return flagPhotos([]PhotoView{ph})[0], nil
}

// PhotoFile returns a photo's image or thumbnail; KindNotFound for one p
// may not see.
func (s *Service) PhotoFile(ctx context.Context, p geo.Principal, project, id geo.ID, thumb bool) (PhotoFile, error) {
	return s.store.PhotoFile(ctx, p, project, id, thumb)
}

// DeletePhoto removes a photo; KindNotFound for one p may not see,
// KindForbidden for one p may not change.
func (s *Service) DeletePhoto(ctx context.Context, p geo.Principal, project, id geo.ID) error {
	return s.store.DeletePhoto(ctx, p, project, id)
}
