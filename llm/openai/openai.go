// Package openai is the llm.Provider for OpenAI-compatible endpoints (OpenAI, Azure
// OpenAI, Ollama, vLLM, llama.cpp server, planwise sim), built on the official SDK
// github.com/openai/openai-go/v3.
//
// The SDK is transport only: no SDK type crosses this package's API, the SDK's own
// retries are off (the llm.Client owns the one retry loop), and every failure comes back
// as *llm.Error with its type, HTTP status and Retry-After. Chat completions carry
// response_format {type: json_schema, json_schema: {name, schema, strict}} when the
// request has a Format.
//
// Configuration is explicit: Config wins, then OPENAI_BASE_URL and OPENAI_API_KEY, then
// https://api.openai.com/v1. No other environment variable is read, so a provider
// behaves the same on every machine. The API key is optional for local servers (no
// Authorization header is sent without one) and required for api.openai.com and Azure.
// No OpenAI-only header is required by the server.
//
// With Config.AzureAPIVersion set, BaseURL is the Azure resource endpoint
// (https://NAME.openai.azure.com), Request.Model is the deployment name, requests go to
// /openai/deployments/{deployment}/... with ?api-version= and the key travels in the
// api-key header. Azure's newer v1 API is OpenAI-compatible: leave AzureAPIVersion empty
// and set BaseURL to https://NAME.openai.azure.com/openai/v1 instead.
//
// A Provider is safe for concurrent use and holds no goroutines; the HTTP client's idle
// connections are its only resources (CloseIdleConnections on the client releases them).
package openai

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	sdk "github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/shared"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/planwise/planwise/llm"
)

// DefaultBaseURL is OpenAI's API.
const DefaultBaseURL = "https://api.openai.com/v1"

// DefaultEmbedBatchSize is how many inputs one embeddings request carries. OpenAI
// accepts up to 2,048; smaller batches keep each request well under its token limit and
// suit local servers.
const DefaultEmbedBatchSize = 256

// MaxEmbedBatchSize is the most inputs the embeddings API accepts in one request.
const MaxEmbedBatchSize = 2048

// Config configures a Provider. The zero value talks to OPENAI_BASE_URL (or OpenAI)
// with OPENAI_API_KEY.
type Config struct {
	// BaseURL is the API root, e.g. https://api.openai.com/v1 or http://localhost:11434/v1.
	// Empty: OPENAI_BASE_URL, then DefaultBaseURL.
	BaseURL string
	// APIKey is sent as a bearer token (Azure: the api-key header). Empty:
	// OPENAI_API_KEY; empty again is allowed for local servers only.
	APIKey string
	// Organization, when set, is sent as OpenAI-Organization.
	Organization string
	// HTTPClient carries the requests. Nil: a client on a clone of
	// http.DefaultTransport that keeps up to 64 idle connections per host, so
	// concurrent planner calls reuse connections instead of redialling.
	HTTPClient *http.Client
	// AzureAPIVersion, when set, switches to Azure OpenAI deployments (see the package
	// documentation), e.g. "2024-10-21".
	AzureAPIVersion string
	// EmbedBatchSize bounds the inputs per embeddings request. Default 256, at most
	// MaxEmbedBatchSize.
	EmbedBatchSize int
	// EmbedDimensions, when positive, asks for shortened vectors (text-embedding-3
	// models accept "dimensions"); 0 leaves the model's native size.
	EmbedDimensions int
	// TracerProvider, when set, traces every HTTP call to the provider (an HTTP client
	// span under the caller's span, e.g. the planner's "chat MODEL") and sends the W3C
	// traceparent with it, so that a provider or gateway that traces joins the caller's
	// trace. Nil: no spans, no trace headers.
	TracerProvider trace.TracerProvider
	// EstimateMissingUsage counts tokens locally (llm.CountMessages, llm.CountTokens)
	// when a server omits usage, as some llama.cpp and vLLM builds do, so that token
	// metrics are not silently zero. It costs about 3 µs of CPU per token, only on such
	// responses.
	EstimateMissingUsage bool
}

// Provider calls an OpenAI-compatible API. Create it with New.
type Provider struct {
	name       string
	baseURL    string // with a trailing slash
	azure      bool
	chat       sdk.ChatCompletionService
	embeddings sdk.EmbeddingService
	batch      int
	dims       int
	estimate   bool
}

// ConfigError reports an unusable Config, naming the field and the fix.
type ConfigError struct {
	Field, Problem string
}

func (e *ConfigError) Error() string { return "llm/openai: config " + e.Field + ": " + e.Problem }

// New returns a Provider for cfg. It makes no network call.
func New(cfg Config) (*Provider, error) {
	base := cfg.BaseURL
	if base == "" {
		base = os.Getenv("OPENAI_BASE_URL")
	}
	if base == "" {
		base = DefaultBaseURL
	}
	key := cfg.APIKey
	if key == "" {
		key = os.Getenv("OPENAI_API_KEY")
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, &ConfigError{Field: "BaseURL", Problem: fmt.Sprintf("%q is not an http(s) URL; set it (or OPENAI_BASE_URL) to the API root, e.g. http://localhost:11434/v1", base)}
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return nil, &ConfigError{Field: "BaseURL", Problem: "must not carry credentials, a query or a fragment; pass the key in APIKey"}
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	p := &Provider{name: "openai", batch: cfg.EmbedBatchSize, dims: cfg.EmbedDimensions, estimate: cfg.EstimateMissingUsage}
	if p.batch <= 0 {
		p.batch = DefaultEmbedBatchSize
	}
	if p.batch > MaxEmbedBatchSize {
		return nil, &ConfigError{Field: "EmbedBatchSize", Problem: fmt.Sprintf("%d exceeds the API's limit of %d inputs per request", p.batch, MaxEmbedBatchSize)}
	}
	if cfg.AzureAPIVersion != "" {
		p.name, p.azure = "azure", true
		u.Path += "openai/"
	}
	p.baseURL = u.String()
	if key == "" && (p.azure || strings.EqualFold(u.Hostname(), "api.openai.com")) {
		return nil, &ConfigError{Field: "APIKey", Problem: "required for " + u.Host + "; set it or OPENAI_API_KEY"}
	}

	hc := cfg.HTTPClient
	if hc == nil {
		hc = defaultHTTPClient()
	}
	if cfg.TracerProvider != nil {
		traced := *hc
		traced.Transport = otelhttp.NewTransport(hc.Transport,
			otelhttp.WithTracerProvider(cfg.TracerProvider),
			otelhttp.WithMeterProvider(noop.NewMeterProvider()),
			otelhttp.WithPropagators(propagation.TraceContext{}))
		hc = &traced
	}
	opts := []option.RequestOption{
		option.WithHTTPClient(hc),
		option.WithBaseURL(p.baseURL),
		option.WithMaxRetries(0), // the llm.Client owns retries
	}
	switch {
	case p.azure:
		opts = append(opts, option.WithQuery("api-version", cfg.AzureAPIVersion), option.WithHeader("api-key", key))
	case key != "":
		opts = append(opts, option.WithAPIKey(key))
	}
	if cfg.Organization != "" {
		opts = append(opts, option.WithOrganization(cfg.Organization))
	}
	p.chat = sdk.NewChatCompletionService(opts...)
	p.embeddings = sdk.NewEmbeddingService(opts...)
	return p, nil
}

func defaultHTTPClient() *http.Client {
	t, ok := http.DefaultTransport.(*http.Transport)
	if !ok {
		return &http.Client{Transport: http.DefaultTransport}
	}
	t = t.Clone()
	t.MaxIdleConns = 256
	t.MaxIdleConnsPerHost = 64
	return &http.Client{Transport: t}
}

// ProviderName returns "openai", or "azure" for Azure deployments.
func (p *Provider) ProviderName() string { return p.name }

// Complete sends one chat completion. It never retries. Errors are *llm.Error:
// HTTP statuses as llm.TypeForStatus says, with Retry-After (or retry-after-ms) parsed;
// a body that is not the promised JSON is a ParseError wrapping llm.ErrMalformedResponse;
// finish_reason "length" a ParseError wrapping llm.ErrTruncated; a refusal or a
// content-filter stop a ParseError wrapping llm.ErrRefused; no choices or no content a
// ParseError wrapping llm.ErrEmptyResponse. The latter carry the usage the call billed.
func (p *Provider) Complete(ctx context.Context, req llm.Request) (*llm.Response, error) {
	params, err := chatParams(req)
	if err != nil {
		return nil, &llm.Error{Type: llm.BadRequestError, Provider: p.name, Model: req.Model, Err: err}
	}
	var httpResp *http.Response
	opts := append(p.callOptions(req.Model, req.Headers), option.WithResponseInto(&httpResp))

	start := time.Now()
	completion, err := p.chat.New(ctx, params, opts...)
	latency := time.Since(start)
	if err != nil {
		return nil, p.mapError(ctx, req.Model, httpResp, err)
	}

	usage := llm.Usage{PromptTokens: int(completion.Usage.PromptTokens), CompletionTokens: int(completion.Usage.CompletionTokens)}
	if p.estimate && !completion.JSON.Usage.Valid() {
		usage.PromptTokens = llm.CountMessages(req.Model, req.Messages)
		if len(completion.Choices) > 0 {
			usage.CompletionTokens = llm.CountTokens(req.Model, completion.Choices[0].Message.Content)
		}
	}
	fail := func(cause error) error {
		e := &llm.Error{Type: llm.ParseError, Provider: p.name, Model: req.Model, Usage: usage, Err: cause}
		if httpResp != nil {
			e.Status = httpResp.StatusCode
		}
		return e
	}
	if len(completion.Choices) == 0 {
		return nil, fail(fmt.Errorf("%w: no choices", llm.ErrEmptyResponse))
	}
	choice := completion.Choices[0]
	switch {
	case choice.Message.Refusal != "":
		return nil, fail(fmt.Errorf("%w: %s", llm.ErrRefused, truncate(choice.Message.Refusal, 300)))
	case choice.FinishReason == "length":
		return nil, fail(fmt.Errorf("%w: stopped after %d completion tokens", llm.ErrTruncated, usage.CompletionTokens))
	case choice.FinishReason == "content_filter":
		return nil, fail(fmt.Errorf("%w: stopped by the content filter", llm.ErrRefused))
	case strings.TrimSpace(choice.Message.Content) == "":
		return nil, fail(fmt.Errorf("%w: no content (finish_reason %q)", llm.ErrEmptyResponse, choice.FinishReason))
	}
	model := completion.Model
	if model == "" {
		model = req.Model
	}
	return &llm.Response{
		Content:      choice.Message.Content,
		Model:        model,
		ID:           completion.ID,
		Usage:        usage,
		FinishReason: choice.FinishReason,
		Latency:      latency,
	}, nil
}

// chatParams translates a Request into the SDK's parameters.
func chatParams(req llm.Request) (sdk.ChatCompletionNewParams, error) {
	if req.Model == "" {
		return sdk.ChatCompletionNewParams{}, errors.New("request has no model")
	}
	if len(req.Messages) == 0 {
		return sdk.ChatCompletionNewParams{}, errors.New("request has no messages")
	}
	msgs := make([]sdk.ChatCompletionMessageParamUnion, 0, len(req.Messages))
	for i, m := range req.Messages {
		switch m.Role {
		case llm.RoleSystem:
			msgs = append(msgs, sdk.SystemMessage(m.Content))
		case llm.RoleUser:
			msgs = append(msgs, sdk.UserMessage(m.Content))
		case llm.RoleAssistant:
			msgs = append(msgs, sdk.AssistantMessage(m.Content))
		case "developer":
			msgs = append(msgs, sdk.DeveloperMessage(m.Content))
		default:
			return sdk.ChatCompletionNewParams{}, fmt.Errorf("message %d: unknown role %q (want system, user or assistant)", i, m.Role)
		}
	}
	params := sdk.ChatCompletionNewParams{Model: shared.ChatModel(req.Model), Messages: msgs}
	if req.MaxTokens > 0 {
		// Reasoning models accept only max_completion_tokens; older OpenAI-compatible
		// servers (llama.cpp, Ollama) know only max_tokens, which OpenAI still honours
		// for chat models.
		if reasoningModel(req.Model) {
			params.MaxCompletionTokens = sdk.Int(int64(req.MaxTokens))
		} else {
			params.MaxTokens = sdk.Int(int64(req.MaxTokens))
		}
	}
	if req.Temperature != nil {
		params.Temperature = sdk.Float(*req.Temperature)
	}
	if req.Seed != nil {
		params.Seed = sdk.Int(*req.Seed)
	}
	if f := req.Format; f != nil {
		if !json.Valid(f.Schema) {
			return sdk.ChatCompletionNewParams{}, errors.New("response format schema is not valid JSON")
		}
		name := f.Name
		if name == "" {
			name = "response"
		}
		params.ResponseFormat = sdk.ChatCompletionNewParamsResponseFormatUnion{
			OfJSONSchema: &shared.ResponseFormatJSONSchemaParam{
				JSONSchema: shared.ResponseFormatJSONSchemaJSONSchemaParam{
					Name:   name,
					Schema: f.Schema,
					Strict: sdk.Bool(f.Strict),
				},
			},
		}
	}
	return params, nil
}

// reasoningModel reports whether model is an OpenAI reasoning model (o1, o3, o4, gpt-5
// families), which rejects max_tokens.
func reasoningModel(model string) bool {
	m := strings.ToLower(model)
	if i := strings.LastIndexByte(m, '/'); i >= 0 {
		m = m[i+1:]
	}
	for _, p := range []string{"o1", "o3", "o4", "gpt-5"} {
		if m == p || strings.HasPrefix(m, p+"-") {
			return true
		}
	}
	return false
}

// callOptions are the per-request options: extra headers and, for Azure, the
// deployment path.
func (p *Provider) callOptions(model string, headers map[string]string) []option.RequestOption {
	opts := make([]option.RequestOption, 0, len(headers)+2)
	for k, v := range headers {
		opts = append(opts, option.WithHeader(k, v))
	}
	if p.azure {
		opts = append(opts, option.WithBaseURL(p.baseURL+"deployments/"+url.PathEscape(model)+"/"))
	}
	return opts
}

// mapError classifies a failed SDK call. httpResp is the last HTTP response, if any: it
// keeps the status even when the SDK could not decode an error body (an HTML 502 from a
// proxy, say).
func (p *Provider) mapError(ctx context.Context, model string, httpResp *http.Response, err error) *llm.Error {
	e := &llm.Error{Provider: p.name, Model: model, Err: err}
	if ctxErr := ctx.Err(); ctxErr != nil {
		e.Type = llm.Classify(ctxErr)
		if !errors.Is(err, ctxErr) {
			e.Err = fmt.Errorf("%w: %w", ctxErr, err)
		}
		return e
	}
	if apiErr, ok := errors.AsType[*sdk.Error](err); ok {
		e.Status = apiErr.StatusCode
		e.Type = llm.TypeForStatus(apiErr.StatusCode)
		if apiErr.StatusCode == http.StatusForbidden && apiErr.Code == "model_not_found" {
			// "Project ... does not have access to model ...": the model is refused, not
			// the key; another model may be allowed (see llm.ProviderWide).
			e.Type = llm.BadRequestError
		}
		if apiErr.Response != nil {
			e.RetryAfter = llm.ParseRetryAfter(apiErr.Response.Header, time.Now())
		}
		// The server's message says what is wrong (unknown model, bad schema); the SDK's
		// Error() only gives the status. 401 messages may echo part of the key: skip them.
		if msg := apiErr.Message; msg != "" && e.Type != llm.AuthError {
			e.Err = fmt.Errorf("%w: %s", apiErr, truncate(msg, 300))
		}
		return e
	}
	if httpResp != nil {
		e.Status = httpResp.StatusCode
		if httpResp.StatusCode >= 400 {
			e.Type = llm.TypeForStatus(httpResp.StatusCode)
			e.RetryAfter = llm.ParseRetryAfter(httpResp.Header, time.Now())
			e.Err = fmt.Errorf("HTTP %d", httpResp.StatusCode)
			if msg := errorMessage(httpResp); msg != "" && e.Type != llm.AuthError {
				e.Err = fmt.Errorf("HTTP %d: %s", httpResp.StatusCode, msg)
			}
			return e
		}
		// A 2xx whose body could not be read (connection lost) or decoded.
		if _, ok := errors.AsType[net.Error](err); ok {
			e.Type = llm.Classify(err)
			return e
		}
		e.Type = llm.ParseError
		e.Err = fmt.Errorf("%w: %w", llm.ErrMalformedResponse, err)
		return e
	}
	e.Type = llm.Classify(err)
	return e
}

// errorMessage extracts what a server said in an error body the SDK could not decode:
// {"error": "text"} (Ollama, llama.cpp), {"error": {"message": "text"}}, or the start of
// a plain-text body. The SDK leaves the body readable for this.
func errorMessage(resp *http.Response) string {
	if resp.Body == nil {
		return ""
	}
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if err != nil || len(raw) == 0 {
		return ""
	}
	var body struct {
		Error json.RawMessage `json:"error"`
	}
	if json.Unmarshal(raw, &body) == nil && len(body.Error) > 0 {
		var text string
		if json.Unmarshal(body.Error, &text) == nil {
			return truncate(text, 300)
		}
		var obj struct {
			Message string `json:"message"`
		}
		if json.Unmarshal(body.Error, &obj) == nil && obj.Message != "" {
			return truncate(obj.Message, 300)
		}
	}
	if ct := resp.Header.Get("Content-Type"); strings.HasPrefix(ct, "text/plain") {
		return truncate(strings.TrimSpace(string(raw)), 300)
	}
	return ""
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && s[cut]&0xC0 == 0x80 { // do not split a UTF-8 sequence
		cut--
	}
	return s[:cut] + "…"
}
