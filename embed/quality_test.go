package embed

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/planwise/planwise/internal/shareddata"
)

// dataDir returns ../shared/data/semcache, or skips the test.
func dataDir(t testing.TB) string { return shareddata.Shared(t, "semcache") }

type labelled struct{ text, label string }

func loadCLINC(t testing.TB, dir, split string) []labelled {
	b, err := os.ReadFile(filepath.Join(dir, "clinc150", "data_full.json"))
	if err != nil {
		t.Skipf("clinc150 absent: %v", err)
	}
	var raw map[string][][2]string
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	var out []labelled
	for _, r := range raw[split] {
		out = append(out, labelled{r[0], r[1]})
	}
	return out
}

func loadBanking(t testing.TB, dir, split string) []labelled {
	f, err := os.Open(filepath.Join(dir, "banking77", split+".csv"))
	if err != nil {
		t.Skipf("banking77 absent: %v", err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []labelled
	for _, r := range rows[1:] {
		out = append(out, labelled{r[0], r[1]})
	}
	return out
}

func loadMock(t testing.TB, dir string) [][2]string {
	b, err := os.ReadFile(filepath.Join(dir, "gptcache", "mock_data.json"))
	if err != nil {
		t.Skipf("gptcache mock_data absent: %v", err)
	}
	var raw []struct{ Origin, Similar string }
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	out := make([][2]string, len(raw))
	for i, r := range raw {
		out[i] = [2]string{r.Origin, r.Similar}
	}
	return out
}

// separation measures how well an embedder separates same-label pairs from different-label
// pairs: ROC AUC over sampled pairs, and the share of same-label pairs above the threshold
// that lets through only 0.5% of different-label pairs.
func separation(e *Local, data []labelled, pairs int, seed uint64) (auc, tprAtFPR float64) {
	vecs, _ := e.Embed(context.Background(), textsOf(data))
	byLabel := map[string][]int{}
	for i, d := range data {
		byLabel[d.label] = append(byLabel[d.label], i)
	}
	rng := rand.New(rand.NewPCG(seed, 1))
	var pos, neg []float64
	for len(pos) < pairs {
		i := rng.IntN(len(data))
		same := byLabel[data[i].label]
		j := same[rng.IntN(len(same))]
		if i != j {
			pos = append(pos, dot(vecs[i], vecs[j]))
		}
	}
	for len(neg) < pairs {
		i, j := rng.IntN(len(data)), rng.IntN(len(data))
		if data[i].label != data[j].label {
			neg = append(neg, dot(vecs[i], vecs[j]))
		}
	}
	sort.Float64s(neg)
	sort.Float64s(pos)
	// AUC by rank: P(pos > neg).
	var wins float64
	k := 0
	for _, p := range pos {
		for k < len(neg) && neg[k] < p {
			k++
		}
		wins += float64(k)
	}
	auc = wins / float64(len(pos)*len(neg))
	thr := neg[int(float64(len(neg))*0.995)]
	above := len(pos) - sort.SearchFloat64s(pos, thr+1e-9)
	return auc, float64(above) / float64(len(pos))
}

// retrieval measures, for GPTCache's mock pairs, how often the nearest cached "origin" of
// a "similar" query is its own origin (top-1 accuracy of the cache's candidate).
func retrieval(e *Local, pairs [][2]string) (top1, meanPos float64) {
	var origins, similars []string
	for _, p := range pairs {
		origins = append(origins, p[0])
		similars = append(similars, p[1])
	}
	ov, _ := e.Embed(context.Background(), origins)
	sv, _ := e.Embed(context.Background(), similars)
	hits := 0
	var sum float64
	for i := range sv {
		best, bi := -2.0, -1
		for j := range ov {
			if s := dot(sv[i], ov[j]); s > best {
				best, bi = s, j
			}
		}
		if bi == i {
			hits++
		}
		sum += dot(sv[i], ov[i])
	}
	return float64(hits) / float64(len(sv)), sum / float64(len(sv))
}

func textsOf(d []labelled) []string {
	out := make([]string, len(d))
	for i, x := range d {
		out[i] = x.text
	}
	return out
}

// TestLocalQuality measures the local embedder's design choices on public data and fails
// when the default configuration loses its measured separation. Run with -v to see the
// table (recorded in the package's report and in cache.Thresholds).
func TestLocalQuality(t *testing.T) {
	if raceEnabled {
		t.Skip("quality measurement skipped under the race detector")
	}
	dir := dataDir(t)
	clinc := loadCLINC(t, dir, "test")
	clincTrain := loadCLINC(t, dir, "train")
	bank := loadBanking(t, dir, "test")
	bankTrain := loadBanking(t, dir, "train")
	mock := loadMock(t, dir)
	idf := FitIDF(append(textsOf(clincTrain), textsOf(bankTrain)...))
	configs := []struct {
		name string
		cfg  LocalConfig
	}{
		{"default", LocalConfig{}},
		{"dim512", LocalConfig{Dim: 512}},
		{"words-only", LocalConfig{BigramWeight: -1, CharWeight: -1}},
		{"no-bigrams", LocalConfig{BigramWeight: -1}},
		{"no-chars", LocalConfig{CharWeight: -1}},
		{"chars-0.6-bi0.7", LocalConfig{CharWeight: 0.6, BigramWeight: 0.7}},
		{"chars-3.0", LocalConfig{CharWeight: 3.0}},
		{"no-stopwords", LocalConfig{StopWeight: 1}},
		{"fitted-idf", LocalConfig{IDF: idf}},
	}
	var lines []string
	lines = append(lines, fmt.Sprintf("%-22s %8s %8s %8s %8s %8s %8s", "config", "clincAUC", "clincTPR", "bankAUC", "bankTPR", "mockTop1", "mockCos"))
	results := map[string][2]float64{}
	for _, c := range configs {
		e := mustLocal(t, c.cfg)
		ca, ct := separation(e, clinc, 20000, 1)
		ba, bt := separation(e, bank, 20000, 2)
		m1, mc := retrieval(e, mock)
		results[c.name] = [2]float64{ca, ba}
		lines = append(lines, fmt.Sprintf("%-22s %8.4f %8.4f %8.4f %8.4f %8.4f %8.4f", c.name, ca, ct, ba, bt, m1, mc))
	}
	t.Log("\n" + strings.Join(lines, "\n"))
	// Floors a little under what the default measured, so a regression fails.
	if d := results["default"]; d[0] < 0.84 || d[1] < 0.84 {
		t.Errorf("default config separation regressed: CLINC AUC %.4f, Banking77 AUC %.4f", d[0], d[1])
	}
}
