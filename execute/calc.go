package execute

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Calculator limits: the input is untrusted model output.
const (
	maxExprBytes = 4096
	maxExprDepth = 64
)

// Calculate evaluates an arithmetic expression: decimal numbers (1, 2.5, 1e3), + - * /,
// % (remainder), ^ (power, right-associative, binding tighter than unary minus:
// -2^2 = -4), parentheses, the constants pi and e, and the functions abs, sqrt, round
// (round(x) or round(x, digits)), floor, ceil, min and max (one or more arguments). It
// runs no code: it is a recursive-descent parser over this grammar and nothing else.
// Division by zero and results that are not finite are errors.
func Calculate(expr string) (float64, error) {
	if len(expr) > maxExprBytes {
		return 0, fmt.Errorf("expression is %d bytes; at most %d", len(expr), maxExprBytes)
	}
	p := &calc{src: expr}
	p.next()
	v, err := p.expr(0)
	if err != nil {
		return 0, err
	}
	if p.tok.kind != tokEOF {
		return 0, p.errorf("unexpected %s", p.tok)
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("the result is not a finite number")
	}
	return v, nil
}

type tokKind int

const (
	tokEOF tokKind = iota
	tokNum
	tokIdent
	tokOp
)

type token struct {
	kind tokKind
	text string
	num  float64
	pos  int
}

func (t token) String() string {
	switch t.kind {
	case tokEOF:
		return "end of expression"
	case tokNum:
		return "number " + t.text
	}
	return strconv.Quote(t.text)
}

type calc struct {
	src string
	pos int
	tok token
	err error
}

func (p *calc) errorf(format string, args ...any) error {
	return fmt.Errorf("at offset %d: %s", p.tok.pos, fmt.Sprintf(format, args...))
}

// next scans one token into p.tok (errors are reported as they are met by the parser).
func (p *calc) next() {
	for p.pos < len(p.src) && (p.src[p.pos] == ' ' || p.src[p.pos] == '\t' || p.src[p.pos] == '\n' || p.src[p.pos] == '\r') {
		p.pos++
	}
	start := p.pos
	if p.pos >= len(p.src) {
		p.tok = token{kind: tokEOF, pos: start}
		return
	}
	c := p.src[p.pos]
	switch {
	case c >= '0' && c <= '9' || c == '.':
		j := p.pos
		for j < len(p.src) && (p.src[j] >= '0' && p.src[j] <= '9' || p.src[j] == '.' || p.src[j] == '_') {
			j++
		}
		if j < len(p.src) && (p.src[j] == 'e' || p.src[j] == 'E') {
			k := j + 1
			if k < len(p.src) && (p.src[k] == '+' || p.src[k] == '-') {
				k++
			}
			if k < len(p.src) && p.src[k] >= '0' && p.src[k] <= '9' {
				for k < len(p.src) && p.src[k] >= '0' && p.src[k] <= '9' {
					k++
				}
				j = k
			}
		}
		text := p.src[p.pos:j]
		p.pos = j
		f, err := strconv.ParseFloat(strings.ReplaceAll(text, "_", ""), 64)
		if err != nil {
			p.tok = token{kind: tokOp, text: text, pos: start} // reported as unexpected
			p.err = fmt.Errorf("at offset %d: %q is not a number", start, text)
			return
		}
		p.tok = token{kind: tokNum, text: text, num: f, pos: start}
	case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_':
		j := p.pos
		for j < len(p.src) && (p.src[j] >= 'a' && p.src[j] <= 'z' || p.src[j] >= 'A' && p.src[j] <= 'Z' || p.src[j] == '_' || p.src[j] >= '0' && p.src[j] <= '9') {
			j++
		}
		p.tok = token{kind: tokIdent, text: strings.ToLower(p.src[p.pos:j]), pos: start}
		p.pos = j
	default:
		text := string(c)
		if c == '*' && p.pos+1 < len(p.src) && p.src[p.pos+1] == '*' {
			text = "^" // ** is a common spelling of power
			p.pos++
		}
		p.pos++
		p.tok = token{kind: tokOp, text: text, pos: start}
	}
}

func (p *calc) is(op string) bool { return p.tok.kind == tokOp && p.tok.text == op }

// expr := term (("+" | "-") term)*
func (p *calc) expr(depth int) (float64, error) {
	if depth > maxExprDepth {
		return 0, p.errorf("expression nested more than %d levels", maxExprDepth)
	}
	v, err := p.term(depth)
	if err != nil {
		return 0, err
	}
	for p.is("+") || p.is("-") {
		op := p.tok.text
		p.next()
		r, err := p.term(depth)
		if err != nil {
			return 0, err
		}
		if op == "+" {
			v += r
		} else {
			v -= r
		}
	}
	return v, nil
}

// term := unary (("*" | "/" | "%") unary)*
func (p *calc) term(depth int) (float64, error) {
	v, err := p.unary(depth)
	if err != nil {
		return 0, err
	}
	for p.is("*") || p.is("/") || p.is("%") {
		op := p.tok
		p.next()
		r, err := p.unary(depth)
		if err != nil {
			return 0, err
		}
		switch op.text {
		case "*":
			v *= r
		case "/":
			if r == 0 {
				return 0, fmt.Errorf("at offset %d: division by zero", op.pos)
			}
			v /= r
		case "%":
			if r == 0 {
				return 0, fmt.Errorf("at offset %d: remainder of division by zero", op.pos)
			}
			v = math.Mod(v, r)
		}
	}
	return v, nil
}

// unary := ("-" | "+") unary | power
func (p *calc) unary(depth int) (float64, error) {
	if depth > maxExprDepth {
		return 0, p.errorf("expression nested more than %d levels", maxExprDepth)
	}
	if p.is("-") || p.is("+") {
		neg := p.is("-")
		p.next()
		v, err := p.unary(depth + 1)
		if neg {
			v = -v
		}
		return v, err
	}
	return p.power(depth)
}

// power := primary ("^" unary)?
func (p *calc) power(depth int) (float64, error) {
	base, err := p.primary(depth)
	if err != nil {
		return 0, err
	}
	if !p.is("^") {
		return base, nil
	}
	p.next()
	exp, err := p.unary(depth + 1)
	if err != nil {
		return 0, err
	}
	return math.Pow(base, exp), nil
}

// primary := number | constant | function "(" args ")" | "(" expr ")"
func (p *calc) primary(depth int) (float64, error) {
	if p.err != nil {
		return 0, p.err
	}
	switch p.tok.kind {
	case tokNum:
		v := p.tok.num
		p.next()
		return v, nil
	case tokIdent:
		name := p.tok
		p.next()
		if !p.is("(") {
			switch name.text {
			case "pi":
				return math.Pi, nil
			case "e":
				return math.E, nil
			}
			return 0, fmt.Errorf("at offset %d: unknown name %q; use numbers, pi, e and the functions abs, sqrt, round, floor, ceil, min, max", name.pos, name.text)
		}
		p.next()
		var args []float64
		if !p.is(")") {
			for {
				a, err := p.expr(depth + 1)
				if err != nil {
					return 0, err
				}
				args = append(args, a)
				if !p.is(",") {
					break
				}
				p.next()
			}
		}
		if !p.is(")") {
			return 0, p.errorf("expected ')' to close %s(, got %s", name.text, p.tok)
		}
		p.next()
		return callFunc(name, args)
	case tokOp:
		if p.is("(") {
			p.next()
			v, err := p.expr(depth + 1)
			if err != nil {
				return 0, err
			}
			if !p.is(")") {
				return 0, p.errorf("expected ')', got %s", p.tok)
			}
			p.next()
			return v, nil
		}
	}
	return 0, p.errorf("unexpected %s", p.tok)
}

func callFunc(name token, args []float64) (float64, error) {
	arity := func(min, max int) error {
		if len(args) < min || (max >= 0 && len(args) > max) {
			want := strconv.Itoa(min)
			if max != min {
				if max < 0 {
					want = "at least " + want
				} else {
					want = fmt.Sprintf("%d or %d", min, max)
				}
			}
			return fmt.Errorf("at offset %d: %s takes %s argument(s), got %d", name.pos, name.text, want, len(args))
		}
		return nil
	}
	switch name.text {
	case "abs", "sqrt", "floor", "ceil":
		if err := arity(1, 1); err != nil {
			return 0, err
		}
		x := args[0]
		switch name.text {
		case "abs":
			return math.Abs(x), nil
		case "sqrt":
			if x < 0 {
				return 0, fmt.Errorf("at offset %d: sqrt of a negative number", name.pos)
			}
			return math.Sqrt(x), nil
		case "floor":
			return math.Floor(x), nil
		default:
			return math.Ceil(x), nil
		}
	case "round":
		if err := arity(1, 2); err != nil {
			return 0, err
		}
		if len(args) == 1 {
			return math.Round(args[0]), nil
		}
		d := args[1]
		if d != math.Trunc(d) || d < -15 || d > 15 {
			return 0, fmt.Errorf("at offset %d: round's digits must be a whole number between -15 and 15", name.pos)
		}
		scale := math.Pow(10, d)
		return math.Round(args[0]*scale) / scale, nil
	case "min", "max":
		if err := arity(1, -1); err != nil {
			return 0, err
		}
		v := args[0]
		for _, a := range args[1:] {
			if name.text == "min" {
				v = math.Min(v, a)
			} else {
				v = math.Max(v, a)
			}
		}
		return v, nil
	}
	return 0, fmt.Errorf("at offset %d: unknown function %q; use abs, sqrt, round, floor, ceil, min or max", name.pos, name.text)
}
