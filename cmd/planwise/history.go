package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/planwise/planwise/app"
	"github.com/planwise/planwise/client"
	"github.com/planwise/planwise/history"
	"github.com/planwise/planwise/planner"
)

func init() { register(newHistoryCmd) }

// learningTarget is where the learning commands (history, insights, experiments) read
// from: the local store by default, a running server with --server.
type learningTarget struct {
	server string // base URL of a running planwise server
	apiKey string // bearer key for --server (default $PLANWISE_API_KEY)
	tenant string // local store: the tenant to read
	all    bool   // local store: every tenant
}

func (t *learningTarget) flags(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&t.server, "server", "", "read from a running planwise server at this URL instead of the local store")
	fl.StringVar(&t.apiKey, "api-key", "", "API key for --server (default $PLANWISE_API_KEY)")
	fl.StringVar(&t.tenant, "tenant", planner.DefaultTenant, "tenant to read from the local store (a server uses the API key's tenant); the CLI's own requests are the default tenant's")
	fl.BoolVar(&t.all, "all-tenants", false, "read every tenant of the local store")
}

// localTenant is the tenant the local store is read for; "" reads every tenant.
func (t *learningTarget) localTenant(cmd *cobra.Command) (string, error) {
	if t.all {
		if cmd.Flags().Changed("tenant") {
			return "", errors.New("--tenant and --all-tenants exclude each other")
		}
		return "", nil
	}
	if t.tenant == "" {
		return "", errors.New("--tenant is empty: name a tenant, or use --all-tenants")
	}
	return t.tenant, nil
}

// openHistory opens the history over the configured store (the one plan, run and serve
// write to, whatever its driver). The store is closed when the command ends.
func openHistory(ctx context.Context, a *cli) (*history.History, error) {
	pw, err := a.App(ctx, app.Options{})
	if err != nil {
		return nil, err
	}
	return pw.History(ctx)
}

// client is the client of the --server to read from, with the API key (--api-key,
// else $PLANWISE_API_KEY).
func (t *learningTarget) client() (*client.Client, error) {
	key := t.apiKey
	if key == "" {
		key = os.Getenv("PLANWISE_API_KEY")
	}
	c, err := client.New(t.server, client.Options{Token: key, Timeout: 30 * time.Second})
	if err != nil {
		return nil, fmt.Errorf("--server %q: use a URL such as http://127.0.0.1:8080", t.server)
	}
	return c, nil
}

func newHistoryCmd(a *cli) *cobra.Command {
	var t learningTarget
	var limit, offset int
	cmd := &cobra.Command{
		Use:   "history",
		Short: "Show recent planning requests from the execution history",
		Long: `Show recent planning requests recorded in the execution history, newest first:
when, where the plan came from, whether the first answer was valid, the tools used and
the request. Reads the local store (store.path in the configuration; by default
planwise.db in the user's data directory, $XDG_DATA_HOME/planwise or
~/.local/share/planwise) or, with --server, a running planwise server's
GET /api/v1/history.`,
		Example: `  planwise history --limit 20
  planwise history --server http://127.0.0.1:8080 --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if limit <= 0 || limit > 500 || offset < 0 {
				return errors.New("--limit must be 1-500 and --offset not negative")
			}
			var rs []*history.Record
			if t.server != "" {
				c, err := t.client()
				if err != nil {
					return err
				}
				if rs, err = c.History(cmd.Context(), limit, offset); err != nil {
					return err
				}
			} else {
				tenant, err := t.localTenant(cmd)
				if err != nil {
					return err
				}
				h, err := openHistory(cmd.Context(), a)
				if err != nil {
					return err
				}
				if rs, err = h.Recent(cmd.Context(), history.Query{Tenant: tenant, Limit: limit, Offset: offset}); err != nil {
					return err
				}
			}
			if a.JSON {
				if rs == nil {
					rs = []*history.Record{}
				}
				return json.NewEncoder(a.Out).Encode(map[string]any{"records": rs})
			}
			if len(rs) == 0 {
				fmt.Fprintln(a.Out, "no records")
				return nil
			}
			tw := tabwriter.NewWriter(a.Out, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "time\tsource\tvalid\tms\ttools\trequest")
			for _, r := range rs {
				src := r.Source
				if r.Fallback {
					src += " (fallback)"
				}
				req := r.Request
				if len(req) > 80 {
					req = req[:77] + "..."
				}
				fmt.Fprintf(tw, "%s\t%s\t%v\t%.1f\t%s\t%s\n", r.Time.Local().Format(time.DateTime), src, r.Valid, r.LatencyMS,
					strings.Join(r.Tools(), ","), req)
			}
			return tw.Flush()
		},
	}
	t.flags(cmd)
	cmd.Flags().IntVar(&limit, "limit", 20, "records to show (1-500)")
	cmd.Flags().IntVar(&offset, "offset", 0, "skip this many of the newest records")
	a.jsonFlag(cmd, false)
	return cmd
}
