package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
)

// syncBuffer is a bytes.Buffer safe to write from the command and read from the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var baseURLLine = regexp.MustCompile(`OPENAI_BASE_URL=(\S+)`)

// TestSimCommand starts `planwise sim` in process on a free loopback port and talks to it
// with the official SDK: the labelled answer, the pattern-planner fallback, a per-model
// fault, then a clean shutdown.
func TestSimCommand(t *testing.T) {
	gold := filepath.Join(t.TempDir(), "gold.jsonl")
	line := `{"request": "What time is it in Tokyo?", "plan": {"goal": "time", "steps": [{"id": "s1", "tool": "current_time", "args": {"timezone": "Asia/Tokyo"}}]}}` + "\n"
	if err := os.WriteFile(gold, []byte(line), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errOut syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"sim", "--addr", "127.0.0.1:0", "--gold", gold, "--latency-scale", "0", "--fault", "gpt-4o-mini:503=1", "--fault-script", "gpt-4o:none,429"}, &out, &errOut)
	}()
	var base string
	deadline := time.Now().Add(10 * time.Second)
	for base == "" {
		if m := baseURLLine.FindStringSubmatch(out.String()); m != nil {
			base = m[1]
			break
		}
		select {
		case code := <-done:
			t.Fatalf("planwise sim exited with %d: %s", code, errOut.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("planwise sim printed no base URL: %q %q", out.String(), errOut.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	if !strings.Contains(out.String(), "TEST DOUBLE") {
		t.Errorf("the banner does not say it is a test double: %q", out.String())
	}
	client := openai.NewClient(option.WithBaseURL(base), option.WithAPIKey("x"), option.WithMaxRetries(0))
	ask := func(model, request string) (string, error) {
		resp, err := client.Chat.Completions.New(ctx, openai.ChatCompletionNewParams{
			Model:    model,
			Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Plan this request:\n<request>\n" + request + "\n</request>")},
		})
		if err != nil {
			return "", err
		}
		return resp.Choices[0].Message.Content, nil
	}
	got, err := ask("gpt-4o", "what time is it in tokyo")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got, `"timezone":"Asia/Tokyo"`) {
		t.Errorf("gold answer: %s", got)
	}
	_, err = ask("gpt-4o", "calculate 12 * 7")
	var scripted *openai.Error
	if !errors.As(err, &scripted) || scripted.StatusCode != 429 {
		t.Fatalf("second gpt-4o request: want the scripted 429, got %v", err)
	}
	got, err = ask("gpt-4o", "calculate 12 * 7")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got, `"tool":"calculate"`) {
		t.Errorf("the offline pattern planner should answer an unlabelled request: %s", got)
	}
	_, err = ask("gpt-4o-mini", "what time is it in tokyo")
	var apiErr *openai.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 {
		t.Errorf("gpt-4o-mini: want the configured 503, got %v", err)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("exit %d after interrupt: %s", code, errOut.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("planwise sim did not stop after its context ended")
	}
}

func TestSimCommandRejectsBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"sim", "--addr", "127.0.0.1:0", "--fault", "teapot=0.5"},
		{"sim", "--addr", "127.0.0.1:0", "--gold", filepath.Join(t.TempDir(), "missing.jsonl")},
		{"sim", "--addr", "127.0.0.1:0", "--latency-scale", "-1"},
		{"sim", "--addr", "127.0.0.1:0", "--fault-script", "m:teapot"},
	} {
		code, _, stderr := runCLI(t, args...)
		if code == 0 || stderr == "" {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
		}
	}
}
