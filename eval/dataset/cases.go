package dataset

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/goccy/go-yaml"
)

// CaseSet is a hand-written evaluation set: requests written by people for a catalogue,
// each with the tools a right plan calls (in order) and the argument values it must
// hold, or marked as a request to refuse. The file is YAML or JSON:
//
//	name: daily-life
//	tools: [../../shared/data/taskbench/dailylifeapis/tool_desc.json]  # relative to the file
//	cases:
//	  - request: Check the weather in Oslo on 2026-12-10 and then text +1 555 010 2233 the forecast
//	    tools: [get_weather, send_sms]
//	    args:                       # optional, per step: values a right plan holds
//	      - {location: Oslo, date: "2026-12-10"}
//	      - {phone_number: "+15550102233"}
//	  - request: make me a sandwich with extra pickles
//	    refuse: true                # no tool serves it, or a required value is missing
//
// Listed argument values are checked as BFCL checks them (strings compared without case,
// spaces and punctuation; a list gives alternatives when written as {any: [...]}), but
// unlike BFCL a plan may give more arguments than the case lists.
type CaseSet struct {
	Name string `json:"name"`
	// Description says what the set covers and who wrote it.
	Description string `json:"description,omitempty"`
	// Tools are the catalogue files, relative to the case file.
	Tools []string `json:"tools"`
	// Now is the date relative dates in the requests are read against (YYYY-MM-DD), so
	// that "tomorrow" has one right answer.
	Now   string `json:"now,omitempty"`
	Cases []Case `json:"cases"`
}

// Case is one hand-written request.
type Case struct {
	ID      string           `json:"id,omitempty"`
	Request string           `json:"request"`
	Tools   []string         `json:"tools,omitempty"`
	Args    []map[string]any `json:"args,omitempty"`
	Refuse  bool             `json:"refuse,omitempty"`
	Note    string           `json:"note,omitempty"`
}

// commentedRequest finds a request written as a plain YAML scalar with " #" in it,
// which YAML ends there: the rest is a comment.
var commentedRequest = regexp.MustCompile(`(?m)^[ \t]*(?:-[ \t]+)?request:[ \t]+[^"'\s|>#][^\n]*[ \t]#`)

// LoadCases reads a case file. It returns the set (with Tools made absolute) and its
// samples: a case to refuse is Irrelevant; any other has one gold step per tool, whose
// Accept lists each given argument's value (OpenArgs: other arguments may be given).
func LoadCases(file string) (*CaseSet, []Sample, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, nil, fmt.Errorf("cases: %w", err)
	}
	if loc := commentedRequest.FindIndex(b); loc != nil {
		// "post it in #carpool" unquoted is the request "post it in" and a comment.
		line := 1 + bytes.Count(b[:loc[0]], []byte("\n"))
		return nil, nil, fmt.Errorf("cases: %s:%d: the request stops at \" #\", which YAML reads as a comment: quote the request", file, line)
	}
	js, err := yaml.YAMLToJSON(b)
	if err != nil {
		return nil, nil, fmt.Errorf("cases: %s: %w", file, err)
	}
	var set CaseSet
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.DisallowUnknownFields()
	dec.UseNumber()
	if err := dec.Decode(&set); err != nil {
		return nil, nil, fmt.Errorf("cases: %s: %w", file, err)
	}
	if set.Name == "" {
		set.Name = strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
	}
	if len(set.Tools) == 0 {
		return nil, nil, fmt.Errorf("cases: %s: no tools: list the catalogue files the requests are written for", file)
	}
	for i, t := range set.Tools {
		if !filepath.IsAbs(t) {
			set.Tools[i] = filepath.Join(filepath.Dir(file), t)
		}
	}
	samples := make([]Sample, 0, len(set.Cases))
	seen := map[string]bool{}
	for i, c := range set.Cases {
		id := c.ID
		if id == "" {
			id = fmt.Sprintf("%s/%d", set.Name, i+1)
		}
		if seen[id] {
			return nil, nil, fmt.Errorf("cases: %s: id %q used twice", file, id)
		}
		seen[id] = true
		switch {
		case strings.TrimSpace(c.Request) == "":
			return nil, nil, fmt.Errorf("cases: %s: case %s has no request", file, id)
		case c.Refuse && len(c.Tools) > 0:
			return nil, nil, fmt.Errorf("cases: %s: case %s both refuses and lists tools", file, id)
		case !c.Refuse && len(c.Tools) == 0:
			return nil, nil, fmt.Errorf("cases: %s: case %s lists no tools (write refuse: true for a request to refuse)", file, id)
		case len(c.Args) > len(c.Tools):
			return nil, nil, fmt.Errorf("cases: %s: case %s gives arguments for %d steps but %d tools", file, id, len(c.Args), len(c.Tools))
		}
		s := Sample{ID: id, Request: c.Request, Irrelevant: c.Refuse, OpenArgs: true}
		for k, tl := range c.Tools {
			g := GoldStep{Tool: tl, Args: map[string]any{}, Accept: map[string][]any{}}
			if k < len(c.Args) {
				for name, v := range c.Args[k] {
					vals := []any{v}
					if m, ok := v.(map[string]any); ok && len(m) == 1 {
						if alts, ok := m["any"].([]any); ok {
							vals = alts
						}
					}
					g.Accept[name] = vals
					g.Args[name] = vals[0]
				}
			}
			s.Gold = append(s.Gold, g)
		}
		samples = append(samples, s)
	}
	return &set, samples, nil
}
