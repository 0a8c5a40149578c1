package api

import (
	"bytes"
	"encoding/hex"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/project"
)

// maxCaptionBytes bounds a caption's part of an upload: MaxCaption
// characters of at most four bytes each, and room for the spaces the
// service trims.
const maxCaptionBytes = project.MaxCaption*4 + 1024

// readUpload reads a photo's upload: multipart/form-data with at most one
// part "photo" (the file) and one part "caption" (a missing photo is the
// service's to refuse). KindInvalid for anything else, "photo_too_large"
// for a photo over project.MaxPhotoBytes.
func readUpload(c echo.Context) (project.Upload, error) {
	var u project.Upload
	bad := geo.Invalid("bad_form", "请以 multipart/form-data 上传照片（字段 photo，可选 caption）",
		"upload the photo as multipart/form-data (part photo, optionally caption)")
	mt, params, err := mime.ParseMediaType(c.Request().Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
		return u, bad
	}
	body := http.MaxBytesReader(c.Response(), c.Request().Body, project.MaxPhotoBytes+maxCaptionBytes+64<<10)
	mr := multipart.NewReader(body, params["boundary"])
	var photo, caption bool
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return u, partError(err, bad, bad)
		}
		switch {
		case part.FormName() == "photo" && !photo:
			photo = true
			if u.Data, err = readPart(part, project.MaxPhotoBytes); err != nil {
				return u, partError(err, project.PhotoTooLarge(), bad)
			}
		case part.FormName() == "caption" && !caption:
			caption = true
			b, err := readPart(part, maxCaptionBytes)
			if err != nil {
				return u, partError(err, project.CaptionTooLong(), bad)
			}
			u.Caption = string(b)
		default:
			return u, bad
		}
	}
	return u, nil
}

// partError is the error of reading an upload: tooLong for a part over
// its limit, the photo's error for a body over the upload's, bad for a
// broken one.
func partError(err error, tooLong, bad *geo.Error) error {
	var mbe *http.MaxBytesError
	switch {
	case errors.Is(err, errPartTooLarge):
		return tooLong
	case errors.As(err, &mbe):
		return project.PhotoTooLarge()
	}
	return bad
}

// errPartTooLarge: a part longer than its limit.
var errPartTooLarge = errors.New("part too large")

// readPart reads a part of at most limit bytes.
func readPart(r io.Reader, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, errPartTooLarge
	}
	return b, nil
}

func (s *Server) photos(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	ps, err := s.Projects.Photos(c.Request().Context(), principal(c), id)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "private, no-cache")
	return c.JSON(http.StatusOK, ps)
}

func (s *Server) addPhoto(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	u, err := readUpload(c)
	if err != nil {
		return err
	}
	ph, err := s.Projects.AddPhoto(c.Request().Context(), principal(c), id, c.Param("month"), u)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Location", "/api/projects/"+id.String()+"/photos/"+ph.ID.String())
	return c.JSON(http.StatusCreated, ph)
}

// photoFile answers a photo's image, or its thumbnail: its stored bytes
// under the type they were found to be, cached by the browser only
// (photos are the project's readers' alone) and checked again by their
// ETag, which a photo keeps for life.
func (s *Server) photoFile(thumb bool) echo.HandlerFunc {
	return func(c echo.Context) error { return s.servePhoto(c, thumb) }
}

// photoParams reads the path's project id and photo id.
func photoParams(c echo.Context) (geo.ID, geo.ID, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return 0, 0, err
	}
	pid, err := idParam(c, "pid")
	return id, pid, err
}

func (s *Server) servePhoto(c echo.Context, thumb bool) error {
	id, pid, err := photoParams(c)
	if err != nil {
		return err
	}
	f, err := s.Projects.PhotoFile(c.Request().Context(), principal(c), id, pid, thumb)
	if err != nil {
		return err
	}
	h := c.Response().Header()
	tag := hex.EncodeToString(f.Sum[:16])
	if thumb {
		tag += "-t"
	}
	h.Set("Content-Type", f.MediaType)
	h.Set("ETag", `"`+tag+`"`)
	h.Set("Cache-Control", "private, max-age=3600, must-revalidate")
	h.Add("Vary", "Cookie, Authorization")
	h.Set("Content-Disposition", "inline")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	http.ServeContent(c.Response(), c.Request(), "", time.Time{}, bytes.NewReader(f.Data))
	return nil
}

func (s *Server) deletePhoto(c echo.Context) error {
	id, pid, err := photoParams(c)
	if err != nil {
		return err
	}
	if err := s.Projects.DeletePhoto(c.Request().Context(), principal(c), id, pid); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
