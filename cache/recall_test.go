package cache

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/planwise/planwise/embed"
	"github.com/planwise/planwise/vector"
)

// TestBinaryIndexRecallOnLocalEmbeddings checks the approximate index on the vectors the
// cache really stores (sparse feature-hashing embeddings, where sign codes tie often):
// for queries that edit one word of a stored request, the binary index returns the same
// best entry as exact search.
func TestBinaryIndexRecallOnLocalEmbeddings(t *testing.T) {
	n := 30_000
	if testing.Short() || raceEnabled {
		n = 5_000
	}
	rng := rand.New(rand.NewPCG(31, 32))
	reqs, _ := syntheticRequests(n, rng)
	emb, _ := embed.NewLocal(embed.LocalConfig{})
	ex, bin := vector.NewExact(emb.Dim()), vector.NewBinary(emb.Dim(), 0)
	for i, r := range reqs {
		v := emb.EmbedOne(r)
		ex.Add(uint64(i), v)
		bin.Add(uint64(i), v)
	}
	agree, total := 0, 300
	for q := 0; q < total; q++ {
		ws := strings.Fields(reqs[rng.IntN(n)])
		ws[rng.IntN(len(ws)-2)] = "zzzz" // one word replaced
		qv := emb.EmbedOne(strings.Join(ws, " "))
		if ex.Search(qv, 1)[0].ID == bin.Search(qv, 1)[0].ID {
			agree++
		}
	}
	t.Logf("binary agrees with exact on %d/%d one-word-edit queries at %d entries", agree, total, n)
	if agree < total*99/100 {
		t.Errorf("binary top-1 agrees with exact on only %d/%d queries", agree, total)
	}
}
