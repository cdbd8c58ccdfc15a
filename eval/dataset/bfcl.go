package dataset

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/planwise/planwise/tool"
)

// BFCL file naming (Berkeley Function-Calling Leaderboard v4): the questions of a
// category are in BFCL_v4_<category>.json, the gold calls of the categories that have
// them in possible_answer/BFCL_v4_<category>.json.
const (
	bfclPrefix     = "BFCL_v4_"
	bfclAnswersDir = "possible_answer"
)

// BFCLSet is one BFCL category on disk.
type BFCLSet struct {
	// Name is the category ("live_simple", "live_irrelevance").
	Name string
	// Questions is the question file; Answers its possible-answer file, or "" for a
	// category whose right answer is no call at all (irrelevance).
	Questions, Answers string
}

// Irrelevant reports whether the set's right answer is a refusal: no gold calls exist
// and the category is named for it.
func (s BFCLSet) Irrelevant() bool {
	return s.Answers == "" && strings.Contains(s.Name, "irrelevance")
}

// FindBFCLSets lists the BFCL categories in dir that can be scored: those with a
// possible-answer file, and the irrelevance categories (scored as refusal rate). Sorted
// by name.
func FindBFCLSets(dir string) ([]BFCLSet, error) {
	files, err := filepath.Glob(filepath.Join(dir, bfclPrefix+"*.json"))
	if err != nil {
		return nil, fmt.Errorf("bfcl: list %s: %w", dir, err)
	}
	var sets []BFCLSet
	for _, f := range files {
		name := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(f), bfclPrefix), ".json")
		s := BFCLSet{Name: name, Questions: f}
		ans := filepath.Join(dir, bfclAnswersDir, filepath.Base(f))
		if _, err := os.Stat(ans); err == nil {
			s.Answers = ans
		} else if !s.Irrelevant() {
			continue // no gold and not an irrelevance category: nothing to score
		}
		sets = append(sets, s)
	}
	if len(sets) == 0 {
		return nil, fmt.Errorf("bfcl: no scorable %s*.json in %s (questions with %s/ answers, or an irrelevance category)", bfclPrefix, dir, bfclAnswersDir)
	}
	sort.Slice(sets, func(i, j int) bool { return sets[i].Name < sets[j].Name })
	return sets, nil
}

// LoadBFCL reads one BFCL category: each question becomes a Sample whose Tools are the
// functions offered with it (converted from BFCL's schema dialect) and whose Gold is the
// possible answer's calls, every argument with its list of acceptable values (Accept;
// Args holds the first acceptable value that is not the "may be omitted" marker). An
// irrelevance category's samples are Irrelevant, with no gold.
func LoadBFCL(set BFCLSet) ([]Sample, error) {
	data, err := os.ReadFile(set.Questions)
	if err != nil {
		return nil, fmt.Errorf("bfcl: %w", err)
	}
	qs, err := tool.ParseBFCLQuestions(data, set.Questions)
	if err != nil {
		return nil, fmt.Errorf("bfcl: %w", err)
	}
	var answers map[string][]GoldStep
	if set.Answers != "" {
		if answers, err = loadBFCLAnswers(set.Answers); err != nil {
			return nil, err
		}
	}
	samples := make([]Sample, 0, len(qs))
	for _, q := range qs {
		s := Sample{ID: q.ID, Request: q.Request, Tools: q.Tools}
		switch {
		case set.Answers != "":
			gold, ok := answers[q.ID]
			if !ok {
				return nil, fmt.Errorf("bfcl: %s: question %s has no possible answer", set.Answers, q.ID)
			}
			s.Gold = gold
		case set.Irrelevant():
			s.Irrelevant = true
		}
		samples = append(samples, s)
	}
	return samples, nil
}

// loadBFCLAnswers reads a possible-answer file: JSON lines of {"id", "ground_truth":
// [{"fn": {"arg": [acceptable values...]}}]}.
func loadBFCLAnswers(file string) (map[string][]GoldStep, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, fmt.Errorf("bfcl: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	out := map[string][]GoldStep{}
	line := 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		var rec struct {
			ID          string                                  `json:"id"`
			GroundTruth []map[string]map[string]json.RawMessage `json:"ground_truth"`
		}
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber()
		if err := dec.Decode(&rec); err != nil {
			return nil, fmt.Errorf("bfcl: %s line %d: %w", file, line, err)
		}
		var gold []GoldStep
		for _, call := range rec.GroundTruth {
			if len(call) != 1 {
				return nil, fmt.Errorf("bfcl: %s line %d: a ground-truth call must name one function, got %d", file, line, len(call))
			}
			for fn, args := range call {
				g := GoldStep{Tool: fn, Args: map[string]any{}, Accept: map[string][]any{}}
				for name, raw := range args {
					var vals []any
					d := json.NewDecoder(bytes.NewReader(raw))
					d.UseNumber()
					if err := d.Decode(&vals); err != nil {
						return nil, fmt.Errorf("bfcl: %s line %d: %s.%s: acceptable values must be a list: %w", file, line, fn, name, err)
					}
					g.Accept[name] = vals
					for _, v := range vals {
						if s, ok := v.(string); !ok || s != "" {
							g.Args[name] = v
							break
						}
					}
				}
				gold = append(gold, g)
			}
		}
		out[rec.ID] = gold
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("bfcl: %s: %w", file, err)
	}
	return out, nil
}
