package tool_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/planwise/planwise/execute"
	"github.com/planwise/planwise/planner"
	"github.com/planwise/planwise/tool"
)

// A planwise tool file in YAML; TaskBench, NESTFUL and OpenAI catalogs load the same way
// (LoadPath detects the format from the content).
func ExampleParse() {
	doc := []byte(`
name: send_email
description: Send an email to one recipient.
input_schema:
  type: object
  properties:
    to: {type: string, format: email, description: Recipient address}
    subject: {type: string}
    body: {type: string}
  required: [to, body]
examples:
  - request: email bob@example.com the report
    args: {to: bob@example.com}
run: {kind: http, http: {method: POST, url: "https://mail.example.com/send"}}
`)
	tools, err := tool.Parse(doc, "mail.yaml", tool.FormatAuto)
	if err != nil {
		fmt.Println(err)
		return
	}
	reg, err := tool.NewRegistry(append(tool.Builtins(), tools...)...)
	if err != nil {
		fmt.Println(err)
		return
	}
	t, _ := reg.Get("send_email")
	fmt.Println(t.Name, t.RunKind(), t.Source)
	for _, p := range t.Params() {
		fmt.Printf("  %s %s required=%v\n", p.Name, p.Type, p.Required)
	}
	// Output:
	// send_email http mail.yaml
	//   to string required=true
	//   subject string required=false
	//   body string required=true
}

// Malformed files are reported with the file, the tool, the field and a fix.
func ExampleParse_errors() {
	_, err := tool.Parse([]byte("name: notify\ndescripton: Push a notification.\n"), "notify.yaml", tool.FormatAuto)
	fmt.Println(err)
	// Output:
	// notify.yaml: tool "notify": descripton: unknown field (fix: did you mean "description"? remove it or correct its spelling; a tool's fields are name, description, input_schema (or parameters, or MCP's inputSchema), output_schema (or outputSchema), examples, run, idempotent; run's are kind, builtin, http, mcp, output)
}

// Import a TaskBench catalog and write it out as an editable planwise YAML file.
func ExampleWriteYAML() {
	catalog := []byte(`{"nodes": [{"id": "Image Captioning", "desc": "Describe an image.",
		"input-type": ["image"], "output-type": ["text"]}]}`)
	tools, err := tool.Parse(catalog, "tool_desc.json", tool.FormatTaskBench)
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := tool.WriteYAML(os.Stdout, tools, "imported from tool_desc.json"); err != nil {
		fmt.Println(err)
	}
	// Output:
	// # imported from tool_desc.json
	// tools:
	//   - name: Image_Captioning
	//     description: Describe an image. (TaskBench tool "Image Captioning".)
	//     input_schema:
	//       type: object
	//       properties:
	//         image:
	//           type: string
	//           description: "Input 1: an image, as a file name, path or URL (e.g. example.jpg)."
	//       required:
	//         - image
	//       additionalProperties: false
	//     output_schema:
	//       type: object
	//       properties:
	//         text:
	//           type: string
	//           description: "Output: text."
	//       required:
	//         - text
	//     run:
	//       kind: simulated
}

// A tool implemented by a Go function: its input schema comes from the struct, and the
// executor calls the function for real. planwise plans over it like any other tool.
func ExampleFunc() {
	type forecastIn struct {
		City string `json:"city" jsonschema:"the city, e.g. Oslo"`
		Date string `json:"date" jsonschema:"the day, YYYY-MM-DD"`
	}
	type forecastOut struct {
		Summary      string  `json:"summary"`
		TemperatureC float64 `json:"temperature_c"`
	}
	forecast, err := tool.Func("get_weather", "Get the weather forecast for a city on a date.",
		func(ctx context.Context, in forecastIn) (forecastOut, error) {
			return forecastOut{Summary: "light snow in " + in.City + " on " + in.Date, TemperatureC: -3}, nil
		})
	if err != nil {
		panic(err)
	}
	reg, err := tool.NewRegistry(forecast)
	if err != nil {
		panic(err)
	}
	// With no LLM configured the offline planners plan; with one, the LLM does.
	p, err := planner.New(reg)
	if err != nil {
		panic(err)
	}
	resp, err := p.Plan(context.Background(), planner.Request{Text: "What is the weather forecast for Oslo on 2026-12-10?"})
	if err != nil {
		panic(err)
	}
	ex := execute.New(reg)
	defer ex.Close()
	res := ex.Run(context.Background(), resp.Plan, execute.RunOptions{})
	fmt.Println(reg.Tools()[0].RunKind(), res.Status)
	for _, s := range res.Steps {
		out, _ := json.Marshal(s.Output)
		fmt.Printf("%s %s simulated=%v %s\n", s.Tool, s.Status, s.Simulated, out)
	}
	// Output:
	// go succeeded
	// get_weather succeeded simulated=false {"summary":"light snow in Oslo on 2026-12-10","temperature_c":-3}
}
