package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	segjson "github.com/segmentio/encoding/json"

	"github.com/planwise/planwise/execute"
	"github.com/planwise/planwise/internal/jsonenc/jsonenctest"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/planner"
)

// decodeCorpus are request bodies of every kind decodeBody meets: valid ones, and each
// error the API's 400s quote.
var decodeCorpus = []string{
	`{"request":"calculate (12.5 + 7) * 3"}`,
	`{"request":"x","options":{"deadline_ms":1500,"offline":true,"no_cache":true,"model":"gpt-4o-mini","partial":false}}`,
	` {"request":"x"}  ` + "\n\t",
	`{"request":"x"} }`, // encoding/json's Decoder.More accepts a closing brace after the value
	`{"request":"x"} ]`,
	`{"Request":"case-insensitive keys"}`,
	`{"request":"x","request":"the last wins"}`,
	`{"request":"\u00e9t\u00e9 \ud83d\ude00 <b>&</b> \u2028"}`,
	`{"request":"\ud800 unpaired"}`,
	"{\"request\":\"invalid \xff utf-8\"}",
	`{"request":"x","plan":{"goal":"g","steps":[{"id":"s1","tool":"t","args":{"n":1e400}}]}}`,
	`{"plan":{"goal":"g","steps":[{"id":"s1","tool":"t","args":{"n":12.50,"big":123456789012345678901234567890,"l":[1,"a",null,true,{}]}}]}}`,
	`{"rating":1,"comment":"good","time":"2026-12-05T10:00:00Z"}`,
	`{"rating":1,"time":"yesterday"}`,
	`null`,
	`{}`,
	``,
	`   `,
	`{"request":"x","foo":1}`,
	`{"options":{"bogus":true}}`,
	`{"request":5}`,
	`{"options":{"deadline_ms":"x"}}`,
	`{"options":{"deadline_ms":1.5}}`,
	`{"options":{"deadline_ms":99999999999999999999}}`,
	`{"request":"x"`,
	`{"request":"x"} {}`,
	`{"request":"x"} x`,
	`[]`,
	`nul`,
	`{"request":"x",}`,
	`{'request':'x'}`,
	`{"request":"\x"}`,
	`{"request":"tab	inside"}`,
	`{"dry_run":"yes"}`,
	`{"options":null,"request":null}`,
	// decodePlanRequest's bodies, and the near misses it leaves to the full decoding
	` { "request" : "x" } ` + "\r\n",
	`{"request":""}`,
	`{"request":"é 😀 <&> \u0041"}`,
	"{\"request\":\"del \x7f and é\"}",
	"{\"request\":\"invalid \xff\"}",
	"{\"request\":\"tab\tinside\"}",
	`{"request":"x"}x`,
	`{"request":"x"}}`,
	`{"requests":"x"}`,
	`{"request" "x"}`,
	`{"request":"x",}`,
	`{"request":"x"`,
	`{"request":"x`,
	`{"request"`,
	`{`,
}

func decodeTargets() []func() any {
	return []func() any{
		func() any { return new(PlanRequest) },
		func() any { return new(RunRequest) },
		func() any { return new(execute.Feedback) },
	}
}

// checkDecodeBody fails when decodeBody and encoding/json alone disagree on data.
func checkDecodeBody(t *testing.T, data []byte) {
	t.Helper()
	for _, target := range decodeTargets() {
		got, want := target(), target()
		gotErr, wantErr := decodeBody(data, got), decodeBodyStd(data, want)
		if (gotErr == nil) != (wantErr == nil) || gotErr != nil && gotErr.Error() != wantErr.Error() {
			t.Fatalf("%T from %q: error %v, encoding/json says %v", got, data, gotErr, wantErr)
		}
		if gotErr == nil && !reflect.DeepEqual(got, want) {
			t.Fatalf("%T from %q:\n got %+v\nwant %+v (encoding/json)", got, data, got, want)
		}
	}
}

func TestDecodeBodyMatchesStdlib(t *testing.T) {
	for _, body := range decodeCorpus {
		checkDecodeBody(t, []byte(body))
	}
}

// decodePlanRequest takes the body bench hits and most clients send, and leaves to the
// full decoding what needs more than copying a string.
func TestDecodePlanRequestTakesTheCommonBody(t *testing.T) {
	for body, want := range map[string]bool{
		`{"request":"calculate (12.5 + 7) * 3"}`: true,
		` { "request" : "été" } ` + "\n":         true,
		`{"request":"\u0041"}`:                   false,
		`{"request":"x","options":{}}`:           false,
		`{"Request":"x"}`:                        false,
	} {
		var pr PlanRequest
		if got := decodePlanRequest([]byte(body), &pr); got != want {
			t.Errorf("decodePlanRequest(%q) = %v, want %v", body, got, want)
		}
	}
}

// FuzzDecodeBody: for any body, decodeBody (segmentio/encoding first) accepts what
// encoding/json accepts, with the same values, and refuses the rest with encoding/json's
// error.
func FuzzDecodeBody(f *testing.F) {
	for _, body := range decodeCorpus {
		f.Add([]byte(body))
	}
	f.Fuzz(checkDecodeBody)
}

// encodeStd is what writeJSON wrote with encoding/json.
func encodeStd(v any) []byte {
	var b bytes.Buffer
	_ = json.NewEncoder(&b).Encode(v)
	return b.Bytes()
}

func checkWriteJSON(t *testing.T, v any) {
	t.Helper()
	rec := httptest.NewRecorder()
	writeJSON(rec, 200, v)
	if want := encodeStd(v); !bytes.Equal(rec.Body.Bytes(), want) {
		t.Fatalf("writeJSON(%#v):\n got %s\nwant %s (encoding/json)", v, rec.Body.Bytes(), want)
	}
}

func TestWriteJSONMatchesStdlib(t *testing.T) {
	args := map[string]any{
		"expression": "(12.5 + 7) * 3 <script>&</script>",
		"floats":     []any{0.0, -0.0, 1.0, 12.5, 1e20, 1e21, 1e-6, 1e-7, 123456789.125, math.MaxFloat64, math.SmallestNonzeroFloat64, 0.1 + 0.2},
		"ints":       []any{0, -1, int64(math.MaxInt64), uint64(math.MaxUint64), json.Number("12345678901234567890")},
		"strings":    []any{"", "é", "\u2028\u2029", "\x00\x1f\x7f", "invalid \xff utf-8", `"quoted" \ back`, "😀"},
		"nested":     map[string]any{"z": nil, "a": []any{}, "m": map[string]any{}, "b": true},
		"raw":        json.RawMessage(`{"b": 1, "a":[1, 2]}`),
		"time":       time.Date(2026, 12, 5, 10, 0, 0, 123456789, time.FixedZone("X", 3600)),
	}
	ok := &planner.Response{
		Plan: &plan.Plan{Goal: "calculate (12.5 + 7) * 3", Reasoning: `pattern planner: "x" -> calculate`, Steps: []plan.Step{
			{ID: "s1", Tool: "calculate", Args: args},
			{ID: "s2", Tool: "send_sms", Args: map[string]any{"to": "+15550100", "body": "${s1.result}"}, After: []string{"s1"}},
		}},
		Source: planner.SourceCache, Tier: "simple", Attempts: 0,
		Cache:     &planner.CacheInfo{Similarity: 0.9731, Exact: false, AgeSeconds: 12.3456, EntryID: "01a2486d"},
		RequestID: "01a2486d-97a5-734e-b70a-d7cf41a98a10", LatencyMS: 0.061, RegistryVersion: "63b94b70abeb719f",
	}
	for _, v := range []any{
		ok,
		&planner.Response{},
		map[string]any{"error": map[string]any{"code": "invalid_request", "message": `invalid JSON body: json: unknown field "foo"`, "causes": []string{"llm: <timeout>"}}},
		[]any{nil, 1, "a"},
		nil,
		struct {
			Items []int           `json:"items"`
			Empty map[string]bool `json:"empty,omitempty"`
			When  *time.Time      `json:"when,omitempty"`
		}{},
	} {
		checkWriteJSON(t, v)
	}
}

// checkWritePlan fails when writePlan and writeJSON answer resp differently.
func checkWritePlan(t *testing.T, resp *planner.Response) {
	t.Helper()
	got, want := httptest.NewRecorder(), httptest.NewRecorder()
	writePlan(got, resp)
	writeJSON(want, http.StatusOK, resp)
	if got.Code != want.Code || !reflect.DeepEqual(got.Header(), want.Header()) || !bytes.Equal(got.Body.Bytes(), want.Body.Bytes()) {
		t.Fatalf("writePlan(%#v):\n got %d %v %s\nwant %d %v %s (writeJSON)", resp, got.Code, got.Header(), got.Body, want.Code, want.Header(), want.Body)
	}
	if want := encodeStd(resp); !bytes.Equal(got.Body.Bytes(), want) {
		t.Fatalf("writePlan(%#v):\n got %s\nwant %s (encoding/json)", resp, got.Body, want)
	}
}

// appendResponse writes every field of planner.Response as encoding/json does: a field
// added to Response (or to what it holds) and not to appendResponse fails here.
func TestAppendResponseMatchesStdlib(t *testing.T) {
	full := &planner.Response{}
	jsonenctest.Fill(full)
	hit := &planner.Response{
		Plan: &plan.Plan{Goal: "calculate (12.5 + 7) * 3", Reasoning: `pattern planner: "calculate (12.5 + 7) * 3" -> calculate (18.4)`,
			Steps: []plan.Step{{ID: "s1", Tool: "calculate", Args: map[string]any{"expression": "(12.5 + 7) * 3"}}}},
		Source: planner.SourceCache, Tier: "simple", PromptVersion: "8116fc65a932", RegistryVersion: "63b94b70abeb719f",
		Cache:     &planner.CacheInfo{Similarity: 1, Exact: true, AgeSeconds: 0.188422745, EntryID: "4be61b6155b7b09c84f66c13f39bc75b"},
		RequestID: "01a249d5-c5ad-7d0e-a053-c9c1b8e3f7c8", LatencyMS: 0.119,
	}
	for _, resp := range []*planner.Response{full, hit, {}, {Cache: &planner.CacheInfo{}, Errors: []string{}, Unplanned: []string{}}, {Plan: &plan.Plan{}, CostUSD: 1e-7, LatencyMS: 1e21}} {
		checkWritePlan(t, resp)
	}
	// What appendResponse cannot write is written by writeJSON, as it always was.
	for _, resp := range []*planner.Response{{LatencyMS: math.NaN()}, {Cache: &planner.CacheInfo{AgeSeconds: math.Inf(1)}},
		{Plan: &plan.Plan{Steps: []plan.Step{{Args: map[string]any{"n": json.Number("x")}}}}}} {
		if _, err := appendResponse(nil, resp); err == nil {
			t.Errorf("appendResponse(%#v) did not fail", resp)
		}
		checkWritePlan(t, resp)
	}
}

// FuzzEncodeMatchesStdlib: any JSON value a plan's arguments can hold (numbers as
// float64 or as json.Number, as plan.Decode reads them) is written by writeJSON as encoding/json writes it.
func FuzzEncodeMatchesStdlib(f *testing.F) {
	for _, s := range []string{`{"a":1}`, `[1.5e300, -0, 1e21, 1e-7, 0.000001]`, `"<&>\u2028"`, `{"z":{"y":[null,true,"\ud800"]},"a":""}`, `123456789012345678901234567890`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var f, n any // numbers as float64, and as json.Number (plan.Decode)
		if json.Unmarshal([]byte(s), &f) != nil {
			return
		}
		dec := json.NewDecoder(strings.NewReader(s))
		dec.UseNumber()
		if dec.Decode(&n) != nil {
			t.Fatalf("%q decodes with float64s but not with json.Number", s)
		}
		p := &plan.Plan{Goal: s, Steps: []plan.Step{{ID: "s1", Tool: "t", Args: map[string]any{"f": f, "n": n, strings.ToUpper(s): s}}}}
		checkWriteJSON(t, p)
		checkWritePlan(t, &planner.Response{Plan: p, Source: s, RequestID: s, Errors: []string{s}})
	})
}

// readBody reads what io.ReadAll of http.MaxBytesReader reads, whatever the announced
// length and however the body arrives, a body longer than it says (a request made by
// hand) included.
func TestReadBody(t *testing.T) {
	body := []byte(`{"request":"calculate (12.5 + 7) * 3"}`)
	n := int64(len(body))
	for _, c := range []struct {
		name     string
		r        func() io.Reader
		n, limit int64
	}{
		{"exact", func() io.Reader { return bytes.NewReader(body) }, n, 1 << 20},
		{"exact at the limit", func() io.Reader { return bytes.NewReader(body) }, n, n},
		{"unknown length", func() io.Reader { return bytes.NewReader(body) }, -1, 1 << 20},
		{"unknown length over the limit", func() io.Reader { return bytes.NewReader(body) }, -1, 10},
		{"announced longer", func() io.Reader { return bytes.NewReader(body) }, n + 50, 1 << 20},
		{"announced shorter", func() io.Reader { return bytes.NewReader(body) }, 3, 1 << 20},
		{"announced shorter, over the limit", func() io.Reader { return bytes.NewReader(body) }, 3, 10},
		{"announced shorter, over the limit one byte at a time", func() io.Reader {
			return iotest.OneByteReader(bytes.NewReader(body))
		}, 3, 10},
		{"announced shorter, one past the limit", func() io.Reader { return bytes.NewReader(body) }, 3, n - 1},
		{"announced over the limit", func() io.Reader { return bytes.NewReader(body) }, 1 << 21, 1 << 20},
		{"announced and over the limit", func() io.Reader { return bytes.NewReader(body) }, n, 10},
		{"one byte at a time", func() io.Reader { return iotest.OneByteReader(bytes.NewReader(body)) }, n, 1 << 20},
		{"data with EOF", func() io.Reader { return iotest.DataErrReader(bytes.NewReader(body)) }, n, 1 << 20},
		{"a failing read", func() io.Reader {
			return io.MultiReader(bytes.NewReader(body[:5]), iotest.ErrReader(io.ErrUnexpectedEOF))
		}, n, 1 << 20},
		{"empty", func() io.Reader { return bytes.NewReader(nil) }, 0, 1 << 20},
	} {
		got, gotErr := readBody(httptest.NewRecorder(), io.NopCloser(c.r()), c.n, c.limit)
		want, wantErr := io.ReadAll(http.MaxBytesReader(httptest.NewRecorder(), io.NopCloser(c.r()), c.limit))
		if !bytes.Equal(got, want) || fmt.Sprintf("%T %[1]v", gotErr) != fmt.Sprintf("%T %[1]v", wantErr) {
			t.Errorf("%s: %q %v, io.ReadAll of MaxBytesReader reads %q %v", c.name, got, gotErr, want, wantErr)
		}
	}
}

// The keys headerGet and headerSet are given are canonical: net/http would otherwise make
// the canonical key again on every Get and Set (TestCacheHitAllocationBudget counts
// them), and the map's key must be the one Get, Set and the client read and write.
func TestCanonicalHeaderKeys(t *testing.T) {
	for key, name := range map[string]string{requestIDHeader: "X-Request-ID", contentTypeHeader: "content-type"} {
		if c := textproto.CanonicalMIMEHeaderKey(key); c != key || !strings.EqualFold(c, name) {
			t.Fatalf("header key %q, canonical %q", key, c)
		}
		h := http.Header{}
		headerSet(h, key, "v")
		if h.Get(name) != "v" || headerGet(h, key) != "v" {
			t.Fatalf("headerSet/headerGet of %q disagree with Header.Get: %v", key, h)
		}
		h.Set(name, "w")
		if headerGet(h, key) != "w" {
			t.Fatalf("headerGet(%q) does not read Header.Set's value: %v", key, h)
		}
	}
}

// discardWriter is a ResponseWriter that keeps nothing but its header.
type discardWriter struct{ h http.Header }

func (d *discardWriter) Header() http.Header         { return d.h }
func (d *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (d *discardWriter) WriteHeader(int)             {}

// BenchmarkReply writes a cache hit's reply (the bench hits request's) as writeJSON did
// and as writePlan does.
func BenchmarkReply(b *testing.B) {
	resp := &planner.Response{
		Plan: &plan.Plan{Goal: "calculate (12.5 + 7) * 3", Reasoning: `pattern planner: "calculate (12.5 + 7) * 3" -> calculate (18.4)`,
			Steps: []plan.Step{{ID: "s1", Tool: "calculate", Args: map[string]any{"expression": "(12.5 + 7) * 3"}}}},
		Source: planner.SourceCache, Tier: "simple", PromptVersion: "8116fc65a932", RegistryVersion: "63b94b70abeb719f",
		Cache:     &planner.CacheInfo{Similarity: 1, Exact: true, AgeSeconds: 0.188422745, EntryID: "4be61b6155b7b09c84f66c13f39bc75b"},
		RequestID: "01a249d5-c5ad-7d0e-a053-c9c1b8e3f7c8", LatencyMS: 0.119,
	}
	w := &discardWriter{h: http.Header{}}
	b.Run("writeJSON", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			writeJSON(w, http.StatusOK, resp)
		}
	})
	b.Run("writePlan", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			writePlan(w, resp)
		}
	})
}

// BenchmarkDecodeBody decodes the bench hits request's body as decodeBody does, and as
// segmentio/encoding alone did.
func BenchmarkDecodeBody(b *testing.B) {
	body := []byte(`{"request":"calculate (12.5 + 7) * 3"}`)
	b.Run("decodeBody", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var pr PlanRequest
			if err := decodeBody(body, &pr); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("segmentio", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var pr PlanRequest
			if _, err := segjson.Parse(body, &pr, segjson.DisallowUnknownFields); err != nil {
				b.Fatal(err)
			}
		}
	})
}
