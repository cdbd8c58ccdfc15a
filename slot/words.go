package slot

import "strings"

// numberWords are spelt-out numbers read as Number slots. "one" is left out: it is far
// more often a pronoun ("the one I liked") than a count.
var numberWords = map[string]string{
	"two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
	"eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12",
	"thirteen": "13", "fourteen": "14", "fifteen": "15", "sixteen": "16",
	"seventeen": "17", "eighteen": "18", "nineteen": "19", "twenty": "20",
	"thirty": "30", "forty": "40", "fifty": "50", "hundred": "100",
}

// currencyCodes are the ISO 4217 codes (and the common crypto tickers) read after or
// before an amount.
var currencyCodes = func() map[string]string {
	m := map[string]string{}
	for _, c := range strings.Fields(`USD EUR GBP JPY CNY INR CAD AUD CHF SEK NOK DKK PLN CZK HUF
		RUB BRL MXN ARS CLP COP ZAR NGN EGP KES TRY ILS AED SAR QAR KRW SGD HKD TWD THB MYR IDR
		PHP VND NZD PKR BDT LKR UAH RON BGN ISK BTC ETH LTC XRP DOGE ADA SOL USDT USDC BNB`) {
		m[c] = c
	}
	return m
}()

// currencyWords are currency names read after an amount. "pounds" is left out: it is a
// unit of weight as often as a currency.
var currencyWords = map[string]string{
	"dollar": "USD", "dollars": "USD", "bucks": "USD", "euro": "EUR", "euros": "EUR",
	"yen": "JPY", "yuan": "CNY", "rupee": "INR", "rupees": "INR", "francs": "CHF",
}

type currencySymbol struct{ sym, code string }

// currencySymbols are tried in order (US$ before $).
var currencySymbols = []currencySymbol{
	{"US$", "USD"}, {"$", "USD"}, {"€", "EUR"}, {"£", "GBP"}, {"¥", "JPY"}, {"₹", "INR"}, {"₩", "KRW"}, {"₽", "RUB"},
}

// commonTLDs lets a bare "example.com" count as a URL while "e.g" and "J.K" do not.
var commonTLDs = setOf(`com org net io dev ai app co edu gov mil int info biz me us uk de fr
	es it nl eu ca au jp cn in ru br ch se no dk fi pl be at nz ie tv xyz tech cloud site online`)

// fileExts are the extensions that make a token a file name.
var fileExts = setOf(`pdf doc docx txt rtf odt md csv tsv xls xlsx ods ppt pptx odp json yaml
	yml xml toml ini cfg conf log html htm css js ts jsx tsx py go java c cc cpp h hpp rs rb php
	sh bat ps1 sql db sqlite jpg jpeg png gif bmp svg webp tif tiff heic ico mp3 wav flac aac
	ogg m4a mp4 mov avi mkv webm wmv zip tar gz tgz bz2 xz 7z rar iso dmg exe apk ipa epub
	mobi key pages numbers psd ai sketch fig ipynb parquet`)

// titles absorb their trailing dot and join the following name: Dr. Smith.
var titles = setOf(`Dr Mr Mrs Ms Mx Prof St Mt Jr Sr Sen Rep Gov Gen Capt Lt Col Rev Fr`)

// neverNames are capitalised words that are never proper names on their own.
var neverNames = setOf(`i i'm i'd i'll i've ok okay hi hello hey thanks thank please yes no`)

// streetPrefixes open a street's name in French, Italian, Spanish and Portuguese:
// "12a Rue Royale", "3b Via Roma".
var streetPrefixes = setOf(`rue via calle avenida rua viale`)

// idLabels name a kind of identifier; written in capitals before one ("IBAN NL91 ABNA
// 0417 1643 00", "BIC ABNANL2A", "SKU MUG-SPK-BLU") they label the value and are no
// part of it, nor a name of their own.
var idLabels = setOf(`id iban bic swift vin sku pnr isbn imei upc ean asin npi mrn ssn ein`)

// commonWords are words that are capitalised only because they start a sentence.
var commonWords = setOf(`a an the this that these those there here it its it's he she we
	they you your my our their his her him them me us who whom whose what which when where
	why how whats what's where's how's is are was were be been am do does did done have has
	had can could would should will shall may might must need needs let let's lets please
	kindly just also then next finally after afterwards before once first second third last
	and or but so if while because since until as at by for from in into of on off to with
	without about above below over under between through during within all any some every
	each both either neither no not none nothing something anything everything someone
	anyone everyone now today tomorrow yesterday tonight later soon again still yet already
	very really quite too much many more most less few several other another such only
	even ever never always sometimes often usually maybe perhaps actually basically hey hi
	hello thanks thank okay ok yes well oh great good nice cool sure alright imagine suppose
	assume given considering lately recently currently meanwhile additionally moreover
	furthermore however therefore thus hence otherwise instead besides lastly initially
	subsequently eventually ultimately secondly thirdly firstly
	find get give go make take put set show tell send search look see watch play buy sell
	order book reserve schedule plan create add remove delete update change edit open close
	start stop turn check list fetch retrieve obtain locate provide compare calculate
	compute convert translate summarize summarise write read print share post upload
	download install uninstall manage pay transfer deposit withdraw apply enroll enrol
	register sign log call text email message ring dial notify remind wake record take note
	deliver ship track organize organise attend join host invite meet arrange prepare cook
	clean wash drive ride fly travel visit explore discover learn study research analyze
	analyse generate produce draw design build run execute launch deploy test try help
	assist tell ask answer reply respond request require want wanted would like love hate
	know think believe feel hope wish mean says say said use using used keep leave bring
	carry move copy paste save store load fill submit confirm cancel accept decline approve
	reject review rate recommend suggest pick choose select decide determine identify
	detect recognize recognise extract filter sort rank count measure estimate predict
	forecast monitor watch follow unfollow like subscribe unsubscribe mute block report
	borrow lend rent hire lease return renew repair fix replace upgrade downgrade`)

func setOf(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// streetWords end a street name.
var streetWords = setOf(`st street ave avenue rd road blvd boulevard ln lane dr drive way ct court
	pl place sq square pkwy parkway hwy highway ter terrace cres crescent`)

// CurrencyCode returns the ISO 4217 code a word names: a code as written ("EUR"), or a
// currency's name ("euros", "yen"). "pounds" is not read: it weighs as often as it pays.
func CurrencyCode(word string) (string, bool) {
	if c, ok := currencyCodes[word]; ok {
		return c, true
	}
	c, ok := currencyWords[strings.ToLower(word)]
	return c, ok
}

// periodUnits are the units of the enum values that say how often something recurs
// ("monthly": every month).
var periodUnits = map[string]string{"hourly": "hour", "daily": "day", "nightly": "night", "weekly": "week",
	"fortnightly": "fortnight", "monthly": "month", "quarterly": "quarter", "yearly": "year", "annually": "year"}

// nameHeads start names joined by "of" ("Bank of America", "University of Texas"), also
// at the start of a sentence.
var nameHeads = map[string]bool{
	"bank": true, "university": true, "college": true, "institute": true, "school": true, "museum": true,
	"republic": true, "kingdom": true, "state": true, "states": true, "city": true, "county": true, "district": true,
	"department": true, "ministry": true, "house": true, "church": true, "cathedral": true, "palace": true,
	"statue": true, "tower": true, "isle": true, "gulf": true, "bay": true, "sea": true, "lake": true, "mount": true,
	"cape": true, "port": true, "duke": true, "king": true, "queen": true, "prince": true, "princess": true,
	"lord": true, "lady": true, "saint": true, "st": true, "hotel": true, "theatre": true, "theater": true,
	"court": true, "council": true, "board": true, "league": true, "game": true,
}

// ePrefixed are the words an electronic variant is written of with "e" in front,
// joined or hyphenated: ebook and e-book, email and e-mail.
var ePrefixed = map[string]bool{"book": true, "books": true, "mail": true, "reader": true, "bike": true, "wallet": true,
	"ticket": true, "tickets": true, "signature": true, "commerce": true, "learning": true, "sim": true, "gift": true}

// irregularPasts are the past forms of the verbs that name activities and ways of
// travelling: "ran 10k", "swam 40 lengths", "rode 30 km".
var irregularPasts = map[string]string{"run": "ran", "swim": "swam", "ride": "rode", "drive": "drove",
	"fly": "flew", "eat": "ate", "write": "wrote", "draw": "drew", "sing": "sang", "dive": "dove",
	"sleep": "slept", "speak": "spoke", "teach": "taught"}

// operationVerbs are the commands a catalogue's enums list (HTTP methods, what to do to
// a record): their forms say what state a thing is in ("did my grade get posted",
// "the deleted files"), not which command to run.
var operationVerbs = map[string]bool{"get": true, "post": true, "put": true, "patch": true, "delete": true,
	"head": true, "create": true, "read": true, "update": true, "list": true, "insert": true, "select": true,
	"set": true, "send": true, "edit": true, "copy": true, "move": true, "sort": true, "filter": true,
	"search": true, "find": true, "book": true, "cancel": true, "schedule": true, "pay": true, "approve": true,
	"reject": true, "print": true, "share": true, "save": true, "load": true, "upload": true, "download": true,
	"archive": true, "publish": true, "submit": true, "merge": true, "deploy": true, "build": true, "test": true,
	"install": true, "restart": true, "reset": true, "refund": true, "transfer": true, "order": true, "return": true}

// verbForms returns the -ing and past forms of lower when it is one plain word that can
// be a verb (letters only, three or more of them, not one of keepWords or
// operationVerbs), and whether the past is the regular one: "cycle" -> "cycling",
// "cycled", true; "run" -> "running", "ran", false; "jog" -> "jogging", "jogged", true.
func verbForms(lower string) (ing, past string, regular bool) {
	n := len(lower)
	if n < 3 || keepWords[lower] || operationVerbs[lower] || !isLetterWord(lower) {
		return "", "", false
	}
	last, vowel := lower[n-1], func(c byte) bool { return strings.IndexByte("aeiou", c) >= 0 }
	stem := lower
	switch {
	case strings.HasSuffix(lower, "ing") || strings.HasSuffix(lower, "ed") || last == 's' || last == 'y':
		return "", "", false // a form already, a plural, or a word like "daily" or "play"
	case last == 'e' && lower[n-2] != 'e':
		stem = lower[:n-1] // cycle: cycling, cycled
	case !vowel(lower[n-3]) && vowel(lower[n-2]) && !vowel(last) && !strings.ContainsRune("wxy", rune(last)) &&
		strings.IndexAny(lower[:n-2], "aeiou") < 0:
		stem = lower + string(last) // one syllable: run, running; swim, swimming; jog, jogged
	}
	if p, ok := irregularPasts[lower]; ok {
		return stem + "ing", p, false
	}
	return stem + "ing", stem + "ed", true
}

// isLetterWord reports whether w is ASCII lower-case letters only.
func isLetterWord(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	return true
}
