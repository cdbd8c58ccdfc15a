package pattern

import (
	"strings"

	"github.com/planwise/planwise/plan"
)

// unitCodes map the words people write for units of measure to the codes conversion
// tools take ("e.g. mi, km, lb, kg, F, C, cup, ml"). Single letters (m, g, l, F, C) count
// only right after a number ("350 F", "5m").
var unitCodes = map[string]string{
	"km": "km", "kilometer": "km", "kilometers": "km", "kilometre": "km", "kilometres": "km",
	"mi": "mi", "mile": "mi", "miles": "mi",
	"m": "m", "meter": "m", "meters": "m", "metre": "m", "metres": "m",
	"cm": "cm", "centimeter": "cm", "centimeters": "cm", "centimetre": "cm", "centimetres": "cm",
	"ft": "ft", "foot": "ft", "feet": "ft", "inch": "in", "inches": "in",
	"kg": "kg", "kilogram": "kg", "kilograms": "kg", "kilo": "kg", "kilos": "kg",
	"g": "g", "gram": "g", "grams": "g", "lb": "lb", "lbs": "lb", "pound": "lb", "pounds": "lb",
	"oz": "oz", "ounce": "oz", "ounces": "oz",
	"f": "F", "fahrenheit": "F", "c": "C", "celsius": "C", "centigrade": "C",
	"l": "l", "liter": "l", "liters": "l", "litre": "l", "litres": "l",
	"ml": "ml", "milliliter": "ml", "milliliters": "ml", "millilitre": "ml", "millilitres": "ml",
	"cup": "cup", "cups": "cup", "gal": "gal", "gallon": "gal", "gallons": "gal",
	"mph": "mph", "kph": "kph",
}

// units fills the unit parameters of a conversion tool (from_unit, to_unit) with the
// units clause c names: the unit written after the number is the one converted from,
// the other the one converted to ("how many kilograms is 165 lbs": lb to kg; "350
// fahrenheit in celsius": F to C). The tool must list unit codes as examples.
func (b *builder) units(ti *toolInfo, c clause, args map[string]any, src map[string]argSrc, filled []bool) {
	from, to := -1, -1
	codes := 0
	for pi := range ti.params {
		pr := &ti.params[pi]
		if pr.kind != pString || !strings.Contains(pr.norm, "unit") {
			continue
		}
		for _, e := range pr.examples {
			if _, ok := unitCodes[e]; ok {
				codes++
			}
		}
		switch {
		case filled[pi]:
		case strings.Contains(pr.norm, "from") || strings.Contains(pr.norm, "source"):
			from = pi
		case strings.Contains(pr.norm, "to") || strings.Contains(pr.norm, "target"):
			to = pi
		}
	}
	if from < 0 || to < 0 || codes < 2 {
		return
	}
	var src0, dst string
	ws := strings.Fields(asciiLower(c.text))
	for i, w := range ws {
		w = strings.Trim(w, ",.;:!?()")
		num := ""
		if k := strings.IndexFunc(w, func(r rune) bool { return r < '0' || r > '9' }); k > 0 {
			num, w = w[:k], w[k:] // "5km"
		}
		code, ok := unitCodes[w]
		if !ok {
			continue
		}
		afterNumber := num != ""
		if i > 0 {
			if _, isNum := plan.Number(strings.Trim(ws[i-1], ",")); isNum {
				afterNumber = true
			}
		}
		if len(w) == 1 && !afterNumber {
			continue // "a c", "in l" are no units
		}
		switch {
		case afterNumber && src0 == "":
			src0 = code
		case dst == "" && code != src0:
			dst = code
		}
	}
	if src0 == "" || dst == "" || src0 == dst {
		return
	}
	args[ti.params[from].Name], src[ti.params[from].Name] = src0, argSrc{how: srcExample}
	args[ti.params[to].Name], src[ti.params[to].Name] = dst, argSrc{how: srcExample}
	filled[from], filled[to] = true, true
}
