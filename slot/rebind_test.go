package slot

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"github.com/planwise/planwise/plan"
)

func mustPlan(t *testing.T, s string) *plan.Plan {
	t.Helper()
	p, err := plan.Parse([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func argsJSON(p *plan.Plan) string {
	var steps []map[string]any
	for _, s := range p.Steps {
		steps = append(steps, map[string]any{"tool": s.Tool, "args": s.Args})
	}
	b, _ := json.Marshal(steps)
	return string(b)
}

func TestRebind(t *testing.T) {
	e := testExtractor()
	tests := []struct {
		name     string
		old, new string
		plan     string
		want     string // args of the re-bound plan as JSON, or "" when an error is expected
	}{
		{
			name: "one-slot edit: name",
			old:  "Email Bob the report", new: "Email Alice the report",
			plan: `{"steps":[{"id":"s1","tool":"send_email","args":{"to":"Bob","body":"Hi Bob, here is the report"}}]}`,
			want: `[{"args":{"body":"Hi Alice, here is the report","to":"Alice"},"tool":"send_email"}]`,
		},
		{
			name: "one-slot edit: postcode digits",
			old:  "deliver the parcel to 48213", new: "deliver the parcel to 48231",
			plan: `{"steps":[{"id":"s1","tool":"deliver","args":{"zip":"48213","note":"zone 48213-A"}}]}`,
			want: `[{"args":{"note":"zone 48231-A","zip":"48231"},"tool":"deliver"}]`,
		},
		{
			name: "numeric argument keeps its type",
			old:  "book 2 tickets", new: "book 4 tickets",
			plan: `{"steps":[{"id":"s1","tool":"book","args":{"n":2}}]}`,
			want: `[{"args":{"n":4},"tool":"book"}]`,
		},
		{
			name: "normalised date stays normalised",
			old:  "weather in Paris on December 1st, 2026", new: "weather in Paris on 2026-12-03",
			plan: `{"steps":[{"id":"s1","tool":"get_weather","args":{"location":"Paris","date":"2026-12-01"}}]}`,
			want: `[{"args":{"date":"2026-12-03","location":"Paris"},"tool":"get_weather"}]`,
		},
		{
			name: "date as written is replaced by the new date as written",
			old:  "remind me on December 1st, 2026", new: "remind me on January 5, 2027",
			plan: `{"steps":[{"id":"s1","tool":"take_note","args":{"content":"reminder for December 1st, 2026"}}]}`,
			want: `[{"args":{"content":"reminder for January 5, 2027"},"tool":"take_note"}]`,
		},
		{
			name: "phone, time and name together; references untouched",
			old:  "Book a table for 2 at Luigi's on 2026-12-24 at 19:00 and then text +1 555 123 4567 the confirmation",
			new:  "Book a table for 2 at Nino's on 2026-12-31 at 20:30 and then text +1 555 765 4321 the confirmation",
			plan: `{"steps":[{"id":"s1","tool":"book_restaurant","args":{"name":"Luigi's","date":"2026-12-24","time":"19:00"}},
				{"id":"s2","tool":"send_sms","args":{"phone_number":"+15551234567","content":"${s1}"}}]}`,
			want: `[{"args":{"date":"2026-12-31","name":"Nino's","time":"20:30"},"tool":"book_restaurant"},{"args":{"content":"${s1}","phone_number":"+15557654321"},"tool":"send_sms"}]`,
		},
		{
			name: "swap two names in one pass",
			old:  "fly from Paris to London", new: "fly from London to Paris",
			plan: `{"steps":[{"id":"s1","tool":"book_flight","args":{"from":"Paris","to":"London"}}]}`,
			want: `[{"args":{"from":"London","to":"Paris"},"tool":"book_flight"}]`,
		},
		{
			name: "word boundaries: 2 inside 2026 is not the slot",
			old:  "book 2 seats on 2026-12-24", new: "book 3 seats on 2026-12-24",
			plan: `{"steps":[{"id":"s1","tool":"book","args":{"seats":"2","date":"2026-12-24"}}]}`,
			want: `[{"args":{"date":"2026-12-24","seats":"3"},"tool":"book"}]`,
		},
		{
			name: "money amount without the currency",
			old:  "transfer $20 to Bob", new: "transfer $35.50 to Bob",
			plan: `{"steps":[{"id":"s1","tool":"pay","args":{"amount":20,"to":"Bob","currency":"USD"}}]}`,
			want: `[{"args":{"amount":35.50,"currency":"USD","to":"Bob"},"tool":"pay"}]`,
		},
		{
			name: "quoted value",
			old:  "play the movie 'Inception'", new: "play the movie 'Up'",
			plan: `{"steps":[{"id":"s1","tool":"play_movie_by_title","args":{"title":"Inception"}}]}`,
			want: `[{"args":{"title":"Up"},"tool":"play_movie_by_title"}]`,
		},
		{
			name: "unchanged slots need not appear",
			old:  "Book a table for 2 at Luigi's", new: "Book a table for 2 at Nino's",
			plan: `{"steps":[{"id":"s1","tool":"book_restaurant","args":{"name":"Luigi's"}}]}`,
			want: `[{"args":{"name":"Nino's"},"tool":"book_restaurant"}]`,
		},
		{
			name: "changed slot the plan never used is refused",
			old:  "Book a table for 2 at Luigi's", new: "Book a table for 6 at Luigi's",
			plan: `{"steps":[{"id":"s1","tool":"book_restaurant","args":{"name":"Luigi's"}}]}`,
		},
		{
			name: "different kinds are refused",
			old:  "call Bob at 7 PM", new: "call Bob at +1 555 123 4567",
			plan: `{"steps":[{"id":"s1","tool":"call","args":{"who":"Bob","time":"19:00"}}]}`,
		},
		{
			name: "different counts are refused",
			old:  "email Bob", new: "email Bob and Alice",
			plan: `{"steps":[{"id":"s1","tool":"send_email","args":{"to":"Bob"}}]}`,
		},
		{
			name: "one old value cannot become two new values",
			old:  "fly from Paris to Paris", new: "fly from Paris to Rome",
			plan: `{"steps":[{"id":"s1","tool":"book_flight","args":{"from":"Paris","to":"Paris"}}]}`,
		},
		{
			name: "polarity edit is no slot edit",
			old:  "turn on the lights", new: "turn off the lights",
			plan: `{"steps":[{"id":"s1","tool":"switch","args":{"state":"on"}}]}`,
			want: `[{"args":{"state":"on"},"tool":"switch"}]`, // same (empty) slots: Rebind is a copy; the template guards polarity
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := mustPlan(t, tc.plan)
			orig := argsJSON(p)
			from, to := e.Extract(tc.old), e.Extract(tc.new)
			got, err := Rebind(p, from, to)
			if argsJSON(p) != orig {
				t.Fatalf("Rebind modified its input plan")
			}
			if tc.want == "" {
				if err == nil {
					t.Fatalf("want ErrUnbound, got plan %s", argsJSON(got))
				}
				if !errors.Is(err, ErrUnbound) {
					t.Fatalf("error %v does not wrap ErrUnbound", err)
				}
				var re *RebindError
				if !errors.As(err, &re) || re.Reason == "" {
					t.Fatalf("error %v is not a *RebindError with a reason", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Rebind: %v", err)
			}
			if g := argsJSON(got); g != tc.want {
				t.Fatalf("re-bound args\n got %s\nwant %s", g, tc.want)
			}
		})
	}
}

func TestRebindDeepCopy(t *testing.T) {
	e := testExtractor()
	p := mustPlan(t, `{"goal":"email Bob","steps":[{"id":"s1","tool":"x","args":{"to":["Bob",{"name":"Bob"}]},"after":[]}]}`)
	q, err := Rebind(p, e.Extract("email Bob"), e.Extract("email Carol"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"to": []any{"Carol", map[string]any{"name": "Carol"}}}
	if !reflect.DeepEqual(q.Steps[0].Args, want) {
		t.Fatalf("args %v", q.Steps[0].Args)
	}
	if q.Goal != "email Carol" {
		t.Fatalf("goal %q", q.Goal)
	}
	if p.Steps[0].Args["to"].([]any)[0] != "Bob" {
		t.Fatal("input plan modified")
	}
	if _, err := Rebind(nil, nil, nil); !errors.Is(err, ErrUnbound) {
		t.Fatalf("nil plan: %v", err)
	}
}

// Two different values must not become one: a planner may merge the steps they fed.
func TestRebindRefusesMergingValues(t *testing.T) {
	x := NewExtractor(Options{})
	from := x.Extract("buy a plan from HealthCorp and a voucher from BestCorp")
	to := x.Extract("buy a plan from BestCorp and a voucher from BestCorp")
	p := &plan.Plan{Steps: []plan.Step{
		{ID: "s1", Tool: "buy", Args: map[string]any{"company": "HealthCorp"}},
		{ID: "s2", Tool: "buy", Args: map[string]any{"company": "BestCorp"}},
	}}
	if _, err := Rebind(p, from, to); !errors.Is(err, ErrUnbound) {
		t.Fatalf("err = %v, want ErrUnbound", err)
	}
	// One value in two kinds of slot maps to one value.
	from = x.Extract("a car in San Francisco, then a flight from 'San Francisco'")
	to = x.Extract("a car in New York, then a flight from 'San Francisco'")
	p = &plan.Plan{Steps: []plan.Step{{ID: "s1", Tool: "fly", Args: map[string]any{"from": "San Francisco"}}}}
	if _, err := Rebind(p, from, to); !errors.Is(err, ErrUnbound) {
		t.Fatalf("err = %v, want ErrUnbound (San Francisco would become both New York and San Francisco)", err)
	}
}
