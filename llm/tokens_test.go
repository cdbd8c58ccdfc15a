package llm

import (
	"slices"
	"sync"
	"testing"
)

// Reference token ids published in OpenAI's tiktoken cookbook ("How to count tokens with
// tiktoken"): the same text encodes differently under o200k_base and cl100k_base, so
// these also prove which encoding a model gets.
func TestCodecForModelFamilies(t *testing.T) {
	const text = "tiktoken is great!"
	o200kIDs := []uint{83, 8251, 2488, 382, 2212, 0}
	cl100kIDs := []uint{83, 1609, 5963, 374, 2294, 0}
	tests := []struct {
		model string
		want  []uint
	}{
		{"gpt-4o", o200kIDs},
		{"gpt-4o-mini", o200kIDs},
		{"gpt-4o-mini-2024-07-18", o200kIDs},
		{"gpt-4.1-nano", o200kIDs},
		{"o1-mini", o200kIDs},
		{"openai/gpt-4o", o200kIDs},
		{"gpt-4", cl100kIDs},
		{"gpt-4-0613", cl100kIDs},
		{"gpt-3.5-turbo", cl100kIDs},
		{"text-embedding-3-small", cl100kIDs},
		{"llama3.1:8b", cl100kIDs},
		{"", cl100kIDs},
	}
	for _, tt := range tests {
		ids, _, err := codecFor(tt.model).Encode(text)
		if err != nil {
			t.Fatalf("%s: %v", tt.model, err)
		}
		if !slices.Equal(ids, tt.want) {
			t.Errorf("%s: ids %v, want %v", tt.model, ids, tt.want)
		}
		if n := CountTokens(tt.model, text); n != len(tt.want) {
			t.Errorf("CountTokens(%q) = %d, want %d", tt.model, n, len(tt.want))
		}
	}
}

func TestCountTokensEdgeCases(t *testing.T) {
	if n := CountTokens("gpt-4o", ""); n != 0 {
		t.Errorf("empty text: %d tokens", n)
	}
	// Invalid UTF-8 is counted as U+FFFD, like tiktoken's errors="replace", not dropped.
	if n := CountTokens("gpt-4o", "ok \xff\xfe"); n < 2 {
		t.Errorf("invalid UTF-8 counted as %d tokens", n)
	}
}

func TestCountMessages(t *testing.T) {
	// "hello world" is 2 tokens and "user"/"system" 1 token each in both encodings.
	msgs := []Message{
		{Role: RoleSystem, Content: "hello world"},
		{Role: RoleUser, Content: "hello world"},
	}
	// reply priming 3 + per message (3 + role 1 + content 2) * 2
	if got, want := CountMessages("gpt-4o-mini", msgs), 3+2*(3+1+2); got != want {
		t.Errorf("CountMessages = %d, want %d", got, want)
	}
	if got := CountMessages("gpt-4o-mini", nil); got != 0 {
		t.Errorf("no messages: %d", got)
	}
}

func TestCountTokensConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	errs := make(chan int, 16)
	for range 16 {
		wg.Go(func() {
			if n := CountTokens("gpt-4o", "tiktoken is great!"); n != 6 {
				errs <- n
			}
		})
	}
	wg.Wait()
	close(errs)
	for n := range errs {
		t.Errorf("concurrent count = %d, want 6", n)
	}
}

func BenchmarkCountTokens(b *testing.B) {
	text := "Check the weather in Paris tomorrow and, if it is below 5 degrees, email bob@example.com a summary."
	CountTokens("gpt-4o-mini", text)
	b.ReportAllocs()
	for b.Loop() {
		CountTokens("gpt-4o-mini", text)
	}
}
