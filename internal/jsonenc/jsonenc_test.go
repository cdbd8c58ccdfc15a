package jsonenc_test

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/planwise/planwise/internal/jsonenc"
	"github.com/planwise/planwise/internal/jsonenc/jsonenctest"
	"github.com/planwise/planwise/plan"
)

// values are JSON values of every kind a plan's arguments hold, and the edges of
// encoding/json's formatting.
var values = []any{
	nil, true, false, "", "é", "\u2028\u2029", "\x00\x08\x0c\x1f\x7f", "invalid \xff utf-8 \xe2\x82", `"quoted" \ back`,
	"<script>&amp;</script>", "😀", "tab\tnew\nline\rret",
	"0123456789abcdef<", "01234567\"9abcdef", "0123456789abcde\\", "0123456\x7f89abcdef\x01", "01234567é", "0123456789abcdef\u2028x",
	"\u2029234567&", "long enough for words: a word, then another, and é and <>",
	0.0, math.Copysign(0, -1), 1.0, -12.5, 1e20, 1e21, 1e-6, 1e-7, 123456789.125, math.MaxFloat64,
	math.SmallestNonzeroFloat64, 0.1 + 0.2, -1e-300, 1e15 - 1, -1e15 + 1, 1e15, -1e15, 123456789012345.0, 2.5e14, -3.0, 1 << 53, 1e300,
	0, -1, math.MaxInt, int64(math.MaxInt64), uint64(math.MaxUint64), int32(-5), float32(0.1),
	json.Number("12345678901234567890"), json.Number("-0.5e+10"), json.Number(""), json.Number("1E-7"),
	[]any{}, []any(nil), []any{1.5, "a", nil, []any{true}},
	map[string]any{}, map[string]any(nil), map[string]any{"z": 1.0, "a": "x", "M": map[string]any{"<": ">"}, "": nil},
	map[string]any{"k0": 0.0, "k1": 1.0, "k2": 2.0, "k3": 3.0, "k4": 4.0, "k5": 5.0, "k6": 6.0, "k7": 7.0, "k8": 8.0, "k9": 9.0},
	[]string{"a", "<b>"}, map[string]string{"b": "1", "a": "2"}, json.RawMessage(`{"b": 1, "a":[1, 2]}`),
	time.Date(2026, 12, 5, 10, 0, 0, 123456789, time.FixedZone("X", 3600)),
	struct {
		A int    `json:"a"`
		B string `json:"b,omitempty"`
	}{A: 1},
}

// unsupported are values encoding/json refuses.
var unsupported = []any{math.NaN(), math.Inf(1), json.Number("1.x"), json.Number("-"), json.Number("01"), []any{1.0, math.Inf(-1)},
	map[string]any{"a": json.Number("++")}, func() {}}

func marshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("encoding/json: %v", err)
	}
	return b
}

func TestValueMatchesStdlib(t *testing.T) {
	for _, v := range values {
		got, err := jsonenc.Value([]byte("prefix "), v)
		if want := append([]byte("prefix "), marshal(t, v)...); err != nil || !bytes.Equal(got, want) {
			t.Errorf("Value(%#v) = %s, %v; encoding/json writes %s", v, got, err, want)
		}
	}
	for _, v := range unsupported {
		if _, err := json.Marshal(v); err == nil {
			t.Fatalf("encoding/json encodes %#v", v)
		}
		if got, err := jsonenc.Value(nil, v); err == nil {
			t.Errorf("Value(%#v) = %s, want an error as encoding/json's", v, got)
		}
	}
}

func TestTimeAndFloat(t *testing.T) {
	for _, tm := range []time.Time{{}, time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.FixedZone("", -3600*23))} {
		got, err := jsonenc.Time(nil, tm)
		if want := marshal(t, tm); err != nil || !bytes.Equal(got, want) {
			t.Errorf("Time(%v) = %s, %v; encoding/json writes %s", tm, got, err, want)
		}
	}
	if got, err := jsonenc.Time([]byte("x"), time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)); err == nil || string(got) != "x" {
		t.Errorf("Time of year 10000: %s, %v", got, err)
	}
	for _, f := range []float64{math.NaN(), math.Inf(-1)} {
		if _, err := jsonenc.Float(nil, f); err == nil {
			t.Errorf("Float(%v) did not fail", f)
		}
	}
}

// checkPlan fails when Plan and encoding/json write p differently.
func checkPlan(t *testing.T, p *plan.Plan) {
	t.Helper()
	got, err := jsonenc.Plan(nil, p)
	if want := marshal(t, p); err != nil || !bytes.Equal(got, want) {
		t.Fatalf("Plan(%#v):\n got %s, %v\nwant %s (encoding/json)", p, got, err, want)
	}
}

func TestPlanMatchesStdlib(t *testing.T) {
	args := map[string]any{}
	for i, v := range values {
		args[strings.Repeat("k", i%5)+string(rune('a'+i%26))] = v
	}
	full := &plan.Plan{}
	jsonenctest.Fill(full) // every field: one added to plan.Plan or plan.Step fails here
	for _, p := range []*plan.Plan{
		nil, {}, {Steps: []plan.Step{}}, full,
		{Goal: "g <&>", Reasoning: "r", Steps: []plan.Step{
			{ID: "s1", Tool: "calculate", Args: map[string]any{"expression": "(12.5 + 7) * 3"}},
			{ID: "s2", Tool: "t", Args: args, After: []string{"s1"}, If: "s1.ok && 1 < 2", ForEach: "${s1.items}"},
			{ID: "s3", Tool: "t", After: []string{}},
		}},
	} {
		checkPlan(t, p)
	}
	if _, err := jsonenc.Plan(nil, &plan.Plan{Steps: []plan.Step{{Args: map[string]any{"n": math.NaN()}}}}); err == nil {
		t.Error("a plan with a NaN argument did not fail")
	}
}

// FuzzPlanMatchesStdlib: any JSON value a plan's arguments can hold (numbers as float64
// or as json.Number, as plan.Decode reads them), and any text, is written by Plan as
// encoding/json writes it.
func FuzzPlanMatchesStdlib(f *testing.F) {
	for _, s := range []string{`{"a":1}`, `[1.5e300, -0, 1e21, 1e-7, 0.000001]`, `"<&>\u2028"`, `{"z":{"y":[null,true,"\ud800"]},"a":""}`, `123456789012345678901234567890`, "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var fl, n any // numbers as float64, and as json.Number (plan.Decode)
		if json.Unmarshal([]byte(s), &fl) != nil {
			checkPlan(t, &plan.Plan{Goal: s, Reasoning: s, Steps: []plan.Step{{ID: s, Tool: s, Args: map[string]any{s: s}, After: []string{s}, If: s, ForEach: s}}})
			return
		}
		dec := json.NewDecoder(strings.NewReader(s))
		dec.UseNumber()
		if dec.Decode(&n) != nil {
			t.Fatalf("%q decodes with float64s but not with json.Number", s)
		}
		checkPlan(t, &plan.Plan{Goal: s, Steps: []plan.Step{{ID: "s1", Tool: "t", Args: map[string]any{"f": fl, "n": n, strings.ToUpper(s): s}}}})
	})
}

func BenchmarkPlan(b *testing.B) {
	p := &plan.Plan{Goal: "calculate (12.5 + 7) * 3", Reasoning: `pattern planner: "calculate (12.5 + 7) * 3" -> calculate (18.4)`,
		Steps: []plan.Step{{ID: "s1", Tool: "calculate", Args: map[string]any{"expression": "(12.5 + 7) * 3"}}}}
	var buf []byte
	b.ReportAllocs()
	for b.Loop() {
		buf, _ = jsonenc.Plan(buf[:0], p)
	}
}

// checkFloat fails when Float and encoding/json write f differently.
func checkFloat(t *testing.T, f float64) {
	t.Helper()
	want, werr := json.Marshal(f)
	got, err := jsonenc.Float(nil, f)
	if (err == nil) != (werr == nil) || err == nil && !bytes.Equal(got, want) {
		t.Fatalf("Float(%v) = %s, %v; encoding/json writes %s, %v", f, got, err, want, werr)
	}
}

// Floats made as the hit path makes them (milliseconds of latency, seconds of age from
// nanoseconds) and their neighbours are written as encoding/json writes them.
func TestFloatDecimals(t *testing.T) {
	for _, k := range []int64{1, 7, 119, 1000, 1001, 99999, 123456789, 188422745, 999999999999999, 1e15 - 1, 1e15, 1e15 + 1, 5e17} {
		for _, scale := range []float64{1, 1e3, 1e6, 1e9} {
			for _, f := range []float64{float64(k) / scale, -float64(k) / scale, math.Nextafter(float64(k)/scale, 0), math.Nextafter(float64(k)/scale, math.Inf(1))} {
				checkFloat(t, f)
			}
		}
	}
	for _, d := range []time.Duration{1, 999, 1000, 188422745, 1500 * time.Millisecond, 36 * time.Hour, 1<<63 - 1} {
		checkFloat(t, d.Seconds())
		checkFloat(t, float64(d.Microseconds())/1000)
	}
	for _, f := range []float64{1e-6, 1e-6 + 1e-22, 0.000001, 0.0000015, 1.5e-6, 0.3, 0.1 + 0.2, 1e21 - 1e5, 123456.789, 1e14 + 0.5} {
		checkFloat(t, f)
		checkFloat(t, -f)
	}
}

// FuzzFloat: any float64, and any decimal of a few digits, is written as encoding/json
// writes it.
func FuzzFloat(f *testing.F) {
	f.Add(uint64(0), int64(119), uint8(3))
	f.Add(math.Float64bits(0.188422745), int64(188422745), uint8(9))
	f.Fuzz(func(t *testing.T, bits uint64, k int64, d uint8) {
		checkFloat(t, math.Float64frombits(bits))
		checkFloat(t, float64(k)/math.Pow10(int(d%19)))
	})
}

// BenchmarkFloat writes a cache hit's latency (ms) and age (s), as Float does and as
// strconv's shortest form alone did.
func BenchmarkFloat(b *testing.B) {
	vals := []float64{0.119, 0.188422745}
	var buf []byte
	b.Run("Float", func(b *testing.B) {
		for b.Loop() {
			for _, f := range vals {
				buf, _ = jsonenc.Float(buf[:0], f)
			}
		}
	})
	b.Run("strconv", func(b *testing.B) {
		for b.Loop() {
			for _, f := range vals {
				buf = strconv.AppendFloat(buf[:0], f, 'f', -1, 64)
			}
		}
	})
}
