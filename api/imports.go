package api

import (
	"errors"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/land"
)

// uploadTime bounds reading an upload: 200 MB at 3 Mbit/s.
const uploadTime = 10 * time.Minute

// importChoices are what the web app offers for an import.
type importChoices struct {
	Layers     []land.NamedLayer `json:"layers"`
	SRSes      []string          `json:"srses"`
	Encodings  []string          `json:"encodings"`
	Reasons    map[string]string `json:"reasons"` // rejection reasons in Chinese
	MaxUpload  int64             `json:"max_upload"`
	Targets    []string          `json:"targets"`
	SystemDflt string            `json:"default_system"`
	Systems    []land.System     `json:"systems"` // the classification systems a code may belong to
}

// importOptions answers GET /api/imports/options.
func (s *Server) importOptions(c echo.Context) error {
	cl, err := s.Land.Classification(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, importChoices{Layers: land.Layers(), SRSes: land.SRSes(), Encodings: land.Encodings(),
		Reasons: land.RejectReasons(), MaxUpload: s.Imports.Limits().Upload,
		Targets:    []string{land.TargetCode, land.TargetSystem, land.TargetName, land.TargetPlan},
		SystemDflt: land.SystemGTKJ2023, Systems: cl.Systems})
}

// uploadImport answers POST /api/imports?name=plan.zip[&srs=][&encoding=]:
// the body is the file itself (as an XMLHttpRequest sends it, with upload
// progress). It answers the import with the file's fields.
func (s *Server) uploadImport(c echo.Context) error {
	name := c.QueryParam("name")
	if name == "" {
		return geo.Invalid("no_file_name", "缺少文件名（name）", "the file name (name) is missing")
	}
	rc := http.NewResponseController(c.Response())
	_ = rc.SetReadDeadline(time.Now().Add(uploadTime))
	_ = rc.SetWriteDeadline(time.Now().Add(uploadTime + time.Minute))
	limit := s.Imports.Limits().Upload
	if c.Request().ContentLength > limit {
		return land.ErrTooLarge(limit)
	}
	body := http.MaxBytesReader(c.Response(), c.Request().Body, limit+1)
	imp, err := s.Imports.Upload(c.Request().Context(), principal(c), name, body, c.QueryParam("srs"), c.QueryParam("encoding"))
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return land.ErrTooLarge(limit)
	}
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, imp)
}

// startImport answers POST /api/imports/:id/start with the options (the
// layer and the field mapping): the import runs in the background.
func (s *Server) startImport(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var o land.ImportOptions
	if err := bind(c, &o); err != nil {
		return err
	}
	imp, err := s.Imports.Start(c.Request().Context(), principal(c), id, o)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusAccepted, imp)
}

// getImport answers GET /api/imports/:id: status, progress, report.
func (s *Server) getImport(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	imp, err := s.Imports.Import(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, imp)
}
