package llm

import (
	_ "embed"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/goccy/go-yaml"
)

//go:embed prices.yaml
var defaultPricesYAML []byte

// Price is what a model costs, in USD per million tokens.
type Price struct {
	Input  float64 `yaml:"input" json:"input"`
	Output float64 `yaml:"output" json:"output"`
}

// PriceTable maps model names to prices. It is immutable once built and safe for
// concurrent use.
type PriceTable struct {
	prices map[string]Price
}

type priceFile struct {
	Models map[string]Price `yaml:"models"`
}

// DefaultPrices returns the table embedded in the binary (prices.yaml). The table is
// parsed once and shared; it is immutable.
func DefaultPrices() *PriceTable { return defaultPrices() }

var defaultPrices = sync.OnceValue(func() *PriceTable {
	t, err := parsePrices(defaultPricesYAML, "embedded prices.yaml", nil)
	if err != nil {
		// The embedded file is checked by the tests; failing here is a build defect.
		panic("llm: " + err.Error())
	}
	return t
})

// LoadPrices reads a price file with the layout of prices.yaml and lays it over the
// embedded defaults: models in the file replace or extend the defaults, the others keep
// their default price. Errors name the file and the offending model.
func LoadPrices(path string) (*PriceTable, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("llm: read price file: %w", err)
	}
	return parsePrices(data, path, DefaultPrices())
}

func parsePrices(data []byte, source string, base *PriceTable) (*PriceTable, error) {
	var f priceFile
	if err := yaml.UnmarshalWithOptions(data, &f, yaml.DisallowUnknownField()); err != nil {
		return nil, fmt.Errorf("price file %s: %w", source, err)
	}
	t := &PriceTable{prices: make(map[string]Price)}
	if base != nil {
		for k, v := range base.prices {
			t.prices[k] = v
		}
	}
	for name, p := range f.Models {
		key := normalizeModel(name)
		if key == "" {
			return nil, fmt.Errorf("price file %s: models: empty model name", source)
		}
		for field, v := range map[string]float64{"input": p.Input, "output": p.Output} {
			if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("price file %s: models.%s.%s: %v is not a price (USD per 1M tokens, >= 0)", source, name, field, v)
			}
		}
		t.prices[key] = p
	}
	return t, nil
}

// Lookup returns the price of model. A dated snapshot (gpt-4o-mini-2024-07-18,
// gpt-4-0613) falls back to its base name, and a "provider/" prefix is ignored; names
// are case-insensitive.
func (t *PriceTable) Lookup(model string) (Price, bool) {
	if t == nil {
		return Price{}, false
	}
	m := normalizeModel(model)
	if p, ok := t.prices[m]; ok {
		return p, true
	}
	if base := stripSnapshot(m); base != m {
		p, ok := t.prices[base]
		return p, ok
	}
	return Price{}, false
}

// Cost returns the USD cost of u on model; known is false (and usd 0) when the table
// has no price for the model.
func (t *PriceTable) Cost(model string, u Usage) (usd float64, known bool) {
	p, ok := t.Lookup(model)
	if !ok {
		return 0, false
	}
	return (float64(u.PromptTokens)*p.Input + float64(u.CompletionTokens)*p.Output) / 1e6, true
}

// Models lists the priced model names, sorted.
func (t *PriceTable) Models() []string {
	if t == nil {
		return nil
	}
	out := make([]string, 0, len(t.prices))
	for k := range t.prices {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func normalizeModel(model string) string {
	m := strings.ToLower(strings.TrimSpace(model))
	if i := strings.LastIndexByte(m, '/'); i >= 0 {
		m = m[i+1:]
	}
	return m
}

// stripSnapshot removes a snapshot suffix: "-YYYY-MM-DD" (gpt-4o-2024-08-06) or
// "-MMDD" (gpt-4-0613, gpt-3.5-turbo-0125).
func stripSnapshot(m string) string {
	if n := len(m); n > 11 && m[n-11] == '-' {
		if _, err := time.Parse("2006-01-02", m[n-10:]); err == nil {
			return m[:n-11]
		}
	}
	if n := len(m); n > 5 && m[n-5] == '-' && allDigits(m[n-4:]) {
		return m[:n-5]
	}
	return m
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
