package execute

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"testing"
)

func TestBlockedReason(t *testing.T) {
	cases := map[string]string{
		"127.0.0.1":              "loopback",
		"127.255.0.9":            "loopback",
		"10.1.2.3":               "private",
		"172.31.255.255":         "private",
		"192.168.0.1":            "private",
		"169.254.169.254":        "link-local",
		"100.64.0.1":             "carrier-grade NAT (100.64.0.0/10)",
		"100.127.255.254":        "carrier-grade NAT (100.64.0.0/10)",
		"0.0.0.0":                "unspecified",
		"0.1.2.3":                "unspecified (\"this network\")",
		"224.0.0.1":              "multicast",
		"255.255.255.255":        "broadcast",
		"198.18.0.1":             "benchmarking",
		"240.0.0.1":              "reserved",
		"::1":                    "loopback",
		"::":                     "unspecified",
		"fd00::1":                "private",
		"fc00::1":                "private",
		"fe80::1":                "link-local",
		"ff02::1":                "multicast",
		"::ffff:10.0.0.1":        "private",
		"64:ff9b::a9fe:a9fe":     "link-local (embedded in an IPv6 address)",
		"2002:7f00:1::1":         "loopback (embedded in a 6to4 address)",
		"2001:db8::1":            "documentation",
		"8.8.8.8":                "",
		"1.1.1.1":                "",
		"100.63.255.255":         "",
		"2606:4700:4700::1111":   "",
		"64:ff9b::808:808":       "",
		"2002:808:808::1":        "",
		"172.32.0.1":             "",
		"192.169.0.1":            "",
		"fe80::1%eth0":           "link-local",
		"::ffff:169.254.169.254": "link-local",
		"::127.0.0.1":            "loopback (embedded in an IPv6 address)",
	}
	for s, want := range cases {
		if got := blockedReason(netip.MustParseAddr(s)); got != want {
			t.Errorf("%s: %q, want %q", s, got, want)
		}
	}
}

// TestControlRefusesAtConnect: the socket-level check refuses a blocked address even
// when the caller skipped resolution checks (it sees the address actually dialled).
func TestControlRefusesAtConnect(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	g := newNetGuard(NetPolicy{})
	d := net.Dialer{Control: g.control("public.example", false)}
	_, err = d.DialContext(context.Background(), "tcp", ln.Addr().String())
	var be *BlockedError
	if !errors.As(err, &be) || be.Host != "public.example" || be.Reason != "loopback" {
		t.Fatalf("want a loopback refusal for public.example, got %v", err)
	}
	// Trusted (a webhook's declared host) or allow-listed: the same dial goes through.
	for _, d := range []net.Dialer{
		{Control: g.control("hook.internal", true)},
		{Control: newNetGuard(NetPolicy{AllowHosts: []string{"127.0.0.0/8"}}).control("public.example", false)},
	} {
		c, err := d.DialContext(context.Background(), "tcp", ln.Addr().String())
		if err != nil {
			t.Fatalf("allowed dial refused: %v", err)
		}
		c.Close()
	}
}

func TestAllowListMatching(t *testing.T) {
	g := newNetGuard(NetPolicy{AllowHosts: []string{"API.example.com", "*.corp.example", "10.1.0.0/16", "::1", " "}})
	for host, want := range map[string]bool{
		"api.example.com":   true,
		"api.example.com.":  true,
		"x.api.example.com": false,
		"a.corp.example":    true,
		"a.b.corp.example":  true,
		"corp.example":      false,
		"evilcorp.example":  false,
		"10.1.200.3":        true,
		"10.2.0.1":          false,
		"[::1]":             true,
		"::1":               true,
	} {
		if got := g.hostListed(host); got != want {
			t.Errorf("%s: %v, want %v", host, got, want)
		}
	}
}
