package plan_test

import (
	"encoding/json"
	"testing"

	"github.com/planwise/planwise/plan"
)

// FuzzDecodeValidate feeds arbitrary bytes to the plan decoder and validator: neither may
// panic, and a plan that validates must survive a JSON round trip and still validate.
func FuzzDecodeValidate(f *testing.F) {
	seeds := []string{
		`{"steps":[{"id":"s1","tool":"get_weather","args":{"location":"Paris"}}]}`,
		`{"steps":[{"id":"s1","tool":"get_weather","args":{"location":"Paris"}},{"id":"s2","tool":"send_email","args":{"to":"bob@example.com","body":"${s1.summary}"},"if":"s1.temperature_c < 5.0"}]}`,
		`{"steps":[{"id":"s1","tool":"get_weather","args":{"location":"x"}},{"id":"s2","tool":"send_email","for_each":"${s1.alerts}","args":{"to":"a@b.co","body":"${item.title}"}}]}`,
		`{"steps":[{"id":"s1","tool":"send_email","args":{"to":"a@b.co","body":"${s1[0]..}"},"after":["s1","s0"]}]}`,
		`{"goal":"x","steps":[{"id":"a","tool":"free_form","args":{"k":[1,{"z":"${a}"}]},"if":"a.b.c == 'x' || size(a) > 2"}]}`,
		`{"steps":null}`, `{}`, `[]`, `"`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	reg := testRegistry(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := plan.Parse(data)
		if err != nil {
			return
		}
		if err := plan.Validate(p, reg); err != nil {
			if _, ok := plan.AsValidationError(err); !ok {
				t.Fatalf("Validate returned a non-structured error: %v", err)
			}
			return
		}
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatalf("marshal valid plan: %v", err)
		}
		q, err := plan.Parse(b)
		if err != nil {
			t.Fatalf("round trip of a valid plan does not parse: %v\n%s", err, b)
		}
		if err := plan.Validate(q, reg); err != nil {
			t.Fatalf("round trip of a valid plan does not validate: %v\n%s", err, b)
		}
	})
}
