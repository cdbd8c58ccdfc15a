// Package jsonenc appends, without reflection, the bytes encoding/json writes for the
// values a cache hit's reply and history record are made of: strings, numbers, the JSON
// values of a plan's arguments, and plans. Through segmentio/encoding, whose codecs walk
// each struct's fields through reflection, the reply and the record took about 12,000
// and 18,000 instructions, a third of a cache hit's in BenchmarkServeCacheHit (issue 13,
// BENCHMARKS.md).
//
// Every appender writes exactly what json.Marshal writes (HTML characters escaped, map
// keys sorted, numbers as encoding/json formats them); a value of a type it does not
// know is appended by segmentio/encoding with the same options, which is held to
// encoding/json's bytes too. An error is a value encoding/json refuses (a NaN, an invalid
// json.Number): the caller falls back to encoding it whole, for the error it expects.
// The tests hold each appender to encoding/json's bytes, and fail when plan.Plan or
// plan.Step gains a field Plan does not write.
package jsonenc

import (
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	segjson "github.com/segmentio/encoding/json"

	"github.com/planwise/planwise/plan"
)

// ErrUnsupported is the error of a value encoding/json refuses to encode.
var ErrUnsupported = errors.New("jsonenc: a value encoding/json does not encode")

const hex = "0123456789abcdef"

// safe are the bytes encoding/json writes as they are in a string when it escapes HTML:
// printable ASCII, and none of " \ < > &.
var safe = func() (s [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		s[c] = true
	}
	for _, c := range `"\<>&` {
		s[c] = false
	}
	return s
}()

// String appends s as encoding/json writes a string: quoted, with " \\ and control
// characters escaped, < > & as \u003c \u003e \u0026, U+2028 and U+2029 escaped, and each
// byte of invalid UTF-8 as \ufffd.
func String(b []byte, s string) []byte {
	b = append(b, '"')
	start, i := 0, 0
	for {
		// Eight bytes at a time tested as one word (SWAR): none at 0x80 or above, none
		// below 0x20, none of " \ < > &.
		for len(s)-i >= 8 {
			w := s[i : i+8]
			x := uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
				uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56
			if (x&hi8)|less8(x, 0x20)|less8(x^(lo8*'"'), 1)|less8(x^(lo8*'\\'), 1)|
				less8(x^(lo8*'<'), 1)|less8(x^(lo8*'>'), 1)|less8(x^(lo8*'&'), 1) != 0 {
				break
			}
			i += 8
		}
		// Then a byte at a time, up to the first byte that is not safe (within the
		// eight that were not, or in the last seven).
		for i < len(s) && safe[s[i]] {
			i++
		}
		if i == len(s) {
			break
		}
		if c := s[i]; c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

const (
	lo8 = 0x0101010101010101
	hi8 = 0x8080808080808080
)

// less8 is not zero when a byte of x is below n (n <= 0x80, and no byte of x at 0x80 or
// above: String tests that too).
func less8(x uint64, n uint64) uint64 { return (x - lo8*n) &^ x & hi8 }

// Float appends f as encoding/json writes a float64 (as ES6 formats numbers: no exponent
// from 1e-6 to 1e21); NaN and infinities are ErrUnsupported.
func Float(b []byte, f float64) ([]byte, error) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return b, ErrUnsupported
	}
	if i := int64(f); float64(i) == f && i > -1e15 && i < 1e15 && (i != 0 || !math.Signbit(f)) {
		// A whole number (a similarity of 1, a cost of 0) is its digits, as strconv's
		// shortest form writes it, without that search.
		return strconv.AppendInt(b, i, 10), nil
	}
	if b, ok := appendDecimal(b, f); ok {
		return b, nil
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// e-09 is written e-9
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b, nil
}

// decimalScales are the fractions appendDecimal tries: milliseconds (a latency of
// 0.119 ms), microseconds and nanoseconds (an age of 0.188422745 s).
var decimalScales = [...]struct {
	mul    float64
	digits int // at most 9
	pow    int64
}{{1e3, 3, 1e3}, {1e6, 6, 1e6}, {1e9, 9, 1e9}}

// appendDecimal appends f as strconv's shortest form does when f is the float64
// nearest a decimal k/10^d (d = 3, 6 or 9) of at most 15 significant digits, and
// reports false otherwise. Such a decimal is the shortest that reads back as f: two
// decimals of 15 digits or fewer are never the same float64 (10^15 < 2^53), so a
// shorter one would be another decimal reading as f. Its digits are written directly,
// without strconv's search for them (2.6% of BenchmarkServeCacheHit's CPU profile for
// a hit's latency and age, 1.3% this way). f is not whole, and at least 1e-6 (below it
// encoding/json writes an exponent). TestFloatDecimals and FuzzFloat hold it to
// encoding/json.
func appendDecimal(b []byte, f float64) ([]byte, bool) {
	abs := math.Abs(f)
	if abs < 1e-6 {
		return b, false
	}
	for _, sc := range decimalScales {
		if abs*sc.mul >= 1e15 {
			return b, false
		}
		k := math.Round(abs * sc.mul)
		if k/sc.mul != abs {
			continue
		}
		n := int64(k)
		if f < 0 {
			b = append(b, '-')
		}
		b = strconv.AppendInt(b, n/sc.pow, 10)
		var digits [9]byte
		frac := n % sc.pow
		for i := sc.digits - 1; i >= 0; i-- {
			digits[i] = byte('0' + frac%10)
			frac /= 10
		}
		end := sc.digits
		for end > 0 && digits[end-1] == '0' {
			end--
		}
		return append(append(b, '.'), digits[:end]...), true
	}
	return b, false
}

// Bool appends true or false.
func Bool(b []byte, v bool) []byte {
	if v {
		return append(b, "true"...)
	}
	return append(b, "false"...)
}

// Time appends t as encoding/json writes a time.Time (its MarshalJSON: RFC 3339 with
// nanoseconds, quoted); a time RFC 3339 cannot write (a year past 9999) is ErrUnsupported.
func Time(b []byte, t time.Time) ([]byte, error) {
	b = append(b, '"')
	out, err := t.AppendText(b)
	if err != nil {
		return b[:len(b)-1], ErrUnsupported
	}
	return append(out, '"'), nil
}

// Strings appends a list of strings (null when nil).
func Strings(b []byte, l []string) []byte {
	if l == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, s := range l {
		if i > 0 {
			b = append(b, ',')
		}
		b = String(b, s)
	}
	return append(b, ']')
}

// Value appends a JSON value as encoding/json writes it. The values a plan's arguments
// hold (nil, strings, booleans, float64 and json.Number, int, []any and map[string]any)
// are written here; any other is written by segmentio/encoding.
func Value(b []byte, v any) ([]byte, error) {
	switch t := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case string:
		return String(b, t), nil
	case bool:
		return Bool(b, t), nil
	case float64:
		return Float(b, t)
	case json.Number:
		if t == "" {
			t = "0" // encoding/json's zero Number
		}
		if !validNumber(string(t)) {
			return b, ErrUnsupported
		}
		return append(b, t...), nil
	case int:
		return strconv.AppendInt(b, int64(t), 10), nil
	case map[string]any:
		return Object(b, t)
	case []any:
		if t == nil {
			return append(b, "null"...), nil
		}
		b = append(b, '[')
		for i, x := range t {
			if i > 0 {
				b = append(b, ',')
			}
			var err error
			if b, err = Value(b, x); err != nil {
				return b, err
			}
		}
		return append(b, ']'), nil
	}
	out, err := segjson.Append(b, v, segjson.EscapeHTML|segjson.SortMapKeys)
	if err != nil {
		return b, ErrUnsupported
	}
	return out, nil
}

// Object appends m with its keys sorted (null when nil).
func Object(b []byte, m map[string]any) ([]byte, error) {
	if m == nil {
		return append(b, "null"...), nil
	}
	var small [8]string // a plan's steps have a few arguments: sorted without allocating
	keys := small[:0]
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = String(b, k)
		b = append(b, ':')
		var err error
		if b, err = Value(b, m[k]); err != nil {
			return b, err
		}
	}
	return append(b, '}'), nil
}

// Plan appends p as encoding/json writes a *plan.Plan.
func Plan(b []byte, p *plan.Plan) ([]byte, error) {
	if p == nil {
		return append(b, "null"...), nil
	}
	b = append(b, '{')
	if p.Goal != "" {
		b = append(b, `"goal":`...)
		b = String(b, p.Goal)
		b = append(b, ',')
	}
	if p.Reasoning != "" {
		b = append(b, `"reasoning":`...)
		b = String(b, p.Reasoning)
		b = append(b, ',')
	}
	b = append(b, `"steps":`...)
	if p.Steps == nil {
		return append(b, "null}"...), nil
	}
	b = append(b, '[')
	for i := range p.Steps {
		if i > 0 {
			b = append(b, ',')
		}
		var err error
		if b, err = step(b, &p.Steps[i]); err != nil {
			return b, err
		}
	}
	return append(b, "]}"...), nil
}

func step(b []byte, s *plan.Step) ([]byte, error) {
	b = append(b, `{"id":`...)
	b = String(b, s.ID)
	b = append(b, `,"tool":`...)
	b = String(b, s.Tool)
	b = append(b, `,"args":`...)
	b, err := Object(b, s.Args)
	if err != nil {
		return b, err
	}
	if len(s.After) > 0 {
		b = append(b, `,"after":`...)
		b = Strings(b, s.After)
	}
	if s.If != "" {
		b = append(b, `,"if":`...)
		b = String(b, s.If)
	}
	if s.ForEach != "" {
		b = append(b, `,"for_each":`...)
		b = String(b, s.ForEach)
	}
	return append(b, '}'), nil
}

// validNumber reports whether s is a JSON number (RFC 8259, section 6), as encoding/json
// checks a json.Number before writing it.
func validNumber(s string) bool {
	if s != "" && s[0] == '-' {
		s = s[1:]
	}
	switch {
	case s == "":
		return false
	case s[0] == '0':
		s = s[1:]
	case '1' <= s[0] && s[0] <= '9':
		s = skipDigits(s[1:])
	default:
		return false
	}
	if len(s) >= 2 && s[0] == '.' && isDigit(s[1]) {
		s = skipDigits(s[2:])
	}
	if len(s) >= 2 && (s[0] == 'e' || s[0] == 'E') {
		s = s[1:]
		if s[0] == '+' || s[0] == '-' {
			s = s[1:]
			if s == "" {
				return false
			}
		}
		s = skipDigits(s)
	}
	return s == ""
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func skipDigits(s string) string {
	for len(s) > 0 && isDigit(s[0]) {
		s = s[1:]
	}
	return s
}
