package tool

import (
	"errors"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// schemaErrorText renders a schema compilation error on one line for a person: the
// metaschema violations at the leaves ("at /properties/n/type: value must be one of
// ..."), at most three, instead of the validator's indented tree. url is the resource
// name the compiler was given, stripped from other errors.
func schemaErrorText(err error, url string) string {
	var sve *jsonschema.SchemaValidationError
	if !errors.As(err, &sve) {
		return strings.Join(strings.Fields(strings.ReplaceAll(err.Error(), url, "")), " ")
	}
	var ve *jsonschema.ValidationError
	if !errors.As(sve.Err, &ve) {
		return strings.Join(strings.Fields(sve.Err.Error()), " ")
	}
	p := message.NewPrinter(language.English)
	var msgs []string
	seen := map[string]bool{}
	var walk func(*jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(msgs) >= 3 {
			return
		}
		if len(e.Causes) == 0 {
			loc := "/" + strings.Join(e.InstanceLocation, "/")
			m := "at " + loc + ": " + e.ErrorKind.LocalizedString(p)
			if !seen[m] {
				seen[m] = true
				msgs = append(msgs, m)
			}
			return
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	walk(ve)
	return strings.Join(msgs, "; ")
}
