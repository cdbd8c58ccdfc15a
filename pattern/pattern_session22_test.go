package pattern

import (
	"testing"

	"github.com/planwise/planwise/tool"
)

// TestShortFormReachesTheFullWord: "Delete the Apdex config for d0404" deleted an SLI
// configuration: the tool whose name says "config" ranked above the one named for the
// Apdex configuration, because "config" and "configuration" were different words. The
// short forms API authors write ("config", "info", "repo", "env", "stats") read as the
// full words.
func TestShortFormReachesTheFullWord(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("sli_settings.delete_sli_config", "Deletes a Service Level Indicator (SLI) configuration using the specified identifier.",
			`{"type":"object","properties":{"id":{"type":"string","description":"The identifier of the SLI configuration to delete."}},"required":["id"]}`),
		testTool("delete_apdex_configuration", "Deletes the specified Apdex configuration by its unique identifier.",
			`{"type":"object","properties":{"id":{"type":"string","description":"The identifier of the Apdex configuration to delete."}},"required":["id"]}`),
		testTool("repos.get_repository_info", "Get the details of a code repository: its default branch, visibility and size.",
			`{"type":"object","properties":{"name":{"type":"string","description":"The repository's name, e.g. 'planwise'"}},"required":["name"]}`),
		testTool("repos.get_branch", "Get a branch of a code repository.",
			`{"type":"object","properties":{"repository":{"type":"string"},"branch":{"type":"string"}},"required":["repository","branch"]}`))...)
	wantCalls(t, p, map[string]string{
		`Delete the Apdex config for "d0404"`:  "delete_apdex_configuration(id=d0404)",
		`delete the SLI config "s-17"`:         "sli_settings.delete_sli_config(id=s-17)",
		`show me the repo info for 'planwise'`: "repos.get_repository_info(name=planwise)",
	}, "id", "name")
}
