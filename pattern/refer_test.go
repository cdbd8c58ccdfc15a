package pattern

import (
	"testing"

	"github.com/planwise/planwise/tool"
)

// TestThingPronounCarriesValue: "move 12 BOX-LG-KRAFT from leeds to york, then count
// york's stock of it" was refused for want of the item of the second step, though "it"
// is the item the first step was given as the request writes it. Two items before the
// pronoun, or the same tool asked again of the same thing ("its ... then its ..."),
// carry nothing.
func TestThingPronounCarriesValue(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("stock.move", "Move units of an item from one depot to another.",
			`{"type":"object","properties":{"item":{"type":"string","description":"Item code, e.g. BOX-SM"},"quantity":{"type":"integer","minimum":1},
			"from_depot":{"type":"string","enum":["leeds","york","hull"]},"to_depot":{"type":"string","enum":["leeds","york","hull"]}},"required":["item","quantity","from_depot","to_depot"]}`),
		testTool("stock.count", "Count the units of an item held in a depot.",
			`{"type":"object","properties":{"item":{"type":"string","description":"Item code, e.g. BOX-SM"},"depot":{"type":"string","enum":["leeds","york","hull"]}},"required":["item"]}`),
	)...)
	wantCalls(t, p, map[string]string{
		"move 12 BOX-LG from leeds to york, then count york stock of it": "stock.move(item=BOX-LG); stock.count(item=BOX-LG)",
	}, "item")
	wantRefusal(t, p, "count the york stock of it", "item")
	wantRefusal(t, p, "move 12 BOX-LG from leeds to york and 3 BOX-SM from hull to york, then count york stock of it", "")
}
