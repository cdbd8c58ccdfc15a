package app_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/planwise/planwise/app"
)

// listening returns the local addresses of the TCP sockets this process listens on
// (Linux: /proc/self/fd and /proc/net/tcp{,6}); the test is skipped elsewhere.
func listening(t *testing.T) []string {
	t.Helper()
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skipf("no /proc/self/fd: %v", err)
	}
	inodes := map[string]bool{}
	for _, fd := range fds {
		if l, err := os.Readlink(filepath.Join("/proc/self/fd", fd.Name())); err == nil && strings.HasPrefix(l, "socket:[") {
			inodes[strings.TrimSuffix(strings.TrimPrefix(l, "socket:["), "]")] = true
		}
	}
	var addrs []string
	for _, table := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		b, err := os.ReadFile(table)
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(b), "\n")[1:] {
			// sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
			f := strings.Fields(line)
			if len(f) > 9 && f[3] == "0A" && inodes[f[9]] { // 0A: LISTEN
				addrs = append(addrs, f[1])
			}
		}
	}
	slices.Sort(addrs)
	return addrs
}

// get answers path's status on addr, and its body.
func get(t *testing.T, addr net.Addr, path string) (int, string) {
	t.Helper()
	res, err := http.Get("http://" + addr.String() + path)
	if err != nil {
		t.Fatalf("GET %s%s: %v", addr, path, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// serveFor starts a server (Listen, then Serve) with pprofAddr as server.pprof_addr
// and returns its API listener's address and a stop that waits for Serve to return (also
// called when the test ends).
func serveFor(t *testing.T, pprofAddr string) (*app.App, net.Addr, func()) {
	t.Helper()
	cfg := app.DefaultConfig()
	cfg.Store.Driver, cfg.Server.Addr, cfg.Server.PprofAddr = "memory", "127.0.0.1:0", pprofAddr
	cfg.Server.DrainDelay = 0 // nothing to drain: stop at once
	ctx, cancel := context.WithCancel(context.Background())
	a, err := app.New(ctx, &cfg, app.Options{Serve: true, Offline: true, Stderr: io.Discard, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	ln, _, err := a.Listen(ctx)
	if err != nil {
		a.Close()
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- a.Serve(ctx, ln) }()
	stop := sync.OnceFunc(func() {
		cancel()
		select {
		case err := <-served:
			if err != nil {
				t.Errorf("Serve: %v", err)
			}
		case <-time.After(20 * time.Second):
			t.Error("Serve did not return")
		}
		a.Close()
	})
	t.Cleanup(stop)
	return a, ln.Addr(), stop
}

// server.pprof_addr serves Go's profiles on a listener of its own, started and stopped
// with Serve; the API never serves them, and with the key unset nothing else listens.
func TestPprofOnItsOwnLoopbackListener(t *testing.T) {
	before, goroutines := listening(t), runtime.NumGoroutine()

	a, api, stop := serveFor(t, "127.0.0.1:0")
	pprofAddr := a.PprofAddr()
	if pprofAddr == nil || !strings.HasPrefix(pprofAddr.String(), "127.0.0.1:") || pprofAddr.String() == api.String() {
		t.Fatalf("profiles on %v, API on %v", pprofAddr, api)
	}
	if n := len(listening(t)) - len(before); n != 2 {
		t.Errorf("%d new listeners, want 2 (the API's and the profiles')", n)
	}
	if code, body := get(t, pprofAddr, "/debug/pprof/"); code != http.StatusOK || !strings.Contains(body, "goroutine") {
		t.Errorf("GET /debug/pprof/ on the profiles' listener: %d %.200q", code, body)
	}
	if code, body := get(t, pprofAddr, "/debug/pprof/goroutine?debug=1"); code != http.StatusOK || !strings.Contains(body, "goroutine profile:") {
		t.Errorf("GET /debug/pprof/goroutine?debug=1: %d %.200q", code, body)
	}
	for _, path := range []string{"/debug/pprof/", "/debug/pprof/heap", "/debug/pprof/cmdline"} {
		if code, _ := get(t, api, path); code != http.StatusNotFound {
			t.Errorf("GET %s on the API's listener: %d, want 404", path, code)
		}
	}
	if code, _ := get(t, api, "/healthz"); code != http.StatusOK {
		t.Errorf("GET /healthz on the API's listener: %d", code)
	}
	stop()
	if a.PprofAddr() != nil {
		t.Errorf("profiles still on %v after Serve returned", a.PprofAddr())
	}
	if c, err := net.DialTimeout("tcp", pprofAddr.String(), time.Second); err == nil {
		c.Close()
		t.Errorf("%v still accepts connections after Serve returned", pprofAddr)
	}
	if after := listening(t); !slices.Equal(after, before) {
		t.Errorf("listening on %v after Serve returned, %v before", after, before)
	}
	waitFor(t, "Serve's goroutines to end", func() bool { return runtime.NumGoroutine() <= goroutines })

	a, api, _ = serveFor(t, "")
	if a.PprofAddr() != nil {
		t.Errorf("server.pprof_addr unset, profiles on %v", a.PprofAddr())
	}
	if now := listening(t); len(now) != len(before)+1 {
		t.Errorf("server.pprof_addr unset: listening on %v, want only the API's %v beyond %v", now, api, before)
	}
	if code, _ := get(t, api, "/debug/pprof/"); code != http.StatusNotFound {
		t.Errorf("GET /debug/pprof/ on the API's listener: %d, want 404", code)
	}
}

// An address beyond loopback is refused when the server starts (also when the
// configuration did not come through LoadConfig), naming the key and the fix, and
// leaves nothing listening; Close closes the profiles' listener of a server Listen
// started and Serve never ran.
func TestPprofBeyondLoopbackRefusedAtStart(t *testing.T) {
	before := listening(t)
	// Documentation addresses (RFC 5737, RFC 3849), not this machine's: were they not
	// refused, listening would fail rather than open a port beyond loopback.
	for _, addr := range []string{"192.0.2.1:0", "[2001:db8::1]:0"} {
		cfg := app.DefaultConfig()
		cfg.Store.Driver, cfg.Server.Addr, cfg.Server.PprofAddr = "memory", "127.0.0.1:0", addr
		a, err := app.New(context.Background(), &cfg, app.Options{Serve: true, Offline: true, Stderr: io.Discard, Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			t.Fatal(err)
		}
		_, _, err = a.Listen(context.Background())
		if err == nil || !strings.Contains(err.Error(), "server.pprof_addr") || !strings.Contains(err.Error(), "server.pprof_allow_remote: true") {
			t.Errorf("%s: Listen: %v; want it refused, naming the key and the fix", addr, err)
		}
		a.Close()
	}
	if after := listening(t); !slices.Equal(after, before) {
		t.Errorf("listening on %v after refusals, %v before", after, before)
	}

	cfg := app.DefaultConfig()
	cfg.Store.Driver, cfg.Server.Addr, cfg.Server.PprofAddr = "memory", "127.0.0.1:0", "127.0.0.1:0"
	a, err := app.New(context.Background(), &cfg, app.Options{Serve: true, Offline: true, Stderr: io.Discard, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	ln, _, err := a.Listen(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ln.Close()
	a.Close()
	if after := listening(t); !slices.Equal(after, before) {
		t.Errorf("listening on %v after Close, %v before", after, before)
	}
}
