package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/planwise/planwise/embed"
	"github.com/planwise/planwise/execute"
	"github.com/planwise/planwise/history"
	"github.com/planwise/planwise/metrics"
	"github.com/planwise/planwise/planner"
	"github.com/planwise/planwise/server"
	"github.com/planwise/planwise/tool"
)

// openapiDoc is the part of the OpenAPI document the route test reads.
type openapiDoc struct {
	OpenAPI string `json:"openapi"`
	Servers []struct {
		URL string `json:"url"`
	} `json:"servers"`
	Paths map[string]map[string]struct {
		OperationID string `json:"operationId"`
	} `json:"paths"`
}

func readOpenAPI(t *testing.T) openapiDoc {
	t.Helper()
	b, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var d openapiDoc
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	return d
}

// fullServer is a server with every option of this package mounted, and the MCP
// endpoint where planwise serve mounts it (server.WithRoute).
func fullServer(t *testing.T) *server.Server {
	t.Helper()
	reg, err := tool.NewRegistry(tool.Builtins()...)
	if err != nil {
		t.Fatal(err)
	}
	rec := metrics.NewRecorder(metrics.Options{})
	alerts, err := metrics.NewAlerts(rec, metrics.DefaultRules(0, 0), metrics.AlertOptions{})
	if err != nil {
		t.Fatal(err)
	}
	emb, _ := embed.NewLocal(embed.LocalConfig{})
	h, err := history.New(context.Background(), history.NewMemoryStore(), emb, history.Options{})
	if err != nil {
		t.Fatal(err)
	}
	pl, err := planner.New(reg, planner.WithRecorder(rec), planner.WithLearning(h, nil))
	if err != nil {
		t.Fatal(err)
	}
	runs := planner.NewRuns(pl, execute.New(reg), nil, rec)
	t.Cleanup(runs.Close)
	return server.New(server.Config{}, pl, server.WithMetrics(rec, alerts), server.WithDashboard(), server.WithRuns(runs),
		server.WithLearning(h), server.WithRoute("/api/v1/mcp", http.NotFoundHandler()))
}

// Every route the server registers is in the OpenAPI document with an operationId, every
// documented path is a route, operationIds are unique, and the document names servers.
func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	doc := readOpenAPI(t)
	if len(doc.Servers) == 0 || doc.Servers[0].URL == "" {
		t.Errorf("no servers: %+v", doc.Servers)
	}
	routes := fullServer(t).Routes()
	if len(routes) < 20 {
		t.Fatalf("only %d routes registered: %v", len(routes), routes)
	}
	covered := map[string]bool{} // documented "method path" that a route matched
	for _, pattern := range routes {
		method, path, hasMethod := strings.Cut(pattern, " ")
		if !hasMethod {
			method, path = "", pattern
		}
		method = strings.ToLower(method)
		path = strings.TrimSuffix(path, "{$}")
		var docPaths []string
		if strings.HasSuffix(path, "/") && path != "/" {
			// A subtree ("/assets/"): documented as path + "{param}".
			for p := range doc.Paths {
				if strings.HasPrefix(p, path+"{") && strings.Count(p[len(path):], "/") == 0 {
					docPaths = append(docPaths, p)
				}
			}
		} else if _, ok := doc.Paths[path]; ok {
			docPaths = []string{path}
		}
		if len(docPaths) == 0 {
			t.Errorf("route %q is not in openapi.json", pattern)
			continue
		}
		for _, p := range docPaths {
			found := false
			for m, op := range doc.Paths[p] {
				if method != "" && m != method {
					continue
				}
				found = true
				covered[m+" "+p] = true
				if op.OperationID == "" {
					t.Errorf("%s %s has no operationId", strings.ToUpper(m), p)
				}
			}
			if !found {
				t.Errorf("route %q: openapi.json has %s but no %s operation", pattern, p, strings.ToUpper(method))
			}
		}
	}
	ids := map[string]string{}
	for p, ops := range doc.Paths {
		for m, op := range ops {
			if !covered[m+" "+p] {
				t.Errorf("openapi.json documents %s %s, which no route serves", strings.ToUpper(m), p)
			}
			if prev, dup := ids[op.OperationID]; dup && op.OperationID != "" {
				t.Errorf("operationId %q on both %s and %s %s", op.OperationID, prev, strings.ToUpper(m), p)
			}
			ids[op.OperationID] = strings.ToUpper(m) + " " + p
		}
	}
}

// The document passes a real OpenAPI 3.1 validator: @apidevtools/swagger-parser, run
// with node from server/testdata/openapi-validate (.ci/run installs it with npm ci). A
// broken copy fails, so the validator is known to look.
func TestOpenAPIValidator(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed (.ci/run installs it): skipping the OpenAPI validator")
	}
	dir := filepath.Join("testdata", "openapi-validate")
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "@apidevtools", "swagger-parser")); err != nil {
		t.Skip("@apidevtools/swagger-parser is not installed: run npm ci --prefix server/testdata/openapi-validate (.ci/run does)")
	}
	validate := func(file string) (bool, string) {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		out, err := exec.CommandContext(ctx, node, filepath.Join(dir, "validate.mjs"), file).Output()
		var res struct {
			Valid bool   `json:"valid"`
			Error string `json:"error"`
		}
		if jerr := json.Unmarshal(out, &res); jerr != nil {
			t.Fatalf("validator output %q: %v (%v)", out, jerr, err)
		}
		return res.Valid && err == nil, res.Error
	}
	if ok, msg := validate("openapi.json"); !ok {
		t.Fatalf("openapi.json is not a valid OpenAPI document: %s", msg)
	}
	b, _ := os.ReadFile("openapi.json")
	broken := strings.Replace(string(b), `"#/components/schemas/HistoryRecord"`, `"#/components/schemas/NoSuchSchema"`, 1)
	bad := filepath.Join(t.TempDir(), "broken.json")
	if err := os.WriteFile(bad, []byte(broken), 0o600); err != nil {
		t.Fatal(err)
	}
	if ok, _ := validate(bad); ok {
		t.Error("the validator accepted a document with a dangling $ref")
	}
}
