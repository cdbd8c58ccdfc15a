package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/planwise/planwise/eval/execution"
)

func TestEvalRunDryRun(t *testing.T) {
	dir := t.TempDir()
	tools := `{"nodes":[
	 {"id":"book_restaurant","desc":"Book a specific restaurant for a specific date","parameters":[{"name":"date","type":"date","desc":"The date to book"},{"name":"name","type":"string","desc":"The restaurant name"}]},
	 {"id":"send_sms","desc":"Send an sms to a specific phone number","parameters":[{"name":"phone_number","type":"string","desc":"The phone number"},{"name":"content","type":"string","desc":"The content"}]}]}`
	reqs := `{"id":"2","user_request":"Book a table at Luigi's on 2026-12-24 and then text +1 555 123 4567 the confirmation"}
{"id":"1","user_request":"Book the restaurant Nobu for 2027-01-05"}
{"id":"3","user_request":"Compose a symphony in D minor"}
`
	if err := os.WriteFile(filepath.Join(dir, "tool_desc.json"), []byte(tools), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "user_requests.json"), []byte(reqs), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PLANWISE_STORE__DRIVER", "memory")
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"eval", "run", "--offline", "--json", "--taskbench", dir}, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	var rep execution.Report
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("%v: %s", err, out.String())
	}
	if rep.Requests != 3 || rep.Planned != 2 || rep.Succeeded != 2 || rep.PlanErrors["cannot_plan"] != 1 ||
		rep.ExecutionSuccessRate != 1 || rep.SimulatedSteps != rep.Steps || rep.Steps != 3 {
		t.Fatalf("report = %+v", rep)
	}
}
