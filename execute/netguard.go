package execute

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"syscall"
	"time"
)

// NetPolicy says which hosts http_request and webhook tools may reach.
//
// By default any host may be called whose addresses are all public; loopback, private,
// link-local, unspecified, multicast, CGNAT and other special-purpose addresses are
// refused. The check is made on the address actually dialled, after DNS resolution,
// for the first request and for every redirect, so neither a public name resolving to
// 127.0.0.1 nor a redirect to the metadata service gets through.
type NetPolicy struct {
	// AllowHosts are trusted destinations, reachable even on blocked addresses: exact
	// host names ("localhost", "api.internal"), wildcard subdomains ("*.corp.example",
	// which does not match "corp.example" itself), IP addresses ("127.0.0.1", "::1") and
	// CIDR prefixes ("10.1.0.0/16", which admit any host resolving into the range).
	AllowHosts []string
	// OnlyAllowHosts refuses every host not matched by AllowHosts, public or not.
	OnlyAllowHosts bool
	// Resolver resolves host names; nil means net.DefaultResolver.
	Resolver *net.Resolver
}

// BlockedError is a destination the network policy refuses. It is permanent.
type BlockedError struct {
	Host   string
	Addr   netip.Addr // the refused address; invalid when the host itself is refused
	Reason string
}

func (e *BlockedError) Error() string {
	if e.Addr.IsValid() && e.Addr.String() != e.Host {
		return fmt.Sprintf("refused to connect to %s (%s): %s address; add the host to the allow-list (execute.allow_hosts) to permit it", e.Host, e.Addr, e.Reason)
	}
	if e.Addr.IsValid() {
		return fmt.Sprintf("refused to connect to %s: %s address; add the host to the allow-list (execute.allow_hosts) to permit it", e.Host, e.Reason)
	}
	return fmt.Sprintf("refused to connect to %s: %s", e.Host, e.Reason)
}

// netGuard applies a NetPolicy.
type netGuard struct {
	names    map[string]bool
	suffixes []string // ".corp.example" for "*.corp.example"
	prefixes []netip.Prefix
	only     bool
	resolver *net.Resolver
}

func newNetGuard(p NetPolicy) *netGuard {
	g := &netGuard{names: map[string]bool{}, only: p.OnlyAllowHosts, resolver: p.Resolver}
	if g.resolver == nil {
		g.resolver = net.DefaultResolver
	}
	for _, h := range p.AllowHosts {
		h = strings.ToLower(strings.TrimSpace(h))
		switch {
		case h == "":
		case strings.HasPrefix(h, "*."):
			g.suffixes = append(g.suffixes, h[1:])
		case strings.Contains(h, "/"):
			if pfx, err := netip.ParsePrefix(h); err == nil {
				g.prefixes = append(g.prefixes, pfx.Masked())
			}
		default:
			h = strings.TrimSuffix(strings.TrimPrefix(h, "["), "]")
			if a, err := netip.ParseAddr(h); err == nil {
				g.prefixes = append(g.prefixes, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
			} else {
				g.names[strings.TrimSuffix(h, ".")] = true
			}
		}
	}
	return g
}

// hostListed reports whether the host name (or IP literal) is on the allow-list.
func (g *netGuard) hostListed(host string) bool {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if g.names[host] {
		return true
	}
	for _, s := range g.suffixes {
		if strings.HasSuffix(host, s) {
			return true
		}
	}
	if a, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil {
		return g.addrListed(a)
	}
	return false
}

func (g *netGuard) addrListed(a netip.Addr) bool {
	a = a.Unmap().WithZone("")
	for _, p := range g.prefixes {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// checkHost applies OnlyAllowHosts before anything is dialled.
func (g *netGuard) checkHost(host string, trusted bool) error {
	if g.only && !trusted && !g.hostListed(host) {
		return &BlockedError{Host: host, Reason: "the host is not on the allow-list (execute.allow_hosts)"}
	}
	return nil
}

// checkAddr decides whether host may be reached at address a.
func (g *netGuard) checkAddr(host string, a netip.Addr, trusted bool) error {
	if trusted || g.hostListed(host) || g.addrListed(a) {
		return nil
	}
	if g.only {
		return &BlockedError{Host: host, Addr: a, Reason: "the host is not on the allow-list (execute.allow_hosts)"}
	}
	if reason := blockedReason(a); reason != "" {
		return &BlockedError{Host: host, Addr: a, Reason: reason}
	}
	return nil
}

var specialV4 = []struct {
	p      netip.Prefix
	reason string
}{
	{netip.MustParsePrefix("0.0.0.0/8"), "unspecified (\"this network\")"},
	{netip.MustParsePrefix("100.64.0.0/10"), "carrier-grade NAT (100.64.0.0/10)"},
	{netip.MustParsePrefix("192.0.0.0/24"), "IETF protocol assignment"},
	{netip.MustParsePrefix("192.0.2.0/24"), "documentation"},
	{netip.MustParsePrefix("198.18.0.0/15"), "benchmarking"},
	{netip.MustParsePrefix("198.51.100.0/24"), "documentation"},
	{netip.MustParsePrefix("203.0.113.0/24"), "documentation"},
	{netip.MustParsePrefix("240.0.0.0/4"), "reserved"},
}

var (
	nat64    = netip.MustParsePrefix("64:ff9b::/96")
	nat64Loc = netip.MustParsePrefix("64:ff9b:1::/48")
	sixTo4   = netip.MustParsePrefix("2002::/16")
	v4compat = netip.MustParsePrefix("::/96")
	docV6    = netip.MustParsePrefix("2001:db8::/32")
	discard6 = netip.MustParsePrefix("100::/64")
)

// blockedReason returns why a is not a public unicast address, or "".
func blockedReason(a netip.Addr) string {
	a = a.Unmap().WithZone("")
	switch {
	case !a.IsValid():
		return "invalid"
	case a.IsUnspecified():
		return "unspecified"
	case a.IsLoopback():
		return "loopback"
	case a.IsPrivate():
		return "private"
	case a.IsLinkLocalUnicast():
		return "link-local"
	case a.IsMulticast(), a.IsLinkLocalMulticast(), a.IsInterfaceLocalMulticast():
		return "multicast"
	}
	if a.Is4() {
		if a == netip.AddrFrom4([4]byte{255, 255, 255, 255}) {
			return "broadcast"
		}
		for _, s := range specialV4 {
			if s.p.Contains(a) {
				return s.reason
			}
		}
		return ""
	}
	b := a.As16()
	switch {
	case nat64.Contains(a), v4compat.Contains(a):
		// The IPv4 address embedded in the low 32 bits decides.
		if r := blockedReason(netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]})); r != "" {
			return r + " (embedded in an IPv6 address)"
		}
	case sixTo4.Contains(a):
		if r := blockedReason(netip.AddrFrom4([4]byte{b[2], b[3], b[4], b[5]})); r != "" {
			return r + " (embedded in a 6to4 address)"
		}
	case nat64Loc.Contains(a):
		return "local-use NAT64"
	case docV6.Contains(a):
		return "documentation"
	case discard6.Contains(a):
		return "discard-only"
	}
	return ""
}

// trustKey carries, in a request's context, the host a webhook's operator declared.
type trustKey struct{}

func withTrustedHost(ctx context.Context, host string) context.Context {
	return context.WithValue(ctx, trustKey{}, strings.ToLower(host))
}

func trustedHost(ctx context.Context, host string) bool {
	h, _ := ctx.Value(trustKey{}).(string)
	return h != "" && strings.EqualFold(h, host)
}

// MaxRedirects is how many redirects http_request and webhooks follow.
const MaxRedirects = 5

// dial resolves addr's host and connects to the first address the policy permits. The
// socket's own address is checked again just before connecting (Control), so nothing
// that bypasses the resolution step can reach a refused address.
func (g *netGuard) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	trusted := trustedHost(ctx, host)
	if err := g.checkHost(host, trusted); err != nil {
		return nil, err
	}
	var addrs []netip.Addr
	if a, err := netip.ParseAddr(host); err == nil {
		addrs = []netip.Addr{a}
	} else {
		addrs, err = g.resolver.LookupNetIP(ctx, "ip", host)
		if err != nil {
			return nil, err
		}
	}
	d := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second, Control: g.control(host, trusted)}
	var errs []error
	for _, a := range addrs {
		if err := g.checkAddr(host, a, trusted); err != nil {
			errs = append(errs, err)
			continue
		}
		conn, err := d.DialContext(ctx, network, net.JoinHostPort(a.Unmap().String(), port))
		if err == nil {
			return conn, nil
		}
		errs = append(errs, err)
	}
	if len(errs) == 0 {
		return nil, fmt.Errorf("%s has no addresses", host)
	}
	// A refusal is the interesting error: report it first.
	for _, e := range errs {
		var be *BlockedError
		if errors.As(e, &be) {
			return nil, be
		}
	}
	return nil, errors.Join(errs...)
}

// control checks the address a socket is about to connect to (net.Dialer.Control).
func (g *netGuard) control(host string, trusted bool) func(network, address string, c syscall.RawConn) error {
	return func(_, address string, _ syscall.RawConn) error {
		ap, err := netip.ParseAddrPort(address)
		if err != nil {
			return fmt.Errorf("refused to connect to %s: cannot parse %q", host, address)
		}
		return g.checkAddr(host, ap.Addr(), trusted)
	}
}

// checkRedirect limits and re-checks redirects. Checking the resolved addresses here
// as well as at dial time matters for pooled connections: a redirect may reuse a
// connection opened for another request under another trust decision.
func (g *netGuard) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= MaxRedirects {
		return fmt.Errorf("stopped after %d redirects", MaxRedirects)
	}
	if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
		return Permanent(fmt.Errorf("refused redirect to %s: only http and https are allowed", req.URL.Redacted()))
	}
	host := req.URL.Hostname()
	trusted := trustedHost(req.Context(), host)
	if err := g.checkHost(host, trusted); err != nil {
		return err
	}
	if trusted || g.hostListed(host) {
		return nil
	}
	var addrs []netip.Addr
	if a, err := netip.ParseAddr(host); err == nil {
		addrs = []netip.Addr{a}
	} else {
		var err error
		addrs, err = g.resolver.LookupNetIP(req.Context(), "ip", host)
		if err != nil {
			return err
		}
	}
	for _, a := range addrs {
		if err := g.checkAddr(host, a, false); err != nil {
			return err
		}
	}
	return nil
}

// newGuardedClient returns an HTTP client whose connections go through g. No proxy is
// used: a proxy would make the dialled address meaningless to the guard.
func newGuardedClient(g *netGuard) *http.Client {
	tr := &http.Transport{
		Proxy:                 nil,
		DialContext:           g.dial,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          64,
		MaxIdleConnsPerHost:   8,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
	return &http.Client{Transport: tr, CheckRedirect: g.checkRedirect}
}
