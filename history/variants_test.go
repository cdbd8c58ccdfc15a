package history

import (
	"reflect"
	"testing"
)

func TestParseVariants(t *testing.T) {
	for in, want := range map[string][]Variant{
		"default,concise":             {{Name: "default"}, {Name: "concise"}},
		" default=0.8 , concise=0.2,": {{Name: "default", Share: 0.8}, {Name: "concise", Share: 0.2}},
	} {
		got, err := ParseVariants(in)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%q: %+v %v", in, got, err)
		}
	}
	for in, msg := range map[string]string{
		"default":              "give at least two variants, e.g. default,concise or default=0.8,concise=0.2",
		"":                     "give at least two variants, e.g. default,concise or default=0.8,concise=0.2",
		"default=0,concise=1":  `share of "default" must be a positive number`,
		"default=x,concise=1":  `share of "default" must be a positive number`,
		"default=1,concise=-1": `share of "concise" must be a positive number`,
	} {
		if _, err := ParseVariants(in); err == nil || err.Error() != msg {
			t.Errorf("%q: %v, want %q", in, err, msg)
		}
	}
}
