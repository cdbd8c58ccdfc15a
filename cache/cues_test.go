package cache

import (
	"encoding/json"
	"testing"

	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/tool"
)

// cueRegistry is a catalog whose tools differ by a word: voice and video calls, hotels
// and robots, courses at universities, food and taxis.
func cueRegistry(t testing.TB) *tool.Registry {
	t.Helper()
	obj := func(props string, req ...string) json.RawMessage {
		r, _ := json.Marshal(req)
		return json.RawMessage(`{"type":"object","properties":{` + props + `},"required":` + string(r) + `,"additionalProperties":false}`)
	}
	str := `{"type":"string"}`
	reg, err := tool.NewRegistry(
		&tool.Tool{Name: "make_voice_call", Description: "Make a voice call to a phone number",
			InputSchema: obj(`"phone_number":`+str, "phone_number")},
		&tool.Tool{Name: "make_video_call", Description: "Make a video call to a phone number",
			InputSchema: obj(`"phone_number":`+str, "phone_number")},
		&tool.Tool{Name: "book_hotel", Description: "Book a specific hotel for a specific date",
			InputSchema: obj(`"name":`+str+`,"date":{"type":"string","format":"date"}`, "name")},
		&tool.Tool{Name: "auto_housework_by_robot", Description: "Let a robot do housework by an instruction",
			InputSchema: obj(`"instruction":`+str, "instruction")},
		&tool.Tool{Name: "enroll_in_course", Description: "Enroll in a course at a university",
			InputSchema: obj(`"course":`+str+`,"university":`+str, "course", "university")},
		&tool.Tool{Name: "order_food_delivery", Description: "Order food to be delivered to a location by a platform",
			InputSchema: obj(`"food":`+str+`,"location":`+str+`,"platform":`+str, "food", "location", "platform")},
		&tool.Tool{Name: "book_restaurant", Description: "Book a table at a restaurant",
			InputSchema: obj(`"name":`+str, "name")},
		&tool.Tool{Name: "order_taxi", Description: "Order a taxi to a location on a platform",
			InputSchema: obj(`"location":`+str+`,"platform":`+str, "location", "platform")},
		&tool.Tool{Name: "buy_insurance", Description: "Buy insurance from a company",
			InputSchema: obj(`"insurance":`+str+`,"company":`+str, "insurance", "company")},
	)
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

// TestGuardsRefuseValueAndContextSensitiveHits: each case is a hit the guards before
// these refused nothing of, and where a planner may well make another plan for the new
// request (each was a wrong plan served in the replayed-workload evaluation).
func TestGuardsRefuseValueAndContextSensitiveHits(t *testing.T) {
	reg := cueRegistry(t)
	steps := func(ss ...plan.Step) *plan.Plan {
		for i := range ss {
			ss[i].ID = "s" + string(rune('1'+i))
		}
		return &plan.Plan{Steps: ss}
	}
	cases := []struct {
		name          string
		stored        string
		plan          *plan.Plan
		lookup        string
		reason        Reason
		wantArg, want string // on a hit: an argument of the first step and its value
	}{
		{name: "a word that tells tools apart differs (voice vs video)",
			stored: "I want to make a video call to the phone number 1234567890.",
			plan:   steps(step("make_video_call", map[string]any{"phone_number": "+1234567890"})),
			lookup: "I want to make a voice call to the phone number 1234567890.", reason: MissGuardCues},
		{name: "a slot value carries a tool word the other lacks (Paradise Hotel vs Hilton)",
			stored: "I would like to book a room at Paradise Hotel on 2026-02-14",
			plan:   steps(step("book_hotel", map[string]any{"name": "Paradise Hotel", "date": "2026-02-14"})),
			lookup: "I would like to book a room at Hilton on 2026-02-14", reason: MissGuardCues},
		{name: "a synonym of a tool word in a value (Uber Eats reads as food)",
			stored: "order an Uber taxi to the Grand Station",
			plan:   steps(step("order_taxi", map[string]any{"location": "Grand Station", "platform": "Uber"})),
			lookup: "order an Uber Eats taxi to the Grand Station", reason: MissGuardCues},
		{name: "the same tool word in another slot's place",
			stored: "I want to enroll in the Example University course at MIT",
			plan:   steps(step("enroll_in_course", map[string]any{"course": "MIT", "university": "Example University"})),
			lookup: "I want to enroll in the Computer Science course at Example University", reason: MissGuardCues},
		{name: "an address-like name for a company name",
			stored: "order an Uber taxi to the hotel",
			plan:   steps(step("order_taxi", map[string]any{"location": "hotel", "platform": "Uber"})),
			lookup: "order an 123 Main St taxi to the hotel", reason: MissGuardSlots},
		{name: "a slot value that is also a word elsewhere (Pizza / a pizza)",
			stored: "order a pizza from Foodora to be delivered at Pizza",
			plan:   steps(step("order_food_delivery", map[string]any{"food": "pizza", "location": "Pizza", "platform": "Foodora"})),
			lookup: "order a pizza from Foodora to be delivered at Main Street", reason: MissRebind},
		{name: "two values would become one",
			stored: "buy a health plan from HealthCorp and a voucher from BestCorp",
			plan: steps(step("buy_insurance", map[string]any{"insurance": "health plan", "company": "HealthCorp"}),
				step("buy_insurance", map[string]any{"insurance": "voucher", "company": "BestCorp"})),
			lookup: "buy a health plan from BestCorp and a voucher from BestCorp", reason: MissRebind},
		{name: "a copied phrase with another function word",
			stored: "I need a robot to clean the floor of my house.",
			plan:   steps(step("auto_housework_by_robot", map[string]any{"instruction": "clean the floor of my house"})),
			lookup: "I need a robot to clean the floor in my house.", reason: MissGuardArgs},
		{name: "a copied word in another context",
			stored: "order a pizza for delivery to my home at 12 Elm Road using Foodora",
			plan:   steps(step("order_food_delivery", map[string]any{"food": "pizza", "location": "12 Elm Road", "platform": "Foodora"})),
			lookup: "order a pizza delivery to my home at 12 Elm Road using Foodora", reason: MissGuardArgs},
		// And what the guards must still serve.
		{name: "a new phone number", stored: "I want to make a video call to the phone number 1234567890.",
			plan:   steps(step("make_video_call", map[string]any{"phone_number": "+1234567890"})),
			lookup: "I want to make a video call to the phone number 5550001111.", reason: HitSemantic,
			wantArg: "phone_number", want: "+5550001111"},
		{name: "another hotel that is also a hotel",
			stored: "I would like to book a room at Paradise Hotel on 2026-02-14",
			plan:   steps(step("book_hotel", map[string]any{"name": "Paradise Hotel", "date": "2026-02-14"})),
			lookup: "I would like to book a room at Grand Hotel on 2026-03-01", reason: HitSemantic,
			wantArg: "name", want: "Grand Hotel"},
		{name: "a copied phrase in the same context, politely",
			stored: "I need a robot to clean the floor of my house.",
			plan:   steps(step("auto_housework_by_robot", map[string]any{"instruction": "clean the floor of my house"})),
			lookup: "Please, I need a robot to clean the floor of my house. Thanks!", reason: HitSemantic,
			wantArg: "instruction", want: "clean the floor of my house"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := newTestCache(t, Config{}, nil)
			mustStore(t, c, Namespace{}, tc.stored, tc.plan, reg)
			res := lookup(t, c, Namespace{}, tc.lookup, reg)
			if res.Reason != tc.reason {
				t.Fatalf("reason %q (similarity %.3f), want %q", res.Reason, res.BestSimilarity, tc.reason)
			}
			if tc.wantArg != "" {
				if err := want(arg(res.Hit.Plan, tc.wantArg), tc.want); err != nil {
					t.Errorf("%s: %v", tc.wantArg, err)
				}
			}
		})
	}
}
