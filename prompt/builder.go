package prompt

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strings"
	"text/template"

	"github.com/planwise/planwise/tool"
)

// Message is one chat message. The planner converts it to its provider's message type.
type Message struct {
	Role    string `json:"role"` // "system", "user" or "assistant"
	Content string `json:"content"`
}

// Roles.
const (
	RoleSystem    = "system"
	RoleUser      = "user"
	RoleAssistant = "assistant"
)

// Input is what one prompt is built from.
type Input struct {
	// Request is the user's natural-language request.
	Request string
	// Examples are dynamic few-shot examples (similar successful past requests). When
	// any of them validates against the registry they replace the curated examples.
	Examples []Example
	// Variant names the prompt variant ("" is VariantDefault).
	Variant string
	// Repair, when set, asks for a corrected plan (the one repair round).
	Repair *Repair
}

// Repair carries the previous answer and what was wrong with it.
type Repair struct {
	// Previous is the model's previous content, verbatim.
	Previous string
	// Err is the problem: a *plan.ValidationError (its Error() text is sent exactly) or
	// a *DecodeError.
	Err error
}

// Prompt is a rendered prompt.
type Prompt struct {
	Messages []Message
	// Version is a short hash of everything request-independent that shaped the prompt:
	// the variant's templates and name, the rendered system prompt (so the tool
	// documentation), the response schema, the registry version and the curated example
	// ids and content. Dynamic examples do not change it.
	Version string
	// Variant is the variant used.
	Variant string
	// Schema is the response schema the messages were written for.
	Schema *Schema
}

// ErrUnknownVariant is returned by Build for a variant the Builder does not know.
var ErrUnknownVariant = errors.New("unknown prompt variant")

// Option configures a Builder.
type Option func(*builderConfig)

type builderConfig struct {
	variants    []Variant
	sets        []ExampleSet
	setsGiven   bool
	maxExamples int
	schema      *Schema
}

// WithVariant registers an extra variant (or replaces a built-in one of the same name).
func WithVariant(v Variant) Option {
	return func(c *builderConfig) { c.variants = append(c.variants, v) }
}

// WithExampleSets replaces the curated example sets shipped in prompt/examples.
func WithExampleSets(sets ...ExampleSet) Option {
	return func(c *builderConfig) { c.sets = sets; c.setsGiven = true }
}

// WithMaxExamples bounds the few-shot examples per prompt (default 4; 0 disables them).
func WithMaxExamples(n int) Option {
	return func(c *builderConfig) { c.maxExamples = n }
}

// WithSchema makes the Builder write for a given compiled schema instead of
// CompileSchema's choice (e.g. to force ModeGeneric).
func WithSchema(s *Schema) Option {
	return func(c *builderConfig) { c.schema = s }
}

// DefaultMaxExamples is the number of few-shot examples per prompt.
const DefaultMaxExamples = 4

// Builder renders prompts for one registry. It is immutable and safe for concurrent use.
type Builder struct {
	reg         *tool.Registry
	schema      *Schema
	shape       *Shape
	curated     []Example
	maxExamples int
	variants    map[string]*variant
	err         error // a construction problem, reported by every Build
}

type variant struct {
	name     string
	system   string    // rendered once: it does not depend on the request
	examples []Message // the curated examples as user/assistant pairs, rendered once
	user     *template.Template
	repair   *template.Template
	version  string
}

// NewBuilder prepares a Builder for reg: it compiles the response schema, renders the
// tool documentation, selects the curated examples that validate against reg and
// compiles every variant. A problem is reported by Build.
func NewBuilder(reg *tool.Registry, opts ...Option) *Builder {
	cfg := builderConfig{maxExamples: DefaultMaxExamples, variants: builtinVariants()}
	for _, o := range opts {
		o(&cfg)
	}
	b := &Builder{reg: reg, maxExamples: cfg.maxExamples, variants: map[string]*variant{}}
	b.err = b.init(cfg)
	return b
}

func (b *Builder) init(cfg builderConfig) error {
	if b.reg == nil {
		return errors.New("prompt: nil registry")
	}
	b.schema = cfg.schema
	if b.schema == nil {
		s, err := CompileSchema(b.reg)
		if err != nil {
			return err
		}
		b.schema = s
	}
	sh, err := b.schema.Shape()
	if err != nil {
		return err
	}
	b.shape = sh
	sets := cfg.sets
	if !cfg.setsGiven {
		if sets, err = CuratedExamples(); err != nil {
			return err
		}
	}
	b.curated = selectExamples(sets, b.reg, cfg.maxExamples)
	toolDoc := renderTools(b.reg)
	data := struct {
		Tools           string
		Pinned, Generic bool
	}{toolDoc, b.schema.Mode == ModePinned, b.schema.Mode == ModeGeneric}
	for _, v := range cfg.variants {
		if v.Name == "" {
			return errors.New("prompt: a variant has no name")
		}
		sys, err := template.New(v.Name + "/system").Parse(v.System)
		if err != nil {
			return fmt.Errorf("prompt: variant %s: system template: %w", v.Name, err)
		}
		var sb strings.Builder
		if err := sys.Execute(&sb, data); err != nil {
			return fmt.Errorf("prompt: variant %s: system template: %w", v.Name, err)
		}
		user, err := template.New(v.Name + "/user").Parse(v.User)
		if err != nil {
			return fmt.Errorf("prompt: variant %s: user template: %w", v.Name, err)
		}
		repair, err := template.New(v.Name + "/repair").Parse(v.Repair)
		if err != nil {
			return fmt.Errorf("prompt: variant %s: repair template: %w", v.Name, err)
		}
		vs := &variant{name: v.Name, system: sb.String(), user: user, repair: repair}
		if vs.examples, err = b.exampleMessages(vs, b.curated); err != nil {
			return err
		}
		vs.version = b.version(v, vs.system)
		b.variants[v.Name] = vs
	}
	return nil
}

// version hashes every request-independent input of a variant's prompts.
func (b *Builder) version(v Variant, system string) string {
	h := sha256.New()
	for _, part := range []string{v.Name, v.System, v.User, v.Repair, system, string(b.schema.JSON), b.reg.Version()} {
		fmt.Fprintf(h, "%d:%s\n", len(part), part)
	}
	for _, e := range b.curated {
		fmt.Fprintf(h, "example:%s:%s:%s\n", e.ID, e.Request, e.Plan.JSON())
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
}

// Schema is the response schema the Builder's prompts are written for (nil when the
// Builder could not be constructed; Build reports why).
func (b *Builder) Schema() *Schema { return b.schema }

// Variants lists the variant names the Builder knows, sorted.
func (b *Builder) Variants() []string {
	out := make([]string, 0, len(b.variants))
	for n := range b.variants {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Version returns the prompt version of a variant ("" is VariantDefault).
func (b *Builder) Version(variantName string) (string, error) {
	v, err := b.variant(variantName)
	if err != nil {
		return "", err
	}
	return v.version, nil
}

// CuratedIDs returns the ids of the curated examples the Builder shows.
func (b *Builder) CuratedIDs() []string {
	out := make([]string, len(b.curated))
	for i, e := range b.curated {
		out[i] = e.ID
	}
	return out
}

func (b *Builder) variant(name string) (*variant, error) {
	if b.err != nil {
		return nil, b.err
	}
	if name == "" {
		name = VariantDefault
	}
	v, ok := b.variants[name]
	if !ok {
		return nil, fmt.Errorf("prompt: %w %q (known: %s)", ErrUnknownVariant, name, strings.Join(b.Variants(), ", "))
	}
	return v, nil
}

// Build renders the messages for one request: the system prompt, the few-shot examples
// as user/assistant pairs, the request, and for a repair round the previous answer and
// a message with the exact errors and the tool names.
func (b *Builder) Build(in Input) (*Prompt, error) {
	v, err := b.variant(in.Variant)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(in.Request) == "" {
		return nil, errors.New("prompt: empty request")
	}
	examples := v.examples
	if len(in.Examples) > 0 {
		if dyn := selectExamples([]ExampleSet{{Examples: in.Examples}}, b.reg, b.maxExamples); len(dyn) > 0 {
			if examples, err = b.exampleMessages(v, dyn); err != nil {
				return nil, err
			}
		}
	}
	msgs := make([]Message, 0, 1+len(examples)+3)
	msgs = append(msgs, Message{Role: RoleSystem, Content: v.system})
	msgs = append(msgs, examples...)
	u, err := b.userMessage(v, in.Request)
	if err != nil {
		return nil, err
	}
	msgs = append(msgs, Message{Role: RoleUser, Content: u})
	if in.Repair != nil {
		rm, err := b.repairMessage(v, in.Request, in.Repair)
		if err != nil {
			return nil, err
		}
		msgs = append(msgs, Message{Role: RoleAssistant, Content: in.Repair.Previous}, Message{Role: RoleUser, Content: rm})
	}
	return &Prompt{Messages: msgs, Version: v.version, Variant: v.name, Schema: b.schema}, nil
}

// exampleMessages renders examples as user/assistant pairs, the answer in the exact
// shape of the response schema.
func (b *Builder) exampleMessages(v *variant, examples []Example) ([]Message, error) {
	out := make([]Message, 0, 2*len(examples))
	for _, e := range examples {
		u, err := b.userMessage(v, e.Request)
		if err != nil {
			return nil, err
		}
		answer, err := b.shape.Encode(e.Plan)
		if err != nil {
			return nil, fmt.Errorf("prompt: example %s: %w", e.ID, err)
		}
		out = append(out, Message{Role: RoleUser, Content: u}, Message{Role: RoleAssistant, Content: string(answer)})
	}
	return out, nil
}

func (b *Builder) userMessage(v *variant, request string) (string, error) {
	var sb strings.Builder
	if err := v.user.Execute(&sb, struct{ Request string }{quoteRequest(request)}); err != nil {
		return "", fmt.Errorf("prompt: variant %s: user template: %w", v.name, err)
	}
	return sb.String(), nil
}

func (b *Builder) repairMessage(v *variant, request string, r *Repair) (string, error) {
	errText := "the previous answer could not be used"
	if r.Err != nil {
		errText = r.Err.Error()
	}
	var sb strings.Builder
	data := struct{ Errors, ToolNames, Request string }{errText, strings.Join(b.reg.Names(), ", "), quoteRequest(request)}
	if err := v.repair.Execute(&sb, data); err != nil {
		return "", fmt.Errorf("prompt: variant %s: repair template: %w", v.name, err)
	}
	return sb.String(), nil
}
