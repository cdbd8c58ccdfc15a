package historyeval

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/planwise/planwise/embed"
	"github.com/planwise/planwise/eval/dataset"
)

// Config is what `planwise eval history` is given, as its command line has it.
type Config struct {
	// Dataset is clinc150 or nestful; Data its file or directory (CLINC150's
	// data_full.json; the nestful directory or one *-data.json).
	Dataset, Data string
	// Sizes are the clinc150 history sizes, comma-separated (parseSizes); Sweep adds
	// the similarity sweep (sweepFloors).
	Sizes string
	Sweep bool
	// CLINC configures clinc150 (its Sizes and Sweep are set from the fields above);
	// nestful reads only its Floor.
	CLINC CLINCOptions
}

// Report is either evaluation's report (*clincReport, *nestfulSummary): JSON, or text
// for people.
type Report interface{ WriteText(io.Writer) error }

// Evaluate runs the evaluation c names with the built-in local embedder. Errors name the
// flags of `planwise eval history`.
func Evaluate(ctx context.Context, c Config) (Report, error) {
	if c.CLINC.Limit < 0 || c.CLINC.Concurrency < 0 || c.CLINC.Floor < 0 {
		return nil, errors.New("--limit, --concurrency and --floor must not be negative")
	}
	emb, err := embed.NewLocal(embed.LocalConfig{})
	if err != nil {
		return nil, err
	}
	switch c.Dataset {
	case "clinc150":
		opts := c.CLINC
		if opts.Sizes, err = parseSizes(c.Sizes); err != nil {
			return nil, fmt.Errorf("--sizes: %w", err)
		}
		data, err := dataset.LoadCLINC150(c.Data)
		if err != nil {
			return nil, err
		}
		if c.Sweep {
			opts.Sweep = sweepFloors()
		}
		rep, err := evalCLINC(ctx, data, emb, opts)
		if err != nil {
			return nil, err
		}
		return rep, nil
	case "nestful":
		combined, err := evalNESTFULSets(ctx, c.Data, emb, c.CLINC.Floor)
		if err != nil {
			return nil, err
		}
		return combined, nil
	}
	return nil, fmt.Errorf("--dataset %q: use clinc150 or nestful", c.Dataset)
}

// parseSizes reads CLINCOptions.Sizes from comma-separated history sizes ("0,100,1000").
// An error quotes the part that is not a size.
func parseSizes(s string) ([]int, error) {
	var sizes []int
	for _, part := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(part))
		if err != nil || n < 0 {
			return nil, fmt.Errorf("%q is not a history size", part)
		}
		sizes = append(sizes, n)
	}
	return sizes, nil
}

// sweepFloors are the floors of a similarity sweep (CLINCOptions.Sweep): 0.30, 0.35,
// ... 0.95.
func sweepFloors() []float64 {
	var fs []float64
	for x := 30; x <= 95; x += 5 {
		fs = append(fs, float64(x)/100)
	}
	return fs
}
