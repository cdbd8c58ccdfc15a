package dataset

import (
	"archive/tar"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// The intent and paraphrase data sets (../shared/data/semcache) label requests, not
// plans: which utterances share an intent, which questions are paraphrases. The cache
// evaluation makes pairs of them and the history evaluation makes a catalogue of one tool
// per intent. A missing file's error wraps os.ErrNotExist.

// Utterance is one labelled request of an intent data set.
type Utterance struct {
	Text, Intent string
}

// CLINC150 is the CLINC150 data set (data_full.json): utterances labelled with one of 150
// intents, in the train, validation and test splits. The out-of-scope splits are not read.
type CLINC150 struct {
	Train, Val, Test []Utterance
}

// LoadCLINC150 reads data_full.json ({"train"|"val"|"test": [[text, intent], ...]}).
// Every split must be there and non-empty.
func LoadCLINC150(path string) (*CLINC150, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("clinc150: %w", err)
	}
	var raw map[string][][2]string
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("clinc150: %s: %w", path, err)
	}
	conv := func(name string) ([]Utterance, error) {
		rows, ok := raw[name]
		if !ok || len(rows) == 0 {
			return nil, fmt.Errorf("clinc150: %s has no %q split", path, name)
		}
		out := make([]Utterance, len(rows))
		for i, r := range rows {
			out[i] = Utterance{Text: r[0], Intent: r[1]}
		}
		return out, nil
	}
	c := &CLINC150{}
	if c.Train, err = conv("train"); err != nil {
		return nil, err
	}
	if c.Val, err = conv("val"); err != nil {
		return nil, err
	}
	if c.Test, err = conv("test"); err != nil {
		return nil, err
	}
	return c, nil
}

// LoadBanking77 reads a Banking77 split (test.csv: a header, then text,category rows).
func LoadBanking77(path string) ([]Utterance, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("banking77: %w", err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var out []Utterance
	for _, r := range rows[min(1, len(rows)):] {
		if len(r) >= 2 {
			out = append(out, Utterance{Text: r[0], Intent: r[1]})
		}
	}
	return out, nil
}

// Paraphrase is one pair of GPTCache's mock data: a question and a rewording of it.
type Paraphrase struct {
	Origin, Similar string
}

// LoadGPTCacheMock reads GPTCache's mock_data.json ([{"origin", "similar"}, ...]), in
// file order.
func LoadGPTCacheMock(path string) ([]Paraphrase, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("gptcache: %w", err)
	}
	defer f.Close()
	var raw []Paraphrase
	if err := json.NewDecoder(f).Decode(&raw); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return raw, nil
}

// QuestionPair is one Quora question pair: two questions and whether they are
// duplicates.
type QuestionPair struct {
	A         string `json:"text_a"`
	B         string `json:"text_b"`
	Duplicate bool   `json:"-"`
}

// LoadQQP reads the Quora question pairs GPTCache ships (similiar_qqp_full.json.gz: a
// gzipped tar holding one JSON file [{"text_a", "text_b", "label"}, ...]), in file order.
func LoadQQP(path string) ([]QuestionPair, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("qqp: %w", err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	tr := tar.NewReader(gz)
	var raw []struct {
		TextA string `json:"text_a"`
		TextB string `json:"text_b"`
		Label int    `json:"label"`
	}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil, fmt.Errorf("%s: no JSON file in the archive", path)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if filepath.Ext(h.Name) == ".json" {
			if err := json.NewDecoder(tr).Decode(&raw); err != nil {
				return nil, fmt.Errorf("%s: %s: %w", path, h.Name, err)
			}
			break
		}
	}
	out := make([]QuestionPair, len(raw))
	for i, r := range raw {
		out[i] = QuestionPair{A: r.TextA, B: r.TextB, Duplicate: r.Label == 1}
	}
	return out, nil
}
