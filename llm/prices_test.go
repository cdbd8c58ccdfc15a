package llm

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCost(t *testing.T) {
	prices := DefaultPrices()
	million := Usage{PromptTokens: 1_000_000, CompletionTokens: 1_000_000}
	tests := []struct {
		model     string
		usage     Usage
		wantUSD   float64
		wantKnown bool
	}{
		{"gpt-4o-mini", million, 0.15 + 0.60, true},
		{"gpt-4o", million, 2.50 + 10, true},
		{"o1-mini", million, 1.10 + 4.40, true},
		{"gpt-4.1-mini", million, 0.40 + 1.60, true},
		{"gpt-4.1-nano", million, 0.10 + 0.40, true},
		{"text-embedding-3-small", Usage{PromptTokens: 1_000_000}, 0.02, true},
		// A typical planner call: 1,200 prompt and 180 completion tokens on gpt-4o-mini.
		{"gpt-4o-mini", Usage{PromptTokens: 1200, CompletionTokens: 180}, (1200*0.15 + 180*0.60) / 1e6, true},
		// Dated snapshots are priced as their base model, not as a longer prefix match.
		{"gpt-4o-mini-2024-07-18", million, 0.75, true},
		{"gpt-4o-2024-08-06", million, 12.50, true},
		{"o1-mini-2024-09-12", million, 5.50, true},
		{"GPT-4o-Mini", million, 0.75, true},
		{"openai/gpt-4.1-nano", million, 0.50, true},
		{"gpt-4o-mini", Usage{}, 0, true},
		{"llama3.1:8b", million, 0, false},
		{"gpt-4o-mini-tts", million, 0, false},
		{"", million, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.model, func(t *testing.T) {
			usd, known := prices.Cost(tt.model, tt.usage)
			if known != tt.wantKnown || math.Abs(usd-tt.wantUSD) > 1e-12 {
				t.Errorf("Cost(%q, %+v) = (%v, %v), want (%v, %v)", tt.model, tt.usage, usd, known, tt.wantUSD, tt.wantKnown)
			}
		})
	}
}

func TestStripSnapshot(t *testing.T) {
	tests := map[string]string{
		"gpt-4o-mini-2024-07-18": "gpt-4o-mini",
		"gpt-4-0613":             "gpt-4",
		"gpt-3.5-turbo-0125":     "gpt-3.5-turbo",
		"gpt-4o":                 "gpt-4o",
		"gpt-4.1-nano":           "gpt-4.1-nano",
		"model-2024-13-45":       "model-2024-13-45", // month 13: not a snapshot date
		"o1":                     "o1",
	}
	for in, want := range tests {
		if got := stripSnapshot(in); got != want {
			t.Errorf("stripSnapshot(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLoadPricesOverridesDefaults(t *testing.T) {
	path := filepath.Join(t.TempDir(), "prices.yaml")
	content := "models:\n  gpt-4o-mini:\n    input: 0.2\n    output: 0.8\n  llama3.1:8b:\n    input: 0\n    output: 0\n"
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	prices, err := LoadPrices(path)
	if err != nil {
		t.Fatal(err)
	}
	u := Usage{PromptTokens: 1_000_000, CompletionTokens: 1_000_000}
	if usd, known := prices.Cost("gpt-4o-mini", u); !known || math.Abs(usd-1.0) > 1e-12 {
		t.Errorf("overridden gpt-4o-mini = (%v, %v), want (1.0, true)", usd, known)
	}
	if usd, known := prices.Cost("llama3.1:8b", u); !known || usd != 0 {
		t.Errorf("added local model = (%v, %v), want (0, true)", usd, known)
	}
	if usd, known := prices.Cost("gpt-4o", u); !known || math.Abs(usd-12.5) > 1e-12 {
		t.Errorf("default gpt-4o kept = (%v, %v), want (12.5, true)", usd, known)
	}
	// The defaults are not modified by loading an override.
	if usd, _ := DefaultPrices().Cost("gpt-4o-mini", u); math.Abs(usd-0.75) > 1e-12 {
		t.Errorf("DefaultPrices changed to %v after LoadPrices", usd)
	}
}

func TestLoadPricesRejectsBadFiles(t *testing.T) {
	tests := map[string]string{
		"negative price": "models:\n  gpt-4o:\n    input: -1\n    output: 1\n",
		"unknown field":  "models:\n  gpt-4o:\n    inputs: 1\n",
		"not yaml":       "models: [",
		"wrong shape":    "models:\n  - gpt-4o\n",
	}
	for name, content := range tests {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "p.yaml")
			if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := LoadPrices(path)
			if err == nil {
				t.Fatal("LoadPrices accepted a bad file")
			}
			if !strings.Contains(err.Error(), path) {
				t.Errorf("error %q does not name the file", err)
			}
		})
	}
	if _, err := LoadPrices(filepath.Join(t.TempDir(), "missing.yaml")); err == nil {
		t.Error("LoadPrices accepted a missing file")
	}
}

func TestDefaultPricesListsMissionModels(t *testing.T) {
	want := []string{"gpt-4.1-mini", "gpt-4.1-nano", "gpt-4o", "gpt-4o-mini", "o1-mini", "text-embedding-3-small"}
	got := DefaultPrices().Models()
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("Models() = %v, want %v", got, want)
	}
}
