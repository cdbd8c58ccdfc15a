package pattern

import (
	"testing"

	"github.com/planwise/planwise/tool"
)

// TestSpacedAccountAndTrackingNumbers: an IBAN written in groups of four ("ES91 2100
// 0418 4502 0005 1332") was read as a name, a phone number and loose numbers, and the
// request was refused for the numbers no step took; a tracking number in spaced groups
// ("9400 1118 9922 3356 7781 02") likewise. The capitals that label a code ("BIC
// CAIXESBBXXX") had joined it into one name that a holder's name then took: a made-up
// account holder. Each is one value, its spaces dropped, the label no value at all.
func TestSpacedAccountAndTrackingNumbers(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("vendors.set_payout_account", "Change the bank account a vendor's payouts go to.",
			`{"type":"object","properties":{"vendor":{"type":"string","description":"Vendor name"},"iban":{"type":"string","description":"IBAN of the new account"},"bic":{"type":"string","description":"Bank's BIC/SWIFT code"},"account_holder":{"type":"string","description":"Name on the account, when not the vendor's"}},"required":["vendor","iban"]}`),
		testTool("shipments.mark_shipped", "Mark an order as shipped with its carrier and tracking number.",
			`{"type":"object","properties":{"order":{"type":"string","description":"Order number"},"carrier":{"type":"string","enum":["usps","ups","fedex","dhl"]},"tracking":{"type":"string","description":"Tracking number"}},"required":["order","carrier","tracking"]}`))...)
	wantCalls(t, p, map[string]string{
		"switch Hartley Joinery's payouts to ES91 2100 0418 4502 0005 1332":                              "vendors.set_payout_account(vendor=Hartley Joinery iban=ES9121000418450200051332)",
		"Hartley Joinery's payouts should go to IBAN FR14 2004 1010 0505 0001 3M02 606, BIC PSSTFRPPPAR": "vendors.set_payout_account(vendor=Hartley Joinery iban=FR1420041010050500013M02606 bic=PSSTFRPPPAR)",
		"order 5521 shipped today, usps 9400 1118 9922 3356 7781 02":                                     "shipments.mark_shipped(order=5521 carrier=usps tracking=9400111899223356778102)",
	}, "vendor", "iban", "bic", "account_holder", "order", "carrier", "tracking")
	// A participle before the noun it qualifies leaves the number counting that noun.
	wantRefusal(t, p, "mark 2 checked bags as shipped, usps 9400 1118 9922 3356 7781 02", "")
}

// TestValueWordBeforeItsParameter: "lock my credit card" over a card lock whose card is
// visa_debit or visa_credit was refused: "credit" alone is no sign of visa_credit where
// another tool handles credit (a credit score). Said right before the parameter's own
// noun, it says which card.
func TestValueWordBeforeItsParameter(t *testing.T) {
	p := newTestPattern(t, stateTools()...)
	wantCalls(t, p, map[string]string{
		"lock my credit card, I think I left it at the pub": "cards.lock(card=visa_credit)",
		"lock the debit card":                               "cards.lock(card=visa_debit)",
	}, "card")
	wantRefusal(t, p, "lock my card, the credit one", "")
}

// TestSettingSwitchedOff: "turn off overseas transactions on the debit card" set
// overseas_transactions to true: a flag the clause names was set unless a negation
// ("no", "without") came before it, and "off" is none. Switched off, before it or
// after it, or disabled, it is false.
func TestSettingSwitchedOff(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("cards.update_controls", "Change a card's settings: switch online purchases, overseas transactions and contactless payments on or off.",
			`{"type":"object","properties":{"card":{"type":"string","enum":["mastercard_debit","mastercard_credit"]},"online_purchases":{"type":"boolean"},"overseas_transactions":{"type":"boolean"},"contactless":{"type":"boolean"}},"required":["card"]}`))...)
	wantCalls(t, p, map[string]string{
		"turn off overseas transactions on the debit card":  "cards.update_controls(card=mastercard_debit overseas_transactions=false)",
		"switch online purchases off for the credit card":   "cards.update_controls(card=mastercard_credit online_purchases=false)",
		"disable contactless on my debit card":              "cards.update_controls(card=mastercard_debit contactless=false)",
		"turn on overseas transactions for the credit card": "cards.update_controls(card=mastercard_credit overseas_transactions=true)",
		"no online purchases on the debit card please":      "cards.update_controls(card=mastercard_debit online_purchases=false)",
	}, "card", "online_purchases", "overseas_transactions", "contactless")
}

// TestCourtesyAfterANumber: "track usps 9400111899223344556677 pls" was refused for
// want of a tracking number: the word after a number says what it counts, and "pls"
// counted. A courtesy counts nothing.
func TestCourtesyAfterANumber(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("parcels.track", "Get the status of a parcel by its tracking number.",
			`{"type":"object","properties":{"tracking_number":{"type":"string","minLength":8,"description":"Carrier tracking number"},"carrier":{"type":"string","enum":["ups","usps","dhl"]}},"required":["tracking_number"]}`))...)
	wantCalls(t, p, map[string]string{
		"track usps 9400111899223344556677 pls, customer says nothing arrived": "parcels.track(tracking_number=9400111899223344556677 carrier=usps)",
		"track 48213377902 asap": "parcels.track(tracking_number=48213377902)",
	}, "tracking_number", "carrier")
}

// TestMakerAndRelativeAreNoTitle: "Can you play that Sara Evans song from the Stronger
// album that my cousin Vince mentioned?" played the track "Sara Evans" by the artist
// "Vince": a made-up plan. A name between an article and a work ("that Sara Evans
// song", "a Nolan film") is not the work's title, and a relative's name ("my cousin
// Vince") is neither a title nor who made it.
func TestMakerAndRelativeAreNoTitle(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("music.play", "Play a track, optionally by an artist or from an album.",
			`{"type":"object","properties":{"track":{"type":"string","description":"The title of the track to be played"},"artist":{"type":"string","description":"The artist performing the track"},"album":{"type":"string","description":"The album the track is from"}},"required":["track"]}`))...)
	wantRefusal(t, p, "Can you play that Sara Evans song from the Stronger album that my cousin Vince mentioned?", "")
	wantRefusal(t, p, "play a Taylor Swift song", "")
	wantCalls(t, p, map[string]string{
		"play Shake It Off by Taylor Swift":                "music.play(track=Shake It Off artist=Taylor Swift)",
		"play the song my sister Ana likes, Dancing Queen": "music.play(track=Dancing Queen)",
	}, "track", "artist", "album")
}

// TestNothingButParameterWords: "Can you tell me what is the minimum package arrival
// time?" was served as software_versions{}: the tool's name says none of the clause's
// words, the step takes nothing, and the words it shares with the clause ("package",
// "time") are its parameters', left empty. And "the host count for February 2022" took
// the year for a time window in hours.
func TestNothingButParameterWords(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("software_versions", "Retrieve information about the installed software.",
			`{"type":"object","properties":{"name":{"type":"string","description":"The name of the software"},"type":{"type":"string","enum":["runtime","package_manager"],"description":"Runtime or package manager"},"time":{"type":"string","description":"When the details were retrieved"}}}`),
		testTool("hosts.count", "Count the monitored hosts.",
			`{"type":"object","properties":{"windowSize":{"type":"integer","description":"The size of the time window in hours"}}}`))...)
	wantRefusal(t, p, "Can you tell me what is the minimum package arrival time?", "nothing to work on")
	wantRefusal(t, p, "What is the host count for February 2022?", "")
	wantCalls(t, p, map[string]string{
		"which software is installed?":         "software_versions()",
		"count the hosts over a 6 hour window": "hosts.count(windowSize=6)",
	}, "name", "type", "windowSize")
}

// TestHourWithoutItsDay: "plan a trip from Ixelles to Schaerbeek at 17:30" over a trip
// planner with a departure date-time was refused as if the tool took no time at all;
// it takes one with its day, which the request does not say. "Place du Marché" was
// read as "Place": a particle of French, Italian or Portuguese joins a name.
func TestHourWithoutItsDay(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("transit.plan_trip", "Plan a trip by public transport between two places, leaving now or at a given time.",
			`{"type":"object","properties":{"origin":{"type":"string"},"destination":{"type":"string"},"depart_at":{"type":"string","format":"date-time"}},"required":["origin","destination"]}`),
		testTool("stations.find_nearby", "Find bike-share stations near a place.",
			`{"type":"object","properties":{"location":{"type":"string","description":"Address, landmark or neighbourhood"},"min_bikes":{"type":"integer","minimum":1}},"required":["location"]}`))...)
	wantRefusal(t, p, "plan a trip from Ixelles to Schaerbeek at 17:30", "at 17:30 without its day, which the depart_at of transit.plan_trip needs")
	wantCalls(t, p, map[string]string{
		"plan a trip from Ixelles to Schaerbeek tomorrow at 17:30": "transit.plan_trip(origin=Ixelles destination=Schaerbeek depart_at=2026-11-27T17:30:00Z)",
		"find stations near Place du Marché with at least 3 bikes": "stations.find_nearby(location=Place du Marché min_bikes=3)",
	}, "origin", "destination", "depart_at", "location", "min_bikes")
}

// TestVenueIsNoCity: "an Imax film at Century Blackhawk Plaza in Danville" looked for
// films in the city "Century Blackhawk Plaza" at the cinema "Danville": the two names
// fitted the city alike and the first won. A name that ends in a kind of building or
// venue is no city.
func TestVenueIsNoCity(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("get_movies", "Retrieves a list of movies playing in a specified city and cinema hall.",
			`{"type":"object","properties":{"cinema_hall":{"type":"string","description":"The name of the cinema hall, for example 'PVR Logix'"},"city":{"type":"string","description":"The city where the movies are being screened, such as 'Noida'"}},"required":["city"]}`))...)
	wantCalls(t, p, map[string]string{
		"what films are on at Century Blackhawk Plaza in Danville?": "get_movies(cinema_hall=Century Blackhawk Plaza city=Danville)",
		"movies at the Rialto Cinema in Bristol tonight":            "get_movies(cinema_hall=Rialto Cinema city=Bristol)",
	}, "cinema_hall", "city")
}

// TestCityStateOfAnAddress: "a 'Plus' Uber from 221B Baker Street, Berkeley, CA, USA"
// for a start "in the format of 'City, State'" gave loc=USA (the house number with its
// letter read as no address, the country left as a place of its own); a street address
// in full went where the format asks for its town and state.
func TestCityStateOfAnAddress(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("rides.order", "Order a ride from a starting place.",
			`{"type":"object","properties":{"loc":{"type":"string","description":"The location of the starting place of the ride, in the format of 'City, State', such as 'Berkeley, CA'"},"type":{"type":"string","enum":["plus","comfort","black"]}},"required":["loc","type"]}`))...)
	wantCalls(t, p, map[string]string{
		"I need a 'Plus' ride from 221B Baker Street, Berkeley, CA, USA":    "rides.order(loc=Berkeley, CA type=plus)",
		"order a comfort ride from 2020 Addison Street, Berkeley, CA 94704": "rides.order(loc=Berkeley, CA type=comfort)",
		"order a black ride from Oakland, CA":                               "rides.order(loc=Oakland, CA type=black)",
	}, "loc", "type")
}

// TestKitchenUnitsAndVerbs, over a restaurant kitchen's catalogue of my own: "order 10
// kg onions and 5 kg carrots from Fresh Direct" ordered the items ["kg"] (a unit of the
// catalogue's enums, which the items' example "10 kg onions" holds), and "bin 2 kg of
// salmon, it went off" took the salmon off the menu as the dish "went". A unit after a
// number measures it, and a verb names nothing.
func TestKitchenUnitsAndVerbs(t *testing.T) {
	p := catalogPattern(t, "testdata/kitchen.yaml")
	wantCalls(t, p, map[string]string{
		"order 10 kg onions and 5 kg carrots from Fresh Direct for friday": "suppliers.order(supplier=Fresh Direct items=[10 kg onions 5 kg carrots] delivery_date=2026-11-27)",
		"freezer reading -18":                     "temps.log(unit_name=freezer celsius=-18)",
		"tell the team the fish delivery is late": "team.post(message=the fish delivery is late)",
	}, "supplier", "items", "delivery_date", "unit_name", "celsius", "message")
	wantRefusal(t, p, "bin 2 kg of salmon, it went off", "")
}

// TestKitchenShiftsAndMenu: "put Jamie on the rota saturday 16:00 to 23:00 as line
// cook" was refused for want of a start: a parameter named "start" whose pattern is
// HH:MM is a time of day. "take the sea bass off the menu" took the dish "sea bass off
// the menu": a closing preposition whose object is only the tool's own words, or a
// closing particle, is no part of the thing.
func TestKitchenShiftsAndMenu(t *testing.T) {
	p := catalogPattern(t, "testdata/kitchen.yaml")
	wantCalls(t, p, map[string]string{
		"put Jamie on the rota saturday 16:00 to 23:00 as line cook": "staff.add_shift(employee=Jamie date=2026-11-28 start=16:00 end=23:00 role=line_cook)",
		"put Priya on friday 9am to 5pm as porter":                   "staff.add_shift(employee=Priya date=2026-11-27 start=09:00 end=17:00 role=porter)",
		"take the sea bass off the menu":                             "menu.set_availability(dish=sea bass available=false)",
		"take the lamb shank off":                                    "menu.set_availability(dish=lamb shank available=false)",
	}, "employee", "date", "start", "end", "role", "dish", "available")
}

// TestOwnListValuesBeyondTheVerb: "count: 3 cases of tomatoes in the walk-in" was
// refused as if the stock count shared only its verb with the clause ("tomatoes" is no
// example of its items); the clause also says values of the tool's own lists (case,
// walk_in), which no other tool takes.
func TestOwnListValuesBeyondTheVerb(t *testing.T) {
	p := catalogPattern(t, "testdata/kitchen.yaml")
	wantCalls(t, p, map[string]string{
		"count: 3 cases of tomatoes in the walk-in": "inventory.count(item=tomatoes area=walk_in quantity=3 unit=case)",
		"count 4 kg of basil in the freezer":        "inventory.count(item=basil area=freezer quantity=4 unit=kg)",
	}, "item", "area", "quantity", "unit")
}

// TestVerbInCapitalsBeforeAnAddress: "update my salary account ... and DM @hr.ops that
// it's done" was refused ("gives @hr.ops, which payroll.update_bank_details has no
// parameter for"): "DM" in capitals read as a name, and the clause was not split at its
// "and". A verb in capitals that opens an instruction, before an address or an
// article, is the verb.
func TestVerbInCapitalsBeforeAnAddress(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("tickets.open", "Open an IT support ticket.",
			`{"type":"object","properties":{"summary":{"type":"string"}},"required":["summary"]}`),
		testTool("chat.dm", "Send a direct message to a colleague.",
			`{"type":"object","properties":{"recipient":{"type":"string","description":"e.g. @lena.fischer"},"message":{"type":"string"}},"required":["recipient","message"]}`))...)
	wantCalls(t, p, map[string]string{
		"open a ticket that my monitor flickers and DM @hr.ops that it's done": "tickets.open(summary=my monitor flickers); chat.dm(recipient=@hr.ops message=it's done)",
	}, "summary", "recipient", "message")
}

// TestCategoryOfAThingBought: "expense $64.20 for lunch with the client" and "Claim
// £120 for the hotel in Manchester" were refused for want of a category: the
// description glosses only travel. A common thing paid for is of the one category
// named for its kind (lunch: meals, hotel: accommodation, train: travel); two kinds
// ("coffee and a taxi") name none. Where one went ("the train to Porto") is no merchant.
func TestCategoryOfAThingBought(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("claims.add", "Submit an expense claim.",
			`{"type":"object","properties":{"amount":{"type":"number","exclusiveMinimum":0},"currency":{"type":"string","pattern":"^[A-Z]{3}$"},
			"category":{"type":"string","enum":["transport","meals","lodging","supplies","other"]},"merchant":{"type":"string","description":"e.g. Uber"}},"required":["amount","currency","category"]}`))...)
	wantCalls(t, p, map[string]string{
		"expense $64.20 for lunch with the client": "claims.add(amount=64.20 currency=USD category=meals)",
		"claim £120 for the hotel":                 "claims.add(amount=120 currency=GBP category=lodging)",
		"claim 30 EUR for a taxi from Uber":        "claims.add(amount=30 currency=EUR category=transport merchant=Uber)",
		"submit 89 EUR for the train to Porto":     "claims.add(amount=89 currency=EUR category=transport)",
		"claim 14 EUR for printer ink":             "claims.add(amount=14 currency=EUR category=supplies)",
	}, "amount", "currency", "category", "merchant")
	wantRefusal(t, p, "claim 12 EUR for coffee and a taxi", "category")
	wantRefusal(t, p, "claim 40 EUR for the gym", "category")

	// (Only a merchant by name: an assignee described as a vendor is who a work order
	// goes to.)
	q := newTestPattern(t, append(tool.Builtins(),
		testTool("workOrders.assign", "Assign a maintenance work order to a vendor or in-house technician.",
			`{"type":"object","properties":{"workOrderId":{"type":"string","pattern":"^WO-[0-9]{6}$"},"assignee":{"type":"string","description":"vendor or technician name, e.g. Rapid Plumbing, Dave"}},"required":["workOrderId","assignee"]}`))...)
	wantCalls(t, q, map[string]string{
		"assign WO-004512 to Rapid Plumbing": "workOrders.assign(workOrderId=WO-004512 assignee=Rapid Plumbing)",
	}, "workOrderId", "assignee")
}

// TestUnfitPhraseRefusalSaysWhy: "assign seat 12A to PNR ZZ9QX1" over an aircraft swap
// whose flight number is patterned was refused as "the pattern planner assembled a plan
// that does not validate", as if it were a bug; it is a phrase that does not fit.
func TestUnfitPhraseRefusalSaysWhy(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("swap-aircraft", "Assign a different aircraft (tail number) to a flight.",
			`{"type":"object","properties":{"flight_no":{"type":"string","pattern":"^[A-Z]{2}[0-9]{1,4}$"},"tail_number":{"type":"string","pattern":"^[A-Z]{1,2}-?[A-Z0-9]{3,5}$","description":"aircraft registration, e.g. VH-OQA or N123AA"}},"required":["flight_no","tail_number"]}`))...)
	wantRefusal(t, p, "assign seat 12A to PNR ZZ9QX1", "a value read from the request does not fit its tool")
}

// TestMeasureIsNoAddress: "do you have 5g coverage in 60647" checked coverage at the
// location "5" (the "5g" read as five grams, a number the ZIP-or-address parameter took
// before the ZIP). A number with its unit is a measure, no address or code.
func TestMeasureIsNoAddress(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("coverage.checkAddress", "Check 5G and LTE coverage at an address or ZIP code.",
			`{"type":"object","properties":{"location":{"type":"string","description":"Street address or ZIP code"}},"required":["location"]}`))...)
	wantCalls(t, p, map[string]string{
		"do you have 5g coverage in 60647":                  "coverage.checkAddress(location=60647)",
		"is there 5G coverage at 10 Downing Street, London": "coverage.checkAddress(location=10 Downing Street, London)",
	}, "location")
}
