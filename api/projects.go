package api

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/luohe/onemap/geo"
)

// Projects is what the API needs of the project store; row security in
// the database limits every call to what the principal may see and do.
type Projects interface {
	Project(ctx context.Context, p geo.Principal, id int64) (map[string]any, error)
	UpdateProject(ctx context.Context, p geo.Principal, id int64, ch geo.ProjectChange) (map[string]any, error)
	PutProgress(ctx context.Context, p geo.Principal, id int64, month time.Time, pr geo.ProgressReport) error
}

// visibleFields drops the fields of a kind of feature that p may not see.
func visibleFields(p geo.Principal, kind string, m map[string]any) map[string]any {
	for k := range m {
		if !p.Sees(geo.SensitiveField(kind, k)) {
			delete(m, k)
		}
	}
	return m
}

func (s *Server) project(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	p := principal(c)
	m, err := s.Projects.Project(c.Request().Context(), p, int64(id))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, visibleFields(p, "projects", m))
}

func (s *Server) updateProject(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var ch geo.ProjectChange
	if err := bind(c, &ch); err != nil {
		return err
	}
	if err := checkProjectChange(ch); err != nil {
		return err
	}
	p := principal(c)
	m, err := s.Projects.UpdateProject(c.Request().Context(), p, int64(id), ch)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, visibleFields(p, "projects", m))
}

func checkProjectChange(ch geo.ProjectChange) error {
	if ch.Version <= 0 {
		return geo.Invalid("bad_version", "缺少项目版本号 version", "the project's version is required")
	}
	if ch.Name != nil && (strings.TrimSpace(*ch.Name) == "" || len([]rune(*ch.Name)) > 200) {
		return geo.Invalid("bad_name", "项目名称需为 1–200 个字", "a project name has 1 to 200 characters")
	}
	if ch.Stage != nil && !geo.Has(geo.Stages(), *ch.Stage) {
		return geo.Invalid("bad_stage", "项目阶段无效：%q", "invalid stage %q", *ch.Stage)
	}
	if ch.Stage != nil && *ch.Stage == "withdrawn" && (ch.WithdrawnReason == nil || strings.TrimSpace(*ch.WithdrawnReason) == "") {
		return geo.Invalid("withdrawn_reason", "退库须填写原因", "a withdrawn project needs a reason")
	}
	if ch.AnnualPlan != nil {
		if d, err := geo.ParseDec(*ch.AnnualPlan); err != nil || d < 0 {
			return geo.Invalid("bad_amount", "年度计划须为非负金额（万元，最多两位小数）", "the annual plan must be a non-negative amount (10k yuan, two decimals)")
		}
	}
	for name, v := range map[string]*string{"actual_start": ch.ActualStart, "actual_finish": ch.ActualFinish} {
		if v != nil {
			if _, err := time.Parse("2006-01-02", *v); err != nil {
				return geo.Invalid("bad_date", "日期 %s 无效（格式 2026-01-31）", "invalid date %s (2026-01-31)", name)
			}
		}
	}
	return nil
}

func (s *Server) putProgress(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	month, err := time.Parse("2006-01", c.Param("month"))
	if err != nil || month.Year() < 2000 || month.Year() > 2100 {
		return geo.Invalid("bad_month", "月份无效：%q（格式 2026-11）", "invalid month %q (2026-11)", c.Param("month"))
	}
	var pr geo.ProgressReport
	if err := bind(c, &pr); err != nil {
		return err
	}
	for _, v := range []string{pr.Planned, pr.Invested} {
		if d, err := geo.ParseDec(v); err != nil || d < 0 {
			return geo.Invalid("bad_amount", "金额须为非负数（万元，最多两位小数）", "amounts must be non-negative (10k yuan, two decimals)")
		}
	}
	if len([]rune(pr.ProgressNote)) > 2000 {
		return geo.Invalid("too_long", "形象进度不超过 2000 字", "the progress note has at most 2000 characters")
	}
	if err := s.Projects.PutProgress(c.Request().Context(), principal(c), int64(id), month, pr); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
