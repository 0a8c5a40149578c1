package api_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/luohe/onemap/geo"
)

// TestLeaders: GET /api/leaders lists the leaders in charge by name, with
// their titles, for the roles that may see them; the projects' leader
// filter takes those names (张丽华 finds the projects of 张丽华 副市长,
// which it did not) and refuses others in Chinese; the public
// GET /api/meta names no leader; the session says who may filter by
// leader (the web app hides the filter from the others).
func TestLeaders(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	exec(t, f, `INSERT INTO projects (name, stage, category, district_id, leader, responsible_unit, owner, total_investment, point) VALUES
		('漯河冷链物流园项目', 'building', 'industry', 1, '张丽华 副市长', '市商务局', '冷链公司', 30000, ST_SetSRID(ST_MakePoint(114.01, 33.59), 4490)),
		('沙澧河游园项目', 'preparing', 'planning', 1, '张丽华  副市长', '市城管局', '市城投公司', 8000, ST_SetSRID(ST_MakePoint(114.02, 33.59), 4490))`)
	if err := f.api.Catalogue.LoadDomains(t.Context()); err != nil {
		t.Fatal(err)
	}

	res := f.users[geo.RoleLand].do(t, "GET", "/api/leaders", nil)
	var got struct {
		Leaders []struct {
			Name   string   `json:"name"`
			Titles []string `json:"titles"`
		} `json:"leaders"`
	}
	decodeJSON(t, res, &got)
	if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Cache-Control"), "private") {
		t.Fatalf("GET /api/leaders: %d, Cache-Control %q", res.StatusCode, res.Header.Get("Cache-Control"))
	}
	var names []string
	for _, l := range got.Leaders {
		names = append(names, l.Name)
		if l.Name == "张丽华" && !slices.Equal(l.Titles, []string{"副市长"}) {
			t.Errorf("张丽华's titles: %q", l.Titles)
		}
	}
	if want := []string{"张丽华", "张副市长", "李副市长", "王副市长"}; !slices.Equal(names, want) {
		t.Fatalf("leaders %q, want %q", names, want)
	}

	features := func(leader string) int {
		t.Helper()
		res := f.get(t, "/tiles/projects"+tileZ10+"?leader="+url.QueryEscape(leader))
		if res.StatusCode != 200 {
			t.Fatalf("leader=%s: %d", leader, res.StatusCode)
		}
		n := 0
		for _, l := range decodeTile(t, res) {
			n += len(l.Features)
		}
		return n
	}
	if n := features("张丽华"); n != 2 {
		t.Errorf("leader=张丽华 draws %d projects, want the 2 of 张丽华 副市长", n)
	}
	if n := features("张丽华,张副市长"); n != 3 {
		t.Errorf("leader=张丽华,张副市长 draws %d projects, want 3", n)
	}
	for _, v := range []string{"张丽华 副市长", "张丽", "赵国庆"} {
		res := f.get(t, "/tiles/projects"+tileZ10+"?leader="+url.QueryEscape(v))
		var body struct {
			Error struct{ Code, Message string } `json:"error"`
		}
		decodeJSON(t, res, &body)
		if res.StatusCode != 400 || body.Error.Code != "bad_filter_value" || !strings.Contains(body.Error.Message, "筛选参数") {
			t.Errorf("leader=%s: %d %+v, want 400 bad_filter_value in Chinese", v, res.StatusCode, body.Error)
		}
	}

	meta := f.newClient(t).do(t, "GET", "/api/meta", nil)
	var m map[string]any
	decodeJSON(t, meta, &m)
	if _, ok := m["leaders"]; ok {
		t.Error("the public GET /api/meta lists the leaders")
	}

	for role, want := range map[geo.Role]bool{geo.RoleViewer: false, geo.RoleLand: true, geo.RoleDistrict: true, geo.RoleAdmin: true} {
		var s struct {
			Sees []string `json:"sees"`
		}
		decodeJSON(t, f.users[role].do(t, "GET", "/api/session", nil), &s)
		if slices.Contains(s.Sees, string(geo.SensitiveLeader)) != want {
			t.Errorf("%s: the session's sees %q, want leaders %v", role, s.Sees, want)
		}
	}
	var login struct {
		Sees []string `json:"sees"`
	}
	decodeJSON(t, f.newClient(t).do(t, "POST", "/api/login", map[string]string{"username": "land1", "password": testPassword}), &login)
	if !slices.Contains(login.Sees, string(geo.SensitiveLeader)) {
		t.Errorf("the land user's login answer: sees %q, want leaders among them", login.Sees)
	}
}
