package tool

import "encoding/json"

// Names of the built-in tools. They are stable: the executor implements exactly these,
// plans and caches refer to them, and a tool file may point at one with
// run: {kind: builtin, builtin: <name>}.
//
// Their contracts (input -> output; the schemas in Builtins are authoritative):
//
//	http_request    {method?: GET|POST|PUT|PATCH|DELETE|HEAD (default GET), url: string (http/https),
//	                 headers?: {string: string}, body?: string | object | array (non-strings are
//	                 sent as JSON with Content-Type application/json)}
//	             -> {status: integer, headers: {string: string} (canonical names, multiple
//	                 values joined with ", "), body: string, json?: any (the parsed body when it
//	                 is JSON)}
//	                The executor enforces its host allow-list and blocks private addresses.
//	json_extract    {json: any (a JSON document as text, or an already-decoded value such as
//	                 ${s1.json}), path: string}
//	             -> {value: any, found: boolean}
//	                path is dot-separated keys and array indexes, with an optional leading
//	                "$" or "$." and brackets accepted for indexes: "items.0.name",
//	                "$.items[0].name"; "" or "$" is the whole document. A path that does not
//	                exist gives found=false and value=null, not an error.
//	calculate       {expression: string} -> {result: number}
//	                Arithmetic over decimal numbers: + - * / % (remainder) ^ (power),
//	                parentheses, unary minus, and the functions abs, sqrt, round, floor, ceil,
//	                min, max. Division by zero is an error.
//	render_template {template: string, values?: object} -> {text: string}
//	                Go text/template syntax with values as the data: "Hi {{.name}}".
//	                Missing keys are an error (option missingkey=error).
//	current_time    {timezone?: string (IANA, default "UTC")}
//	             -> {iso: string (RFC 3339 in that zone), unix: integer (seconds),
//	                 timezone: string, date: string (YYYY-MM-DD), weekday: string}
//	convert_time    {time: string (RFC 3339, or YYYY-MM-DD for midnight UTC), timezone: string (IANA)}
//	             -> {iso: string, unix: integer, timezone: string}
//	add_duration    {time: string (RFC 3339, or YYYY-MM-DD), duration: string}
//	             -> {iso: string, unix: integer}
//	                duration is Go syntax ("90m", "-2h", "1h30m") or whole days with a "d"
//	                suffix ("3d", "-1d"); days keep the wall-clock time across DST changes.
const (
	BuiltinHTTPRequest    = "http_request"
	BuiltinJSONExtract    = "json_extract"
	BuiltinCalculate      = "calculate"
	BuiltinRenderTemplate = "render_template"
	BuiltinCurrentTime    = "current_time"
	BuiltinConvertTime    = "convert_time"
	BuiltinAddDuration    = "add_duration"
)

// BuiltinSource is the Source of every tool returned by Builtins.
const BuiltinSource = "builtin"

// Builtins returns the default catalog: the tools the executor runs in process (see the
// Builtin* constants for their contracts). Each call returns fresh values the caller may
// modify.
//
// Descriptions and example requests name no people, places or hosts: the pattern planner
// matches requests against this text, and "Paris" in a time zone example once drew
// "what's the weather in Paris" to current_time when a weather tool was loaded beside it.
func Builtins() []*Tool {
	return []*Tool{
		{
			Name: BuiltinHTTPRequest,
			Description: "Send an HTTP request to a URL (fetch a web page, call a REST API or webhook; methods get, post, put, patch, delete, head) " +
				"and return the response status, headers and body; a JSON body is also returned parsed.",
			InputSchema: raw(`{
				"type": "object",
				"properties": {
					"method": {"type": "string", "enum": ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"], "default": "GET",
						"description": "HTTP method."},
					"url": {"type": "string", "format": "uri", "pattern": "^[hH][tT][tT][pP][sS]?://",
						"description": "Absolute http or https URL to call."},
					"headers": {"type": "object", "additionalProperties": {"type": "string"},
						"description": "Request headers, e.g. {\"Authorization\": \"Bearer ...\"}."},
					"body": {"type": ["string", "object", "array"],
						"description": "Request body: text is sent as is, an object or array as JSON."}
				},
				"required": ["url"],
				"additionalProperties": false
			}`),
			OutputSchema: raw(`{
				"type": "object",
				"properties": {
					"status": {"type": "integer", "description": "HTTP status code."},
					"headers": {"type": "object", "additionalProperties": {"type": "string"}, "description": "Response headers."},
					"body": {"type": "string", "description": "Response body as text."},
					"json": {"description": "The body parsed as JSON, when it is JSON."}
				},
				"required": ["status", "headers", "body"]
			}`),
			Examples: []Example{
				{Request: "fetch the web page at the URL", Args: map[string]any{"url": "https://www.example.com/status"}},
				{Request: "call the REST API endpoint", Args: map[string]any{"method": "GET", "url": "https://api.example.com/v1/orders"}},
				{Request: "post the payload to the webhook",
					Args: map[string]any{"method": "POST", "url": "https://hooks.example.com/build", "body": map[string]any{"status": "done"}}},
			},
			Run:        &RunSpec{Kind: RunBuiltin, Builtin: BuiltinHTTPRequest},
			Idempotent: false,
			Source:     BuiltinSource,
		},
		{
			Name: BuiltinJSONExtract,
			Description: "Extract a value from a JSON document by path (keys and array indexes, " +
				"e.g. items.0.name), such as a field of an API response.",
			InputSchema: raw(`{
				"type": "object",
				"properties": {
					"json": {"description": "The JSON document: text, or a value from an earlier step such as ${s1.json}."},
					"path": {"type": "string", "description": "Dot-separated keys and array indexes, e.g. \"items.0.name\" or \"$.items[0].name\"; empty for the whole document."}
				},
				"required": ["json", "path"],
				"additionalProperties": false
			}`),
			OutputSchema: raw(`{
				"type": "object",
				"properties": {
					"value": {"description": "The value at the path (null when not found)."},
					"found": {"type": "boolean", "description": "Whether the path exists."}
				},
				"required": ["value", "found"]
			}`),
			Examples: []Example{
				{Request: "extract a field from the JSON response", Args: map[string]any{"path": "data.id"}},
				{Request: "get the first item's name out of the JSON document", Args: map[string]any{"path": "items.0.name"}},
			},
			Run:        &RunSpec{Kind: RunBuiltin, Builtin: BuiltinJSONExtract},
			Idempotent: true,
			Source:     BuiltinSource,
		},
		{
			Name:        BuiltinCalculate,
			Description: "Evaluate an arithmetic expression (+ - * / % ^, parentheses, abs, sqrt, round, floor, ceil, min, max) and return the number: compute, add, subtract, multiply, divide, percentages.",
			InputSchema: raw(`{
				"type": "object",
				"properties": {
					"expression": {"type": "string", "minLength": 1, "description": "Arithmetic expression, e.g. \"(12.5 + 7) * 3\" or \"sqrt(2) ^ 2\"."}
				},
				"required": ["expression"],
				"additionalProperties": false
			}`),
			OutputSchema: raw(`{
				"type": "object",
				"properties": {
					"result": {"type": "number", "description": "The value of the expression."}
				},
				"required": ["result"]
			}`),
			Examples: []Example{
				{Request: "what is 15% of 240", Args: map[string]any{"expression": "240 * 15 / 100"}},
				{Request: "calculate (12.5 + 7) * 3", Args: map[string]any{"expression": "(12.5 + 7) * 3"}},
				{Request: "multiply 42 by 19", Args: map[string]any{"expression": "42 * 19"}},
			},
			Run:        &RunSpec{Kind: RunBuiltin, Builtin: BuiltinCalculate},
			Idempotent: true,
			Source:     BuiltinSource,
		},
		{
			Name:        BuiltinRenderTemplate,
			Description: "Fill a text template (Go text/template syntax, e.g. \"Hello {{.name}}\") with values to compose a message, summary or report text.",
			InputSchema: raw(`{
				"type": "object",
				"properties": {
					"template": {"type": "string", "description": "Template text; {{.key}} inserts values.key."},
					"values": {"type": "object", "description": "Values the template refers to, e.g. {\"name\": \"...\"}."}
				},
				"required": ["template"],
				"additionalProperties": false
			}`),
			OutputSchema: raw(`{
				"type": "object",
				"properties": {
					"text": {"type": "string", "description": "The rendered text."}
				},
				"required": ["text"]
			}`),
			Examples: []Example{
				{Request: "fill in a message template with values", Args: map[string]any{"template": "Hello {{.name}}!", "values": map[string]any{"name": "Ada"}}},
				{Request: "format the text from a template", Args: map[string]any{"template": "It is {{.temperature}} degrees.", "values": map[string]any{"temperature": 21}}},
			},
			Run:        &RunSpec{Kind: RunBuiltin, Builtin: BuiltinRenderTemplate},
			Idempotent: true,
			Source:     BuiltinSource,
		},
		{
			Name:        BuiltinCurrentTime,
			Description: "Get the current date and time (now, today's date, the weekday) in a time zone.",
			InputSchema: raw(`{
				"type": "object",
				"properties": {
					"timezone": {"type": "string", "default": "UTC", "description": "IANA time zone name: \"UTC\" or \"Area/Location\"."}
				},
				"additionalProperties": false
			}`),
			OutputSchema: raw(`{
				"type": "object",
				"properties": {
					"iso": {"type": "string", "format": "date-time", "description": "Current time, RFC 3339 in the time zone."},
					"unix": {"type": "integer", "description": "Seconds since the Unix epoch."},
					"timezone": {"type": "string", "description": "The time zone used."},
					"date": {"type": "string", "format": "date", "description": "Today's date there, YYYY-MM-DD."},
					"weekday": {"type": "string", "description": "Day of the week there, e.g. Monday."}
				},
				"required": ["iso", "unix", "timezone", "date", "weekday"]
			}`),
			Examples: []Example{
				{Request: "what time is it now", Args: map[string]any{"timezone": "UTC"}},
				{Request: "what is today's date and weekday", Args: map[string]any{"timezone": "UTC"}},
			},
			Run:        &RunSpec{Kind: RunBuiltin, Builtin: BuiltinCurrentTime},
			Idempotent: true,
			Source:     BuiltinSource,
		},
		{
			Name:        BuiltinConvertTime,
			Description: "Convert a date and time to another time zone.",
			InputSchema: raw(`{
				"type": "object",
				"properties": {
					"time": {"type": "string", "description": "Time to convert, RFC 3339 (\"2026-03-01T15:00:00Z\") or a date YYYY-MM-DD."},
					"timezone": {"type": "string", "description": "Target IANA time zone name: \"UTC\" or \"Area/Location\"."}
				},
				"required": ["time", "timezone"],
				"additionalProperties": false
			}`),
			OutputSchema: raw(`{
				"type": "object",
				"properties": {
					"iso": {"type": "string", "format": "date-time", "description": "The same instant, RFC 3339 in the target zone."},
					"unix": {"type": "integer", "description": "Seconds since the Unix epoch."},
					"timezone": {"type": "string", "description": "The target time zone."}
				},
				"required": ["iso", "unix", "timezone"]
			}`),
			Examples: []Example{
				{Request: "convert the time to another time zone", Args: map[string]any{"time": "2026-03-01T15:00:00Z", "timezone": "Asia/Tokyo"}},
			},
			Run:        &RunSpec{Kind: RunBuiltin, Builtin: BuiltinConvertTime},
			Idempotent: true,
			Source:     BuiltinSource,
		},
		{
			Name:        BuiltinAddDuration,
			Description: "Add (or subtract) a duration to a date and time: the time in 3 days, 2 hours ago, a deadline 90 minutes from a time.",
			InputSchema: raw(`{
				"type": "object",
				"properties": {
					"time": {"type": "string", "description": "Start time, RFC 3339 or a date YYYY-MM-DD."},
					"duration": {"type": "string", "pattern": "^-?([0-9]+d|([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+)$",
						"description": "Duration to add: \"90m\", \"1h30m\", \"-2h\", or days such as \"3d\"."}
				},
				"required": ["time", "duration"],
				"additionalProperties": false
			}`),
			OutputSchema: raw(`{
				"type": "object",
				"properties": {
					"iso": {"type": "string", "format": "date-time", "description": "The resulting time, RFC 3339, in the start time's offset."},
					"unix": {"type": "integer", "description": "Seconds since the Unix epoch."}
				},
				"required": ["iso", "unix"]
			}`),
			Examples: []Example{
				{Request: "what will the date be in 3 days", Args: map[string]any{"duration": "3d"}},
				{Request: "add 90 minutes to 2026-03-01T15:00:00Z", Args: map[string]any{"time": "2026-03-01T15:00:00Z", "duration": "90m"}},
			},
			Run:        &RunSpec{Kind: RunBuiltin, Builtin: BuiltinAddDuration},
			Idempotent: true,
			Source:     BuiltinSource,
		},
	}
}

// raw compacts a schema literal written for readability.
func raw(s string) json.RawMessage {
	return compactJSON(json.RawMessage(s))
}
