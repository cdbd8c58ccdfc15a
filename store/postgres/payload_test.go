package postgres

import "testing"

func TestPayloadRoundTrip(t *testing.T) {
	for _, p := range []payload{
		{Seq: 1, Op: opPut, Count: 1, Origin: "A", ID: "e1"},
		{Seq: 99, Op: opDelete, Count: 7, Origin: "replica-2", ID: ""},
	} {
		got, err := parsePayload(formatPayload(p))
		if err != nil || got != p {
			t.Fatalf("round trip of %+v: %+v, %v", p, got, err)
		}
	}
	if o := (&DB{}).CacheStore("host a\t7").Origin(); o != "host-a-7" {
		t.Fatalf("origin %q, want white space replaced", o)
	}
	if o := (&DB{}).CacheStore("").Origin(); len(o) != 16 {
		t.Fatalf("empty origin became %q, want a random one", o)
	}
	for _, bad := range []string{"", "1 put 1 A", "x put 1 A e", "0 put 1 A e", "1 move 1 A e", "1 put 0 A e", "-3 delete 1 A e"} {
		if _, err := parsePayload(bad); err == nil {
			t.Errorf("parsePayload(%q) accepted", bad)
		}
	}
}

// FuzzParsePayload: notifications come from any session that can NOTIFY on the channel;
// parsing never panics and what it accepts formats back to an equivalent payload.
func FuzzParsePayload(f *testing.F) {
	f.Add("12 put 1 A 5f2b")
	f.Add("13 delete 40 B ")
	f.Add("1 put 1  ")
	f.Fuzz(func(t *testing.T, s string) {
		p, err := parsePayload(s)
		if err != nil {
			return
		}
		if p.Seq <= 0 || p.Count < 1 || (p.Op != opPut && p.Op != opDelete) {
			t.Fatalf("accepted %q as %+v", s, p)
		}
		q, err := parsePayload(formatPayload(p))
		if err != nil || q != p {
			t.Fatalf("%q: %+v does not round-trip: %+v, %v", s, p, q, err)
		}
	})
}
