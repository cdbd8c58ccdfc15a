package slot

import (
	"testing"

	"github.com/planwise/planwise/plan"
)

// TestRebindAsWrittenInFreeText: when the old value was written in a form that is also a
// normalised one (a phone number as bare digits, an ISO date), a copy of it inside free
// text takes the new value as written, while a whole argument keeps the normalised form.
// Found by the replayed-workload evaluation (eval/cache, RunReplay): the cache served
// "SMS to my phone number 1234567890" where the planner writes "+1 (800) 555-1234".
func TestRebindAsWrittenInFreeText(t *testing.T) {
	e := testExtractor()
	tests := []struct {
		name     string
		old, new string
		plan     string
		want     string
	}{
		{
			name: "phone written as digits",
			old:  "text my phone number 1234567890", new: "text my phone number +1 (800) 555-1234",
			plan: `{"steps":[{"id":"s1","tool":"send_sms","args":{"phone_number":"1234567890","content":"text my phone number 1234567890"}}]}`,
			want: `[{"args":{"content":"text my phone number +1 (800) 555-1234","phone_number":"+18005551234"},"tool":"send_sms"}]`,
		},
		{
			name: "phone written normalised",
			old:  "text my phone number +1234567890", new: "text my phone number 555-123-4567",
			plan: `{"steps":[{"id":"s1","tool":"send_sms","args":{"phone_number":"+1234567890","content":"text my phone number +1234567890"}}]}`,
			want: `[{"args":{"content":"text my phone number 555-123-4567","phone_number":"5551234567"},"tool":"send_sms"}]`,
		},
		{
			name: "ISO date",
			old:  "remind me on 2026-12-01 to call", new: "remind me on December 3rd, 2026 to call",
			plan: `{"steps":[{"id":"s1","tool":"remind","args":{"date":"2026-12-01","note":"call, due 2026-12-01"}}]}`,
			want: `[{"args":{"date":"2026-12-03","note":"call, due December 3rd, 2026"},"tool":"remind"}]`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			from, to := e.Extract(tc.old), e.Extract(tc.new)
			got, err := Rebind(mustPlan(t, tc.plan), from, to)
			if err != nil {
				t.Fatalf("Rebind: %v (slots %+v -> %+v)", err, from, to)
			}
			if g := argsJSON(got); g != tc.want {
				t.Errorf("got  %s\nwant %s", g, tc.want)
			}
		})
	}
}

// A phone number copied as written into free text is re-bound as the new number is
// written, also when the new spelling ("1234567890") is one of its normalised forms.
func TestRebindWrittenPhoneBareDigits(t *testing.T) {
	x := NewExtractor(Options{})
	from := x.Extract("send a text with the news to 555-123-4567")
	to := x.Extract("send a text with the news to 1234567890")
	p := &plan.Plan{Steps: []plan.Step{{ID: "s1", Tool: "send_sms", Args: map[string]any{
		"content": "send a text with the news to 555-123-4567", "phone_number": from[0].Value}}}}
	q, err := Rebind(p, from, to)
	if err != nil {
		t.Fatal(err)
	}
	if got := q.Steps[0].Args["content"]; got != "send a text with the news to 1234567890" {
		t.Errorf("content = %q", got)
	}
	if got := q.Steps[0].Args["phone_number"]; got != to[0].Value || to[0].Value != "1234567890" {
		t.Errorf("phone_number = %q", got)
	}
}
