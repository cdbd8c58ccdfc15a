package lexicon

import "strings"

// countries maps the ways people write a country (its name, a common short form or
// code, and the adjective for its people) to the country's name in English. The
// adjectives matter because requests use them as often as the names: "an Italian
// passport", "the US embassy".
var countries = map[string]string{}

// countryTable lists each country as "Name|other names and codes|adjectives".
var countryTable = []string{
	"Afghanistan||Afghan", "Albania||Albanian", "Algeria||Algerian", "Andorra||Andorran",
	"Angola||Angolan", "Argentina||Argentine,Argentinian", "Armenia||Armenian",
	"Australia||Australian", "Austria||Austrian", "Azerbaijan||Azerbaijani",
	"Bahamas|The Bahamas|Bahamian", "Bahrain||Bahraini", "Bangladesh||Bangladeshi",
	"Barbados||Barbadian", "Belarus||Belarusian", "Belgium||Belgian", "Belize||Belizean",
	"Benin||Beninese", "Bhutan||Bhutanese", "Bolivia||Bolivian",
	"Bosnia and Herzegovina|Bosnia|Bosnian", "Botswana||Botswanan", "Brazil|Brasil|Brazilian",
	"Brunei||Bruneian", "Bulgaria||Bulgarian", "Burkina Faso||Burkinabe", "Burundi||Burundian",
	"Cambodia||Cambodian", "Cameroon||Cameroonian", "Canada||Canadian",
	"Cape Verde|Cabo Verde|Cape Verdean", "Chad||Chadian", "Chile||Chilean",
	"China|PRC|Chinese", "Colombia||Colombian", "Costa Rica||Costa Rican",
	"Croatia||Croatian", "Cuba||Cuban", "Cyprus||Cypriot", "Czech Republic|Czechia|Czech",
	"Denmark||Danish", "Dominican Republic||Dominican", "Ecuador||Ecuadorian",
	"Egypt||Egyptian", "El Salvador||Salvadoran", "Estonia||Estonian", "Ethiopia||Ethiopian",
	"Fiji||Fijian", "Finland||Finnish", "France||French", "Gabon||Gabonese",
	"Georgia||Georgian", "Germany||German", "Ghana||Ghanaian", "Greece||Greek",
	"Guatemala||Guatemalan", "Guinea||Guinean", "Haiti||Haitian", "Honduras||Honduran",
	"Hong Kong||", "Hungary||Hungarian", "Iceland||Icelandic", "India||Indian",
	"Indonesia||Indonesian", "Iran||Iranian", "Iraq||Iraqi", "Ireland||Irish",
	"Israel||Israeli", "Italy||Italian", "Jamaica||Jamaican", "Japan||Japanese",
	"Jordan||Jordanian", "Kazakhstan||Kazakh", "Kenya||Kenyan", "Kuwait||Kuwaiti",
	"Kyrgyzstan||Kyrgyz", "Laos||Lao,Laotian", "Latvia||Latvian", "Lebanon||Lebanese",
	"Liberia||Liberian", "Libya||Libyan", "Liechtenstein||", "Lithuania||Lithuanian",
	"Luxembourg||Luxembourgish", "Madagascar||Malagasy", "Malawi||Malawian",
	"Malaysia||Malaysian", "Maldives||Maldivian", "Mali||Malian", "Malta||Maltese",
	"Mauritius||Mauritian", "Mexico||Mexican", "Moldova||Moldovan", "Monaco||Monegasque",
	"Mongolia||Mongolian", "Montenegro||Montenegrin", "Morocco||Moroccan",
	"Mozambique||Mozambican", "Myanmar|Burma|Burmese", "Namibia||Namibian", "Nepal||Nepali,Nepalese",
	"Netherlands|The Netherlands,Holland|Dutch", "New Zealand|NZ|New Zealander",
	"Nicaragua||Nicaraguan", "Niger||Nigerien", "Nigeria||Nigerian", "North Korea||North Korean",
	"North Macedonia|Macedonia|Macedonian", "Norway||Norwegian", "Oman||Omani",
	"Pakistan||Pakistani", "Panama||Panamanian", "Papua New Guinea||", "Paraguay||Paraguayan",
	"Peru||Peruvian", "Philippines|The Philippines|Filipino,Philippine", "Poland||Polish",
	"Portugal||Portuguese", "Qatar||Qatari", "Romania||Romanian", "Russia|Russian Federation|Russian",
	"Rwanda||Rwandan", "Saudi Arabia||Saudi,Saudi Arabian", "Senegal||Senegalese",
	"Serbia||Serbian", "Singapore||Singaporean", "Slovakia||Slovak", "Slovenia||Slovenian",
	"Somalia||Somali", "South Africa||South African", "South Korea|Korea|Korean,South Korean",
	"Spain||Spanish", "Sri Lanka||Sri Lankan", "Sudan||Sudanese", "Sweden||Swedish",
	"Switzerland||Swiss", "Syria||Syrian", "Taiwan||Taiwanese", "Tajikistan||Tajik",
	"Tanzania||Tanzanian", "Thailand||Thai", "Togo||Togolese", "Trinidad and Tobago||Trinidadian",
	"Tunisia||Tunisian", "Turkey|Türkiye|Turkish", "Turkmenistan||Turkmen", "Uganda||Ugandan",
	"Ukraine||Ukrainian", "United Arab Emirates|UAE,U.A.E.|Emirati",
	"United Kingdom|UK,U.K.,Britain,Great Britain|British",
	"United States|USA,U.S.A.,US,U.S.,America,United States of America|American",
	"Uruguay||Uruguayan", "Uzbekistan||Uzbek", "Venezuela||Venezuelan", "Vietnam|Viet Nam|Vietnamese",
	"Yemen||Yemeni", "Zambia||Zambian", "Zimbabwe||Zimbabwean",
	"England||English", "Scotland||Scottish", "Wales||Welsh",
}

// demonyms marks the keys of countries that are adjectives, not names.
var demonyms = map[string]bool{}

func init() {
	for _, row := range countryTable {
		parts := strings.SplitN(row, "|", 3)
		name := parts[0]
		countries[strings.ToLower(name)] = name
		for _, alias := range strings.Split(parts[1], ",") {
			if alias != "" {
				countries[strings.ToLower(alias)] = name
			}
		}
		for _, adj := range strings.Split(parts[2], ",") {
			if adj != "" {
				countries[strings.ToLower(adj)] = name
				demonyms[strings.ToLower(adj)] = true
			}
		}
	}
}

// Country returns the country that text names, written as a name ("Italy", "USA",
// "the U.S.") or as the adjective for its people ("Italian"), and whether text is the
// adjective. Case matters only for short codes: "us" is a pronoun, "US" a country.
func Country(text string) (name string, adjective bool, ok bool) {
	t := strings.TrimSpace(text)
	t = strings.TrimPrefix(strings.TrimPrefix(t, "the "), "The ")
	key := strings.ToLower(t)
	name, ok = countries[key]
	if !ok {
		return "", false, false
	}
	if len(t) <= 4 && strings.ToUpper(t) != t {
		// "US", "UK", "UAE", "NZ" are codes only in capitals.
		if k := strings.ReplaceAll(key, ".", ""); len(k) <= 3 && k != "usa" || k == "usa" && t != "USA" {
			return "", false, false
		}
	}
	return name, demonyms[key], true
}

// isoAlpha2 are the ISO 3166-1 alpha-2 codes of the countries above.
var isoAlpha2 = map[string]string{
	"Afghanistan": "AF", "Albania": "AL", "Algeria": "DZ", "Andorra": "AD", "Angola": "AO", "Argentina": "AR",
	"Armenia": "AM", "Australia": "AU", "Austria": "AT", "Azerbaijan": "AZ", "Bahamas": "BS", "Bahrain": "BH",
	"Bangladesh": "BD", "Barbados": "BB", "Belarus": "BY", "Belgium": "BE", "Belize": "BZ", "Benin": "BJ",
	"Bhutan": "BT", "Bolivia": "BO", "Bosnia and Herzegovina": "BA", "Botswana": "BW", "Brazil": "BR",
	"Brunei": "BN", "Bulgaria": "BG", "Burkina Faso": "BF", "Burundi": "BI", "Cambodia": "KH", "Cameroon": "CM",
	"Canada": "CA", "Cape Verde": "CV", "Chad": "TD", "Chile": "CL", "China": "CN", "Colombia": "CO",
	"Costa Rica": "CR", "Croatia": "HR", "Cuba": "CU", "Cyprus": "CY", "Czech Republic": "CZ", "Denmark": "DK",
	"Dominican Republic": "DO", "Ecuador": "EC", "Egypt": "EG", "El Salvador": "SV", "Estonia": "EE",
	"Ethiopia": "ET", "Fiji": "FJ", "Finland": "FI", "France": "FR", "Gabon": "GA", "Georgia": "GE",
	"Germany": "DE", "Ghana": "GH", "Greece": "GR", "Guatemala": "GT", "Guinea": "GN", "Haiti": "HT",
	"Honduras": "HN", "Hong Kong": "HK", "Hungary": "HU", "Iceland": "IS", "India": "IN", "Indonesia": "ID",
	"Iran": "IR", "Iraq": "IQ", "Ireland": "IE", "Israel": "IL", "Italy": "IT", "Jamaica": "JM", "Japan": "JP",
	"Jordan": "JO", "Kazakhstan": "KZ", "Kenya": "KE", "Kuwait": "KW", "Kyrgyzstan": "KG", "Laos": "LA",
	"Latvia": "LV", "Lebanon": "LB", "Liberia": "LR", "Libya": "LY", "Liechtenstein": "LI", "Lithuania": "LT",
	"Luxembourg": "LU", "Madagascar": "MG", "Malawi": "MW", "Malaysia": "MY", "Maldives": "MV", "Mali": "ML",
	"Malta": "MT", "Mauritius": "MU", "Mexico": "MX", "Moldova": "MD", "Monaco": "MC", "Mongolia": "MN",
	"Montenegro": "ME", "Morocco": "MA", "Mozambique": "MZ", "Myanmar": "MM", "Namibia": "NA", "Nepal": "NP",
	"Netherlands": "NL", "New Zealand": "NZ", "Nicaragua": "NI", "Niger": "NE", "Nigeria": "NG",
	"North Korea": "KP", "North Macedonia": "MK", "Norway": "NO", "Oman": "OM", "Pakistan": "PK", "Panama": "PA",
	"Papua New Guinea": "PG", "Paraguay": "PY", "Peru": "PE", "Philippines": "PH", "Poland": "PL",
	"Portugal": "PT", "Qatar": "QA", "Romania": "RO", "Russia": "RU", "Rwanda": "RW", "Saudi Arabia": "SA",
	"Senegal": "SN", "Serbia": "RS", "Singapore": "SG", "Slovakia": "SK", "Slovenia": "SI", "Somalia": "SO",
	"South Africa": "ZA", "South Korea": "KR", "Spain": "ES", "Sri Lanka": "LK", "Sudan": "SD", "Sweden": "SE",
	"Switzerland": "CH", "Syria": "SY", "Taiwan": "TW", "Tajikistan": "TJ", "Tanzania": "TZ", "Thailand": "TH",
	"Togo": "TG", "Trinidad and Tobago": "TT", "Tunisia": "TN", "Turkey": "TR", "Turkmenistan": "TM",
	"Uganda": "UG", "Ukraine": "UA", "United Arab Emirates": "AE", "United Kingdom": "GB", "United States": "US",
	"Uruguay": "UY", "Uzbekistan": "UZ", "Venezuela": "VE", "Vietnam": "VN", "Yemen": "YE", "Zambia": "ZM",
	"Zimbabwe": "ZW",
}

// CountryCode returns the ISO 3166-1 alpha-2 code of the country text names (as
// Country reads it): "Italy" -> "IT", "the UK" -> "GB".
func CountryCode(text string) (string, bool) {
	name, _, ok := Country(text)
	if !ok {
		return "", false
	}
	code, ok := isoAlpha2[name]
	return code, ok
}
