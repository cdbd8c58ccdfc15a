package cacheeval

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strconv"

	"github.com/planwise/planwise/tool"
)

// trapCatalog is the tool catalog of the generated traps.
func trapCatalog() []*tool.Tool {
	t := func(name, desc, schema string) *tool.Tool {
		return &tool.Tool{Name: name, Description: desc, InputSchema: json.RawMessage(schema)}
	}
	return []*tool.Tool{
		t("send_email", "send an email", `{"type":"object","properties":{"to":{"type":"string"},"subject":{"type":"string"}},"required":["to","subject"],"additionalProperties":false}`),
		t("set_light", "switch the lights of a room", `{"type":"object","properties":{"room":{"type":"string"},"state":{"type":"string","enum":["on","off"]}},"required":["room","state"],"additionalProperties":false}`),
		t("lock_door", "lock or unlock a door", `{"type":"object","properties":{"door":{"type":"string"},"action":{"type":"string","enum":["lock","unlock"]}},"required":["door","action"],"additionalProperties":false}`),
		t("lookup_order", "find an order", `{"type":"object","properties":{"order_id":{"type":"string"}},"required":["order_id"],"additionalProperties":false}`),
		t("get_weather", "weather forecast", `{"type":"object","properties":{"location":{"type":"string"},"date":{"type":"string","format":"date"}},"required":["location","date"],"additionalProperties":false}`),
		t("transfer", "move money between accounts", `{"type":"object","properties":{"amount":{"type":"number"},"from_account":{"type":"string","enum":["checking","savings","brokerage"]},"to_account":{"type":"string","enum":["checking","savings","brokerage"]}},"required":["amount","from_account","to_account"],"additionalProperties":false}`),
		t("book_flight", "book a flight", `{"type":"object","properties":{"origin":{"type":"string"},"destination":{"type":"string"},"date":{"type":"string","format":"date"}},"required":["origin","destination","date"],"additionalProperties":false}`),
		t("set_thermostat", "change the temperature", `{"type":"object","properties":{"direction":{"type":"string","enum":["increase","decrease"]},"degrees":{"type":"number"}},"required":["direction","degrees"],"additionalProperties":false}`),
		t("trade", "buy or sell shares", `{"type":"object","properties":{"side":{"type":"string","enum":["buy","sell"]},"symbol":{"type":"string"},"quantity":{"type":"number"}},"required":["side","symbol","quantity"],"additionalProperties":false}`),
	}
}

var (
	trapNames  = []string{"Bob", "Alice", "Carol", "David", "Emma", "Frank", "Grace", "Henry", "Irene", "Jack", "Karen", "Liam", "Maria", "Noah", "Olivia", "Peter"}
	trapDocs   = []string{"quarterly report", "budget", "slides", "meeting notes", "invoice", "contract", "roadmap"}
	trapCities = []string{"Paris", "Rome", "Berlin", "Madrid", "Tokyo", "Boston", "Denver", "Lisbon", "Vienna", "Prague", "Oslo", "Dublin"}
	trapRooms  = []string{"kitchen", "bedroom", "bathroom", "garage", "office", "hallway", "basement", "attic"}
	trapDoors  = []string{"front", "back", "garage", "side", "patio"}
	trapMonths = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
	trapStocks = []string{"AAPL", "MSFT", "NVDA", "AMZN", "TSLA", "GOOG"}
	trapAccts  = []string{"checking", "savings", "brokerage"}
)

func steps(tool string, args map[string]any) []Step { return []Step{{Tool: tool, Args: args}} }

// traps generates n adversarial pairs of each kind over trapCatalog: one-slot edits
// that a cache must re-bind correctly or miss (names, numbers with two digits swapped,
// dates, cities, free-text words, from/to swaps), meaning flips it must miss
// (negations, on/off, lock/unlock, increase/decrease, buy/sell), and paraphrases with
// the same plan, which it should serve.
func traps(n int, seed uint64) *Set {
	rng := rand.New(rand.NewPCG(seed, 0x7a95))
	pick := func(xs []string) string { return xs[rng.IntN(len(xs))] }
	other := func(xs []string, not string) string {
		for {
			if x := pick(xs); x != not {
				return x
			}
		}
	}
	no := false
	var pairs []Pair
	add := func(kind, a, b string, pa, pb []Step) {
		pairs = append(pairs, Pair{A: a, B: b, PlanA: pa, PlanB: pb, Kind: kind})
	}
	date := func() (text, value string, y, m, d int) {
		y, m, d = 2027+rng.IntN(2), 1+rng.IntN(12), 1+rng.IntN(28)
		return fmt.Sprintf("%s %d, %d", trapMonths[m-1], d, y), fmt.Sprintf("%04d-%02d-%02d", y, m, d), y, m, d
	}
	for i := 0; i < n; i++ {
		// Entity swap: a different person.
		name, doc := pick(trapNames), pick(trapDocs)
		name2 := other(trapNames, name)
		add("trap:name", "Email "+name+" the "+doc, "Email "+name2+" the "+doc,
			steps("send_email", map[string]any{"to": name, "subject": doc}),
			steps("send_email", map[string]any{"to": name2, "subject": doc}))

		// Numbers: two adjacent digits swapped (48213 -> 48231).
		num := strconv.Itoa(10000 + rng.IntN(89999))
		b := []byte(num)
		k := rng.IntN(len(b) - 1)
		for b[k] == b[k+1] {
			k = rng.IntN(len(b) - 1)
			if b[k] == b[k+1] {
				b[k+1] = '0' + (b[k]-'0'+1)%10
			}
		}
		b[k], b[k+1] = b[k+1], b[k]
		add("trap:number", "show me order "+num, "show me order "+string(b),
			steps("lookup_order", map[string]any{"order_id": num}),
			steps("lookup_order", map[string]any{"order_id": string(b)}))

		// Dates: another day.
		city := pick(trapCities)
		dt, dv, _, _, _ := date()
		dt2, dv2, _, _, _ := date()
		for dv2 == dv {
			dt2, dv2, _, _, _ = date()
		}
		add("trap:date", "what's the weather in "+city+" on "+dt, "what's the weather in "+city+" on "+dt2,
			steps("get_weather", map[string]any{"location": city, "date": dv}),
			steps("get_weather", map[string]any{"location": city, "date": dv2}))

		// Cities: another place.
		city2 := other(trapCities, city)
		add("trap:city", "what's the weather in "+city+" on "+dt, "what's the weather in "+city2+" on "+dt,
			steps("get_weather", map[string]any{"location": city, "date": dv}),
			steps("get_weather", map[string]any{"location": city2, "date": dv}))

		// Free-text word that is no slot: another room.
		room := pick(trapRooms)
		room2 := other(trapRooms, room)
		add("trap:word", "turn on the "+room+" lights", "turn on the "+room2+" lights",
			steps("set_light", map[string]any{"room": room, "state": "on"}),
			steps("set_light", map[string]any{"room": room2, "state": "on"}))

		// Polarity flips.
		add("trap:on_off", "turn on the "+room+" lights", "turn off the "+room+" lights",
			steps("set_light", map[string]any{"room": room, "state": "on"}),
			steps("set_light", map[string]any{"room": room, "state": "off"}))
		door := pick(trapDoors)
		add("trap:lock_unlock", "lock the "+door+" door", "unlock the "+door+" door",
			steps("lock_door", map[string]any{"door": door, "action": "lock"}),
			steps("lock_door", map[string]any{"door": door, "action": "unlock"}))
		deg := strconv.Itoa(1 + rng.IntN(5))
		add("trap:increase_decrease", "increase the temperature by "+deg+" degrees", "decrease the temperature by "+deg+" degrees",
			steps("set_thermostat", map[string]any{"direction": "increase", "degrees": json.Number(deg)}),
			steps("set_thermostat", map[string]any{"direction": "decrease", "degrees": json.Number(deg)}))
		stock, qty := pick(trapStocks), strconv.Itoa(1+rng.IntN(50))
		add("trap:buy_sell", "buy "+qty+" shares of "+stock, "sell "+qty+" shares of "+stock,
			steps("trade", map[string]any{"side": "buy", "symbol": stock, "quantity": json.Number(qty)}),
			steps("trade", map[string]any{"side": "sell", "symbol": stock, "quantity": json.Number(qty)}))

		// Negations: any plan served is wrong.
		pairs = append(pairs,
			Pair{A: "turn on the " + room + " lights", B: "don't turn on the " + room + " lights", SamePlan: &no, Kind: "trap:negation",
				PlanA: steps("set_light", map[string]any{"room": room, "state": "on"})},
			Pair{A: "Email " + name + " the " + doc, B: "do not email " + name + " the " + doc, SamePlan: &no, Kind: "trap:negation",
				PlanA: steps("send_email", map[string]any{"to": name, "subject": doc})})

		// From/to swaps.
		c1, c2 := pick(trapCities), ""
		c2 = other(trapCities, c1)
		add("trap:from_to", "book a flight from "+c1+" to "+c2+" on "+dt, "book a flight from "+c2+" to "+c1+" on "+dt,
			steps("book_flight", map[string]any{"origin": c1, "destination": c2, "date": dv}),
			steps("book_flight", map[string]any{"origin": c2, "destination": c1, "date": dv}))
		a1 := pick(trapAccts)
		a2 := other(trapAccts, a1)
		amt := strconv.Itoa(10 * (1 + rng.IntN(50)))
		add("trap:from_to", "transfer $"+amt+" from "+a1+" to "+a2, "transfer $"+amt+" from "+a2+" to "+a1,
			steps("transfer", map[string]any{"amount": json.Number(amt), "from_account": a1, "to_account": a2}),
			steps("transfer", map[string]any{"amount": json.Number(amt), "from_account": a2, "to_account": a1}))

		// Paraphrases with the same plan: should be served.
		add("paraphrase", "Email "+name+" the "+doc, "please email "+name+" the "+doc+"!",
			steps("send_email", map[string]any{"to": name, "subject": doc}),
			steps("send_email", map[string]any{"to": name, "subject": doc}))
		add("paraphrase", "show me order "+num, "can you show me order "+num+"?",
			steps("lookup_order", map[string]any{"order_id": num}),
			steps("lookup_order", map[string]any{"order_id": num}))
		add("paraphrase", "turn on the "+room+" lights", "please turn on the "+room+" lights",
			steps("set_light", map[string]any{"room": room, "state": "on"}),
			steps("set_light", map[string]any{"room": room, "state": "on"}))
		add("paraphrase", "what's the weather in "+city+" on "+dt, "what is the weather like in "+city+" on "+dt,
			steps("get_weather", map[string]any{"location": city, "date": dv}),
			steps("get_weather", map[string]any{"location": city, "date": dv}))
	}
	return &Set{Name: "traps", Pairs: pairs, Catalog: trapCatalog()}
}
