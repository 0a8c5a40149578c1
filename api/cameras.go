package api

import (
	"mime"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/project"
)

func (s *Server) cameras(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	cs, err := s.Cameras.List(c.Request().Context(), principal(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, cs)
}

func (s *Server) addCamera(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in project.CameraInput
	if err := bind(c, &in); err != nil {
		return err
	}
	v, err := s.Cameras.Add(c.Request().Context(), principal(c), id, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, v)
}

func (s *Server) deleteCamera(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	cid, err := idParam(c, "cid")
	if err != nil {
		return err
	}
	if err := s.Cameras.Delete(c.Request().Context(), principal(c), id, cid); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// addSnapshot takes a camera system's snapshot: the request body is the
// JPEG or PNG image itself, with its Content-Type.
func (s *Server) addSnapshot(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	ct, _, err := mime.ParseMediaType(c.Request().Header.Get("Content-Type"))
	if err != nil || (ct != "image/jpeg" && ct != "image/png") {
		return geo.Invalid("bad_content_type", "抓拍须以 image/jpeg 或 image/png 上传", "post the snapshot as image/jpeg or image/png")
	}
	body, err := readBody(c, project.MaxSnapshot)
	if err != nil {
		return err
	}
	info, err := s.Cameras.AddSnapshot(c.Request().Context(), principal(c), id, ct, body)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, info)
}

// latestSnapshot answers a camera's newest image. The same URL answers
// each new snapshot, so a browser revalidates it every time (no-cache);
// the panel adds the snapshot's id to the URL, so a new one is a new
// address.
func (s *Server) latestSnapshot(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	sn, err := s.Cameras.Latest(c.Request().Context(), principal(c), id)
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "private, no-cache")
	h.Set("Last-Modified", sn.TakenAt.UTC().Format(http.TimeFormat))
	return c.Blob(http.StatusOK, sn.ContentType, sn.Image)
}

func (s *Server) coverage(c echo.Context) error {
	cv, err := s.Cameras.Coverage(c.Request().Context(), principal(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, cv)
}
