package tool_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/planwise/planwise/tool"
)

// ImportFile writes the converted catalog and reports what it wrote, in JSON and in one
// line; a failed import writes nothing.
func TestImportFile(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join("testdata", "taskbench_small.json")
	out := filepath.Join(dir, "imported.yaml")
	rep, err := tool.ImportFile(src, tool.FormatAuto, out)
	if err != nil {
		t.Fatal(err)
	}
	imp, err := tool.Import(src, tool.FormatAuto)
	if err != nil {
		t.Fatal(err)
	}
	if written, err := os.ReadFile(out); err != nil || string(written) != string(imp.YAML) {
		t.Errorf("written %q, %v; want Import's YAML", written, err)
	}
	want := tool.ImportReport{File: src, Format: "taskbench", Output: out, Tools: 3, Version: imp.Registry.Version()}
	if *rep != want {
		t.Errorf("report %+v, want %+v", *rep, want)
	}
	b, _ := json.Marshal(rep)
	if !strings.HasPrefix(string(b), `{"file":"`+src+`","format":"taskbench","output":"`) || !strings.Contains(string(b), `"tools":3,"version":"`) {
		t.Errorf("JSON %s", b)
	}
	var text strings.Builder
	if err := rep.WriteText(&text); err != nil || text.String() != "imported 3 tools from "+src+" (taskbench) into "+out+"; registry version "+want.Version+"\n" {
		t.Errorf("text %q, %v", text.String(), err)
	}
	other := filepath.Join(dir, "other.yaml")
	if _, err := tool.ImportFile(src, tool.FormatOpenAI, other); err == nil {
		t.Error("a wrong format imported")
	}
	if _, err := os.Stat(other); !os.IsNotExist(err) {
		t.Errorf("a failed import left %s behind", other)
	}
}
