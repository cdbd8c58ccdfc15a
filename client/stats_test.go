package client_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/planwise/planwise/client"
	"github.com/planwise/planwise/metrics"
)

// CheckWindow takes what stats --window documents: nothing, "lifetime" or a positive
// duration; anything else is refused naming the flag.
func TestCheckWindow(t *testing.T) {
	for _, ok := range []string{"", "lifetime", "5m", "1h", "90s"} {
		if err := client.CheckWindow(ok); err != nil {
			t.Errorf("CheckWindow(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"soon", "0", "-5m", "Lifetime"} {
		if err := client.CheckWindow(bad); err == nil || !strings.Contains(err.Error(), `--window "`+bad+`"`) {
			t.Errorf("CheckWindow(%q) = %v, want an error naming --window", bad, err)
		}
	}
}

// ExplainStats: a refused key as Explain words it (with the hint), a 404 as a server
// without metrics, any other answer with its status and the server's message, and no
// error as none.
func TestExplainStats(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Query().Get("window") {
		case "401":
			w.WriteHeader(http.StatusUnauthorized)
			w.Write([]byte(`{"error":{"code":"unauthorized","message":"invalid API key"}}`))
		case "500":
			w.WriteHeader(http.StatusInternalServerError)
			w.Write([]byte("disk on fire\n"))
		default:
			http.NotFound(w, r)
		}
	}))
	defer ts.Close()
	c, err := client.New(ts.URL, client.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ window, want string }{
		{"401", "GET /api/v1/metrics/planner?window=401: invalid API key (" + client.KeyHint + ")"},
		{"404", "GET /api/v1/metrics/planner?window=404: not found (is " + ts.URL + " a planwise server with metrics enabled?)"},
		{"500", "GET /api/v1/metrics/planner?window=500: 500 Internal Server Error: disk on fire"},
	} {
		_, err := c.Stats(context.Background(), tt.window)
		got := c.ExplainStats(err)
		if got == nil || got.Error() != tt.want {
			t.Errorf("window %s: %v, want %q", tt.window, got, tt.want)
		}
		if tt.window == "401" && !client.IsUnauthorized(got) {
			t.Errorf("window 401: the *Error is lost: %#v", got)
		}
	}
	if err := c.ExplainStats(nil); err != nil {
		t.Errorf("ExplainStats(nil) = %v", err)
	}
	if err := errors.New("other"); c.ExplainStats(err) != err {
		t.Error("an error that is no answer changed")
	}
}

// The tables name the window as people write it: 30s, 1m30s, 5m, 1h (the server sends
// Go's 30s, 1m30s, 5m0s, 1h0m0s); 30s was printed as "3".
func TestStatsNameTheWindowAsWritten(t *testing.T) {
	for window, want := range map[string]string{"30s": "window 30s,", "1m30s": "window 1m30s,", "5m0s": "window 5m,", "1h0m0s": "window 1h,"} {
		doc, err := json.Marshal(metrics.Summary{Window: window})
		if err != nil {
			t.Fatal(err)
		}
		var out strings.Builder
		st := &client.Stats{Planner: doc, Alerts: json.RawMessage(`{"rules":[],"active":[],"history":[]}`), Base: "http://pw"}
		if err := st.WriteText(&out); err != nil || !strings.Contains(out.String(), want) {
			t.Errorf("window %s: %v, want %q in\n%s", window, err, want, out.String())
		}
	}
}
