package pattern

import (
	"regexp"
	"slices"
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
	"mm": "mm", "millimeter": "mm", "millimeters": "mm", "millimetre": "mm", "millimetres": "mm",
	"yd": "yd", "yard": "yd", "yards": "yd",
	"kg": "kg", "kilogram": "kg", "kilograms": "kg", "kilo": "kg", "kilos": "kg",
	"g": "g", "gram": "g", "grams": "g", "lb": "lb", "lbs": "lb", "pound": "lb", "pounds": "lb",
	"oz": "oz", "ounce": "oz", "ounces": "oz",
	"f": "F", "fahrenheit": "F", "c": "C", "celsius": "C", "centigrade": "C", "k": "K", "kelvin": "K", "kelvins": "K",
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
		if pr.kind != pString && pr.kind != pEnum || !strings.Contains(pr.norm, "unit") {
			continue
		}
		for _, e := range pr.examples {
			if _, ok := unitCodes[e]; ok {
				codes++
			}
		}
		for _, e := range pr.enumRaw {
			if es, ok := e.(string); ok {
				if _, ok := unitCodes[strings.ToLower(es)]; ok {
					codes++
				}
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
	// An enum of codes takes them as it spells them ("mi", "km"); one without the code
	// takes neither.
	fromV, okF := unitValue(&ti.params[from], src0)
	toV, okT := unitValue(&ti.params[to], dst)
	if !okF || !okT {
		return
	}
	args[ti.params[from].Name], src[ti.params[from].Name] = fromV, argSrc{how: srcExample}
	args[ti.params[to].Name], src[ti.params[to].Name] = toV, argSrc{how: srcExample}
	filled[from], filled[to] = true, true
}

// measuredUnit fills the one enum parameter of units (a distance's km, mi or m) with the
// unit clause c writes after a number, when the clause writes exactly one of its units
// so: "swam 1500m" is metres and "ran 3 miles" miles, where the default would be
// kilometres.
func measuredUnit(ti *toolInfo, c clause, args map[string]any, src map[string]argSrc, filled []bool) {
	if unitParams := slices.DeleteFunc(slices.Clone(ti.params), func(pr paramInfo) bool { return !strings.Contains(pr.norm, "unit") }); len(unitParams) != 1 {
		return // a conversion's from and to units are the units step's
	}
	for pi := range ti.params {
		pr := &ti.params[pi]
		if filled[pi] || pr.kind != pEnum || !strings.Contains(pr.norm, "unit") {
			continue
		}
		found := ""
		for _, u := range writtenUnits(c.text) {
			if v, ok := unitValue(pr, u); ok && v != found {
				if found != "" {
					found = "-"
					break
				}
				found = v
			}
		}
		if found != "" && found != "-" {
			args[pr.Name], src[pr.Name] = found, argSrc{how: srcExample}
			filled[pi] = true
		}
	}
}

// writtenUnits returns the codes of the units text writes right after a number ("5km",
// "1500 m", "3 miles"), in order.
func writtenUnits(text string) []string {
	var out []string
	ws := strings.Fields(asciiLower(text))
	for i, w := range ws {
		w = strings.Trim(w, ",.;:!?()")
		num := ""
		if k := strings.IndexFunc(w, func(r rune) bool { return (r < '0' || r > '9') && r != '.' }); k > 0 {
			num, w = w[:k], w[k:]
		}
		code, ok := unitCodes[w]
		if !ok {
			continue
		}
		if num == "" && i > 0 {
			if _, isNum := plan.Number(strings.Trim(ws[i-1], ",")); isNum {
				num = ws[i-1]
			}
		}
		if num != "" {
			out = append(out, code)
		}
	}
	return out
}

// sameUnit reports whether words a and b name one unit of measure ("F" and
// "fahrenheit").
func sameUnit(a, b string) bool {
	ca := unitCodes[strings.ToLower(a)]
	return ca != "" && ca == unitCodes[strings.ToLower(b)]
}

// unitValue returns unit code as parameter pr takes it: as its enum spells it (the code,
// or a word for it: "fahrenheit" for F), or as is when it has no enum.
func unitValue(pr *paramInfo, code string) (string, bool) {
	if len(pr.enumRaw) == 0 {
		return code, true
	}
	for _, e := range pr.enumRaw {
		if es, ok := e.(string); ok && strings.EqualFold(es, code) {
			return es, true
		}
	}
	for _, e := range pr.enumRaw {
		if es, ok := e.(string); ok && unitCodes[strings.ToLower(es)] == code {
			return es, true
		}
	}
	return "", false
}

// dim is a set of physical dimensions a number may be measured in.
type dim uint32

const (
	dimLength dim = 1 << iota
	dimMass
	dimTime
	dimVoltage
	dimCurrent
	dimResistance
	dimPower
	dimEnergy
	dimSpeed
	dimAccel
	dimTemperature
	dimFrequency
	dimPressure
	dimArea
	dimVolume
	dimForce
	dimData
)

// unitDims are the words and symbols of units, lowercased, by dimension. Single letters
// and symbols whose case matters (V, A, W, J, N, K) are in unitSymbols.
var unitDims = map[string]dim{
	"mm": dimLength, "cm": dimLength, "km": dimLength, "meter": dimLength, "meters": dimLength, "metre": dimLength, "metres": dimLength,
	"kilometer": dimLength, "kilometers": dimLength, "kilometre": dimLength, "kilometres": dimLength, "centimeters": dimLength, "centimetres": dimLength,
	"millimeters": dimLength, "millimetres": dimLength, "ft": dimLength, "feet": dimLength, "foot": dimLength, "inch": dimLength, "inches": dimLength,
	"mi": dimLength, "mile": dimLength, "miles": dimLength, "yard": dimLength, "yards": dimLength, "yd": dimLength,
	"kg": dimMass, "kilogram": dimMass, "kilograms": dimMass, "kilos": dimMass, "gram": dimMass, "grams": dimMass, "mg": dimMass,
	"lb": dimMass, "lbs": dimMass, "pound": dimMass, "pounds": dimMass, "oz": dimMass, "ounce": dimMass, "ounces": dimMass, "tonnes": dimMass, "tons": dimMass,
	"sec": dimTime, "secs": dimTime, "second": dimTime, "seconds": dimTime, "min": dimTime, "mins": dimTime, "minute": dimTime, "minutes": dimTime,
	"hr": dimTime, "hrs": dimTime, "hour": dimTime, "hours": dimTime, "ms": dimTime, "milliseconds": dimTime,
	"volt": dimVoltage, "volts": dimVoltage, "kv": dimVoltage, "mv": dimVoltage,
	"amp": dimCurrent, "amps": dimCurrent, "ampere": dimCurrent, "amperes": dimCurrent, "ma": dimCurrent, "milliamps": dimCurrent,
	"ohm": dimResistance, "ohms": dimResistance, "Ω": dimResistance, "kΩ": dimResistance, "kohm": dimResistance, "kohms": dimResistance,
	"watt": dimPower, "watts": dimPower, "kw": dimPower, "kilowatts": dimPower, "mw": dimPower, "hp": dimPower, "horsepower": dimPower,
	"joule": dimEnergy, "joules": dimEnergy, "kj": dimEnergy, "kwh": dimEnergy, "kcal": dimEnergy, "calories": dimEnergy,
	"m/s": dimSpeed, "km/h": dimSpeed, "kmh": dimSpeed, "kph": dimSpeed, "mph": dimSpeed, "knots": dimSpeed,
	"m/s^2": dimAccel, "m/s2": dimAccel, "m/s²": dimAccel,
	"°c": dimTemperature, "°f": dimTemperature, "kelvin": dimTemperature, "celsius": dimTemperature, "fahrenheit": dimTemperature,
	"hz": dimFrequency, "khz": dimFrequency, "mhz": dimFrequency, "ghz": dimFrequency, "hertz": dimFrequency,
	"pa": dimPressure, "kpa": dimPressure, "atm": dimPressure, "psi": dimPressure, "bar": dimPressure, "pascals": dimPressure,
	"m^2": dimArea, "m²": dimArea, "sq": dimArea, "acres": dimArea, "hectares": dimArea,
	"liter": dimVolume, "liters": dimVolume, "litre": dimVolume, "litres": dimVolume, "ml": dimVolume, "gallons": dimVolume, "gal": dimVolume, "m^3": dimVolume, "m³": dimVolume,
	"newton": dimForce, "newtons": dimForce, "kn": dimForce,
	"kb": dimData, "mb": dimData, "gb": dimData, "tb": dimData, "bytes": dimData, "megabytes": dimData, "gigabytes": dimData,
	"kib": dimData, "mib": dimData, "gib": dimData, "tib": dimData, "terabytes": dimData, "kilobytes": dimData,
}

// unitSymbols are the units written as one letter or a case-sensitive symbol, counted
// only right after a number ("12 V", "20 m", "0.5 A"). N and W are left out: after a
// number they are as often north and west ("40.7 N, 74.0 W") as newtons and watts; K is
// kelvins only apart from the number (unitAfter).
var unitSymbols = map[string]dim{
	"m": dimLength, "g": dimMass, "s": dimTime, "h": dimTime, "V": dimVoltage, "A": dimCurrent, "J": dimEnergy, "Hz": dimFrequency, "Pa": dimPressure, "L": dimVolume, "l": dimVolume,
	// Kubernetes' binary sizes: "512Mi", "2Gi" ("mi" in lower case is miles).
	"Ki": dimData, "Mi": dimData, "Gi": dimData, "Ti": dimData,
}

// quantityNames are the words of a numeric parameter's name that say what it measures.
var quantityNames = map[string]dim{
	"height": dimLength, "length": dimLength, "distance": dimLength, "width": dimLength, "depth": dimLength, "radius": dimLength, "diameter": dimLength,
	"mass": dimMass, "weight": dimMass, "duration": dimTime, "seconds": dimTime, "minutes": dimTime, "hours": dimTime,
	"voltage": dimVoltage, "current": dimCurrent, "amperage": dimCurrent, "resistance": dimResistance, "power": dimPower, "wattage": dimPower,
	"energy": dimEnergy, "speed": dimSpeed, "velocity": dimSpeed, "acceleration": dimAccel, "gravity": dimAccel,
	"temperature": dimTemperature, "frequency": dimFrequency, "pressure": dimPressure, "area": dimArea, "volume": dimVolume, "force": dimForce,
}

// unitToken matches a unit written right after a number: "m", "m/s^2", "°C", "kΩ".
var unitToken = regexp.MustCompile(`^\s?(°?[A-Za-zΩµ]+(?:/[A-Za-z]+(?:\^?[23]|[²³])?|\^?[23]|[²³])?)`)

// unitAfter returns the dimension of the unit written right after the number that ends
// at offset end of text, or 0.
func unitAfter(text string, end int) dim {
	if end < 0 || end > len(text) {
		return 0
	}
	m := unitToken.FindStringSubmatch(text[end:])
	if m == nil {
		return 0
	}
	u := m[1]
	if d, ok := unitSymbols[u]; ok {
		return d
	}
	if u == "K" && m[0] != u {
		return dimTemperature // "300 K"; "a 10K run" is ten thousand metres
	}
	if len(u) > 1 {
		return unitDims[strings.ToLower(u)]
	}
	return 0
}

// weakSymbols are unit symbols that after a number as often stand for something else
// ("40.7 N, 74.0 W" for north and west, "a 10K run" for thousands): they say what a
// number measures only to a parameter measured in their dimension ("a 1500 W heater"
// for a power in watts).
var weakSymbols = map[string]dim{"W": dimPower, "kW": dimPower, "N": dimForce, "K": dimTemperature}

// unitFor returns the dimension of the unit written right after the number that ends
// at offset end of text, as tool ti reads it: a weak symbol counts when one of ti's
// parameters is measured in its dimension ("a 1500 W heater" to a tool that takes watts).
func unitFor(text string, end int, ti *toolInfo) dim {
	if d := unitAfter(text, end); d != 0 || end < 0 || end > len(text) {
		return d
	}
	m := unitToken.FindStringSubmatch(text[end:])
	if m == nil {
		return 0
	}
	d := weakSymbols[m[1]]
	for pi := range ti.params {
		if d != 0 && ti.params[pi].dims&d != 0 {
			return d
		}
	}
	return 0
}

// measuredIn reports whether the number that ends at offset end of text is written in
// a unit of one of dimensions d: "20 m" for a height, "1500 W" for a power in watts.
func measuredIn(text string, end int, d dim) bool {
	if d == 0 || end < 0 || end > len(text) {
		return false
	}
	if unitAfter(text, end)&d != 0 {
		return true
	}
	m := unitToken.FindStringSubmatch(text[end:])
	return m != nil && weakSymbols[m[1]]&d != 0
}

// withUnit returns the end of the unit written right after the number that ends at
// offset end of text ("20 m", "9.8 m/s^2"), or end when no unit follows.
func withUnit(text string, end int) int {
	if unitAfter(text, end) == 0 {
		return end
	}
	return end + len(unitToken.FindString(text[end:]))
}

// paramDims returns the dimensions a numeric parameter is measured in: the units its
// description names ("The drop height in meters", "in m/s^2") or, when it names none,
// the quantity its name says (voltage, height_m). 0 when neither says.
func paramDims(name, desc string) dim {
	var d dim
	for _, f := range strings.FieldsFunc(desc, func(r rune) bool {
		return r == ' ' || r == ',' || r == ';' || r == '(' || r == ')'
	}) {
		f = strings.TrimRight(f, ".:")
		if len(f) > 1 {
			d |= unitDims[strings.ToLower(f)]
		}
	}
	if d != 0 {
		return d
	}
	for _, w := range words(name) {
		d |= quantityNames[strings.ToLower(w)]
	}
	return d
}
