package route_test

import (
	"fmt"

	"github.com/planwise/planwise/route"
)

func ExampleRouter() {
	// Without a clause matcher the analyzer uses lexical features only; the planner
	// passes the pattern planner's clause matching (planner.NewComplexityRouter).
	an, err := route.NewAnalyzer(nil)
	if err != nil {
		panic(err)
	}
	r, err := route.NewRouter(route.Config{}, an)
	if err != nil {
		panic(err)
	}
	for _, req := range []string{
		"Play the song 'Yesterday'",
		"Book a flight to London on June 1, then reserve a room at the Hilton, and finally text me the confirmation",
		"Check the weather in Paris, and if it rains, email Bob to cancel the picnic",
	} {
		d := r.Route(req, "")
		fmt.Printf("%-8s %s\n", d.Tier, d.Model)
	}
	d := r.Route("Play the song 'Yesterday'", "")
	next, ok := r.Escalate(d)
	fmt.Println("cascade:", d.Model, "->", next.Model, ok)
	// Output:
	// simple   gpt-4o-mini
	// moderate gpt-4o-mini
	// complex  gpt-4o
	// cascade: gpt-4o-mini -> gpt-4o true
}
