package server

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/planwise/planwise/planner"
	"github.com/planwise/planwise/tool"
)

func TestWithDashboardMountsPageWithoutAuth(t *testing.T) {
	p, err := planner.New(dashboardTestRegistry(t))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(New(Config{APIKeys: []APIKey{{Key: "k1"}}}, p, WithDashboard()).Handler())
	defer srv.Close()
	for _, path := range []string{"/", "/assets/app.js", "/assets/app.css"} {
		res, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK || len(b) == 0 {
			t.Errorf("GET %s: %d (%d bytes)", path, res.StatusCode, len(b))
		}
	}
	// Only "/" itself is the page: other unknown paths stay 404.
	res, err := http.Get(srv.URL + "/nope")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("GET /nope: %d", res.StatusCode)
	}
	// The API the page reads keeps its authentication.
	res, err = http.Get(srv.URL + "/api/v1/tools")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusUnauthorized {
		t.Errorf("GET /api/v1/tools without a key: %d", res.StatusCode)
	}
	page, _ := http.Get(srv.URL + "/")
	b, _ := io.ReadAll(page.Body)
	page.Body.Close()
	if !strings.Contains(string(b), "planner dashboard") {
		t.Error("GET / is not the dashboard")
	}
}

func dashboardTestRegistry(t *testing.T) *tool.Registry {
	t.Helper()
	reg, err := tool.NewRegistry(tool.Builtins()...)
	if err != nil {
		t.Fatal(err)
	}
	return reg
}
