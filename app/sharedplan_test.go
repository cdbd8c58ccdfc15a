package app_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/planwise/planwise/planner"
)

// A cache hit served verbatim shares its entry's plan with every request it serves
// (cache.LookupVerbatim; a copy was a tenth of a hit's CPU). Nothing planwise serve does
// with a served plan may modify it: the API's reply, a run planned from the request and
// executed, its feedback, and the history's record of each. Hits and runs go on
// concurrently; the test fails if any of them changes the plan the cache serves after
// them, and, under the race detector, if any writes to it while another reads it.
func TestSharedHitPlanIsNeverModified(t *testing.T) {
	h, _, stop := servingApp(t)

	const body = `{"request":"calculate (12.5 + 7) * 3"}`
	do := func(method, path, body string) (int, []byte) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(method, path, strings.NewReader(body)))
		return rec.Code, rec.Body.Bytes()
	}
	// hit answers the request and returns its plan's JSON, or fails the test when the
	// cache did not serve it.
	hit := func() (json.RawMessage, error) {
		code, b := do("POST", "/api/v1/plan", body)
		var resp struct {
			Source string          `json:"source"`
			Plan   json.RawMessage `json:"plan"`
		}
		if err := json.Unmarshal(b, &resp); err != nil || code != 200 {
			return nil, fmt.Errorf("plan: %d %s", code, b)
		}
		if resp.Source != planner.SourceCache {
			return nil, fmt.Errorf("served by %s, not the cache", resp.Source)
		}
		return resp.Plan, nil
	}
	for i := 0; ; i++ {
		if _, err := hit(); err == nil {
			break
		} else if i == 10 {
			t.Fatalf("not served from the cache after 10 requests: %v", err)
		}
	}
	want, err := hit()
	if err != nil {
		t.Fatal(err)
	}

	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := range 4 {
		wg.Go(func() {
			for range 10 {
				if _, err := hit(); err != nil {
					errs <- err
					return
				}
				code, b := do("POST", "/api/v1/runs?wait=true", body)
				var run struct {
					ID     string          `json:"id"`
					Status string          `json:"status"`
					Source string          `json:"source"`
					Plan   json.RawMessage `json:"plan"`
				}
				if err := json.Unmarshal(b, &run); err != nil || code != 200 || run.Status != "succeeded" || run.Source != planner.SourceCache {
					errs <- fmt.Errorf("run: %d %s", code, b)
					return
				}
				if g%2 == 0 {
					if code, b := do("POST", "/api/v1/runs/"+run.ID+"/feedback", `{"rating":1}`); code/100 != 2 {
						errs <- fmt.Errorf("feedback: %d %s", code, b)
						return
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	// The reply copies the plan's encoding, made once (Response.PlanJSON); a run
	// encodes the plan it was served again.
	code, b := do("POST", "/api/v1/runs?wait=true", body)
	var run struct {
		Source string          `json:"source"`
		Plan   json.RawMessage `json:"plan"`
	}
	if err := json.Unmarshal(b, &run); err != nil || code != 200 || run.Source != planner.SourceCache {
		t.Fatalf("run: %d %s", code, b)
	}
	if !bytes.Equal(run.Plan, want) {
		t.Fatalf("the cache's plan changed after it was served:\nbefore %s\nafter  %s", want, run.Plan)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
}
