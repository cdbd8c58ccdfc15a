package app

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/pprof"
	"time"
)

// Go's profiles for operators (server.pprof_addr): net/http/pprof's handlers on a
// listener of their own, never on the API's, so that the API's authentication, rate
// limits and routes stay as they are and the profiles are reachable only where the
// operator put them (a loopback address unless server.pprof_allow_remote: see
// config.Server.CheckPprof). Importing net/http/pprof also registers its handlers on
// http.DefaultServeMux; planwise never serves DefaultServeMux.

// pprofHandler serves the profiles under /debug/pprof/, as net/http/pprof registers them.
func pprofHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index) // the index, and every named profile (heap, goroutine, ...)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return mux
}

// listenPprof listens, once, on server.pprof_addr when it is set; nil when it is not.
// The listener is the app's until servePprof takes it, and Close closes it if Serve never
// ran. An address beyond loopback is refused unless server.pprof_allow_remote, also
// when a name such as localhost turns out to be bound elsewhere.
func (a *App) listenPprof() (net.Listener, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	s := a.cfg.Server
	if s.PprofAddr == "" || a.pprof != nil {
		return a.pprof, nil
	}
	if err := s.CheckPprof(); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", s.PprofAddr)
	if err != nil {
		return nil, fmt.Errorf("server.pprof_addr: listen on %s: %w (fix: choose a free loopback address such as 127.0.0.1:6060, or leave it empty)", s.PprofAddr, err)
	}
	if tcp, ok := ln.Addr().(*net.TCPAddr); !s.PprofAllowRemote && (!ok || !tcp.IP.IsLoopback()) {
		ln.Close()
		return nil, fmt.Errorf("server.pprof_addr: %s listens on %s, not a loopback address (fix: use a loopback IP such as 127.0.0.1, or set server.pprof_allow_remote: true to serve profiles there on purpose)",
			s.PprofAddr, ln.Addr())
	}
	a.pprof = ln
	return ln, nil
}

// PprofAddr is the address the profiles are served on (server.pprof_addr, its port
// chosen when it was 0), once Listen or Serve listened there; nil otherwise.
func (a *App) PprofAddr() net.Addr {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.pprof == nil {
		return nil
	}
	return a.pprof.Addr()
}

// servePprof serves the profiles on ln (nil: nothing to serve) until stop is called,
// which closes the listener and every connection and returns once the serving
// goroutine has ended. Serve owns it: the profiles live exactly as long as the API.
func (a *App) servePprof(ln net.Listener) (stop func()) {
	if ln == nil {
		return func() {}
	}
	// No write timeout: a CPU profile or trace takes the seconds it is asked for.
	srv := &http.Server{Handler: pprofHandler(), ReadHeaderTimeout: 10 * time.Second}
	a.log.Info("pprof: serving Go profiles", "url", "http://"+ln.Addr().String()+"/debug/pprof/")
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			a.log.Warn("pprof: serving stopped", "addr", ln.Addr().String(), "err", err)
		}
	}()
	return func() {
		srv.Close()
		<-done
		a.mu.Lock()
		a.pprof = nil
		a.mu.Unlock()
	}
}
