package metrics

import (
	"errors"
	"testing"
)

// FuzzParseRules: any input either fails with an error or yields rules that validate.
// go test -fuzz FuzzParseRules ./metrics/
func FuzzParseRules(f *testing.F) {
	f.Add([]byte("rules:\n  - name: a\n    kind: fallback_rate\n    threshold: 0.1\n    window: 5m\n"))
	f.Add([]byte("rules:\n  - name: b\n    kind: daily_cost_per_key\n    threshold: 3\n    for: 1h\n"))
	f.Add([]byte("rules: []\n"))
	f.Add([]byte("rules:\n  - {name: c, kind: error_burst, threshold: 5, window: 1m}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rules, err := ParseRules(data)
		if err != nil {
			return
		}
		if err := ValidateRules(rules); err != nil {
			t.Fatalf("ParseRules accepted rules that do not validate: %v", err)
		}
		// A window beyond the recorder's retention is the only thing NewAlerts adds.
		if _, err := NewAlerts(NewRecorder(Options{}), rules, AlertOptions{}); err != nil {
			if re, ok := errors.AsType[*RuleError](err); !ok || re.Field != "window" {
				t.Fatalf("NewAlerts rejected parsed rules: %v", err)
			}
		}
	})
}
