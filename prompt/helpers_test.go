package prompt_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/planwise/planwise/internal/shareddata"

	"github.com/planwise/planwise/tool"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./prompt -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (run go test ./prompt -update after checking the change)\n--- got:\n%s", name, got)
	}
}

func indentJSON(t *testing.T, raw []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := json.Indent(&b, raw, "", "  "); err != nil {
		t.Fatal(err)
	}
	b.WriteByte('\n')
	return b.Bytes()
}

func mustTool(name, desc, in, out string) *tool.Tool {
	t := &tool.Tool{Name: name, Description: desc, InputSchema: json.RawMessage(in)}
	if out != "" {
		t.OutputSchema = json.RawMessage(out)
	}
	return t
}

// smallRegistry exercises every translation: required and optional strings, formats,
// enums, bounded integers, booleans, arrays of strings and of objects, nested objects.
func smallRegistry(t testing.TB) *tool.Registry {
	t.Helper()
	reg, err := tool.NewRegistry(
		mustTool("get_weather", "Get the weather forecast for a city and a day.",
			`{"type":"object","properties":{
				"location":{"type":"string","description":"city name"},
				"date":{"type":"string","description":"day, e.g. 2026-12-01 or tomorrow"},
				"unit":{"type":"string","enum":["c","f"],"default":"c"}},
			  "required":["location"],"additionalProperties":false}`,
			`{"type":"object","properties":{"summary":{"type":"string"},"temperature_c":{"type":"number"},
			  "alerts":{"type":"array","items":{"type":"object","properties":{"title":{"type":"string"},"severity":{"type":"string"}}}}}}`),
		mustTool("send_email", "Send an email.",
			`{"type":"object","properties":{
				"to":{"type":"string","format":"email","description":"recipient address"},
				"subject":{"type":"string"},
				"body":{"type":"string"},
				"cc":{"type":"array","items":{"type":"string","format":"email"}},
				"priority":{"type":"integer","minimum":1,"maximum":5},
				"html":{"type":"boolean"}},
			  "required":["to","body"],"additionalProperties":false}`,
			`{"type":"object","properties":{"message_id":{"type":"string"}}}`),
		mustTool("notify", "Send a push notification to the user.",
			`{"type":"object","properties":{"text":{"type":"string"}},"required":["text"],"additionalProperties":false}`, ""),
		mustTool("search_web", "Search the web.",
			`{"type":"object","properties":{"query":{"type":"string"},"limit":{"type":"integer","minimum":1}},"required":["query"]}`,
			`{"type":"object","properties":{"count":{"type":"integer"},"results":{"type":"array","items":{"type":"object","properties":{"title":{"type":"string"},"url":{"type":"string"}}}}}}`),
		mustTool("schedule_meeting", "Schedule a meeting.",
			`{"type":"object","properties":{
				"title":{"type":"string"},
				"when":{"type":"object","properties":{"date":{"type":"string","format":"date"},"time":{"type":"string"}},"required":["date"]},
				"attendees":{"type":"array","items":{"type":"object","properties":{"name":{"type":"string"},"email":{"type":"string","format":"email"}},"required":["email"]}}},
			  "required":["title","when"]}`, ""),
		mustTool("ping", "Check that the service is up.", ``, ""),
	)
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

// sharedData returns ../shared/data/rel, or skips the test when it is absent.
func sharedData(t testing.TB, rel string) string { return shareddata.Shared(t, rel) }

// dailyLifeRegistry loads the TaskBench daily-life catalog with the tool package's
// importer.
func dailyLifeRegistry(t testing.TB) *tool.Registry {
	t.Helper()
	tools, err := tool.LoadPath(sharedData(t, "taskbench/dailylifeapis/tool_desc.json"))
	if err != nil {
		t.Fatal(err)
	}
	reg, err := tool.NewRegistry(tools...)
	if err != nil {
		t.Fatal(err)
	}
	return reg
}
