package sim

import (
	"math"
	"strings"
	"sync"
	"unicode"

	"github.com/tiktoken-go/tokenizer"
)

// hashSeed fixes the feature hash so that vectors are identical across runs and hosts.
const hashSeed uint64 = 0x9e3779b97f4a7c15

// Embed returns the simulator's deterministic embedding of text: feature hashing of word
// unigrams (weight 1), word bigrams (0.5) and character trigrams of each word (0.5) into
// dims buckets with a sign bit, L2-normalised. Texts that share words and spellings are
// close; unrelated texts are near-orthogonal. An empty text gives the zero vector.
func Embed(text string, dims int) []float32 {
	v := make([]float64, dims)
	add := func(feature string, w float64) {
		h := fnv1a(feature)
		i := int(h % uint64(dims))
		if h>>63 == 1 {
			w = -w
		}
		v[i] += w
	}
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '#'
	})
	for i, w := range words {
		add("w:"+w, 1)
		if i > 0 {
			add("b:"+words[i-1]+" "+w, 0.5)
		}
		padded := []rune("<" + w + ">")
		for j := 0; j+3 <= len(padded); j++ {
			add("c:"+string(padded[j:j+3]), 0.5)
		}
	}
	var norm float64
	for _, x := range v {
		norm += x * x
	}
	out := make([]float32, dims)
	if norm == 0 {
		return out
	}
	norm = math.Sqrt(norm)
	for i, x := range v {
		out[i] = float32(x / norm)
	}
	return out
}

func fnv1a(s string) uint64 {
	h := uint64(14695981039346656037) ^ hashSeed
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	// Final avalanche so that the top (sign) bit depends on every input byte.
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	return h
}

// tokenCounter counts tokens with the BPE codec of a model family. Building a codec
// parses its vocabulary (tens of milliseconds), so each is built once per Server.
type tokenCounter struct {
	o200k  func() tokenizer.Codec
	cl100k func() tokenizer.Codec

	// Long texts (system prompts, response schemas) repeat across requests; their counts
	// are remembered by a 64-bit hash of codec and text, in a bounded map.
	mu    sync.Mutex
	cache map[uint64]int
}

const (
	cacheMinLen  = 256
	cacheEntries = 4096
)

func newTokenCounter() *tokenCounter {
	build := func(enc tokenizer.Encoding) func() tokenizer.Codec {
		return sync.OnceValue(func() tokenizer.Codec {
			c, err := tokenizer.Get(enc)
			if err != nil {
				// Both encodings are compiled into the module; this is a build defect.
				panic("sim: tokenizer " + string(enc) + " unavailable: " + err.Error())
			}
			c.SetErrorMode(tokenizer.ErrorModeReplace)
			return c
		})
	}
	return &tokenCounter{o200k: build(tokenizer.O200kBase), cl100k: build(tokenizer.Cl100kBase), cache: map[uint64]int{}}
}

// codec picks o200k_base for the gpt-4o, gpt-4.1, gpt-5 and o-series families and
// cl100k_base otherwise (gpt-4, gpt-3.5, embeddings, unknown models).
func (t *tokenCounter) codec(model string) tokenizer.Codec {
	m := strings.ToLower(model)
	if i := strings.LastIndexByte(m, '/'); i >= 0 {
		m = m[i+1:]
	}
	for _, p := range []string{"gpt-4o", "chatgpt-4o", "gpt-4.1", "gpt-4.5", "gpt-5", "o1", "o3", "o4"} {
		if strings.HasPrefix(m, p) {
			return t.o200k()
		}
	}
	return t.cl100k()
}

func (t *tokenCounter) count(model, text string) int {
	if text == "" {
		return 0
	}
	c := t.codec(model)
	var key uint64
	if len(text) >= cacheMinLen {
		key = fnv1a(c.GetName() + "\x00" + text)
		t.mu.Lock()
		n, ok := t.cache[key]
		t.mu.Unlock()
		if ok {
			return n
		}
	}
	n, err := c.Count(text)
	if err != nil {
		// ErrorModeReplace makes the codec total; estimate rather than fail a response.
		n = len(text) / 4
	}
	if key != 0 {
		t.mu.Lock()
		if len(t.cache) >= cacheEntries {
			clear(t.cache)
		}
		t.cache[key] = n
		t.mu.Unlock()
	}
	return n
}

// truncate keeps the first n tokens of text.
func (t *tokenCounter) truncate(model, text string, n int) string {
	c := t.codec(model)
	ids, _, err := c.Encode(text)
	if err != nil || len(ids) <= n {
		return text
	}
	out, err := c.Decode(ids[:n])
	if err != nil {
		return text[:len(text)/2]
	}
	return out
}
