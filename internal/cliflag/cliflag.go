// Package cliflag holds the flag values the planwise CLI declares beyond pflag's own.
package cliflag

import (
	"time"

	"github.com/planwise/planwise/internal/textfmt"
)

// Duration is a duration flag (a pflag.Value) that accepts what pflag's own does (any
// time.ParseDuration string) and prints as people write durations: a default of 24h
// shows as "(default 24h)" where pflag's shows "(default 24h0m0s)". A zero default is
// not shown, as with pflag's.
type Duration struct{ p *time.Duration }

// NewDuration sets *p to def and returns the flag value bound to p:
//
//	flags.Var(cliflag.NewDuration(&since, 24*time.Hour), "since", "window to analyse")
func NewDuration(p *time.Duration, def time.Duration) *Duration {
	*p = def
	return &Duration{p}
}

// Set parses s as time.ParseDuration does.
func (d *Duration) Set(s string) error {
	v, err := time.ParseDuration(s)
	if err != nil {
		return err
	}
	*d.p = v
	return nil
}

// Type is "duration", the placeholder the help shows, as for pflag's duration flags.
func (d *Duration) Type() string { return "duration" }

// String is the value as people write it (textfmt.Duration); zero is "0", which pflag
// takes for a default not worth showing.
func (d *Duration) String() string {
	if d.p == nil || *d.p == 0 {
		return "0"
	}
	return textfmt.Duration(*d.p)
}
