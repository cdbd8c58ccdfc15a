package lexicon

import "strings"

// languages maps a language's English name (and its adjective where it differs) to its
// ISO 639-1 code.
var languages = map[string]string{
	"arabic": "ar", "bengali": "bn", "bulgarian": "bg", "catalan": "ca", "chinese": "zh", "mandarin": "zh",
	"croatian": "hr", "czech": "cs", "danish": "da", "dutch": "nl", "english": "en", "estonian": "et",
	"finnish": "fi", "french": "fr", "german": "de", "greek": "el", "hebrew": "he", "hindi": "hi",
	"hungarian": "hu", "icelandic": "is", "indonesian": "id", "irish": "ga", "italian": "it",
	"japanese": "ja", "korean": "ko", "latvian": "lv", "lithuanian": "lt", "malay": "ms",
	"norwegian": "no", "persian": "fa", "farsi": "fa", "polish": "pl", "portuguese": "pt",
	"romanian": "ro", "russian": "ru", "serbian": "sr", "slovak": "sk", "slovenian": "sl",
	"spanish": "es", "swahili": "sw", "swedish": "sv", "tagalog": "tl", "tamil": "ta", "thai": "th",
	"turkish": "tr", "ukrainian": "uk", "urdu": "ur", "vietnamese": "vi", "welsh": "cy",
}

// LanguageCode returns the ISO 639-1 code of the language text names ("French" -> "fr").
func LanguageCode(text string) (string, bool) {
	c, ok := languages[strings.ToLower(strings.TrimSpace(text))]
	return c, ok
}
