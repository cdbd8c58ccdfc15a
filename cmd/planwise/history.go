package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/planwise/planwise/app"
	"github.com/planwise/planwise/client"
	"github.com/planwise/planwise/history"
	"github.com/planwise/planwise/planner"
)

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

// open returns the server's client (with the API key: --api-key, else
// $PLANWISE_API_KEY), or the local store's learning loop for the tenant (--tenant, or
// every tenant with --all-tenants) over the configured store (the one plan, run and
// serve write to, whatever its driver), closed when the command ends.
func (t *learningTarget) open(cmd *cobra.Command, a *cli) (history.Learning, error) {
	if t.server != "" {
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
	tenant := t.tenant
	switch {
	case t.all && cmd.Flags().Changed("tenant"):
		return nil, errors.New("--tenant and --all-tenants exclude each other")
	case t.all:
		tenant = ""
	case tenant == "":
		return nil, errors.New("--tenant is empty: name a tenant, or use --all-tenants")
	}
	pw, err := a.App(cmd.Context(), app.Options{})
	if err != nil {
		return nil, err
	}
	h, err := pw.History(cmd.Context())
	if err != nil {
		return nil, err
	}
	return h.View(tenant), nil
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
			src, err := t.open(cmd, a)
			if err != nil {
				return err
			}
			rs, err := src.History(cmd.Context(), limit, offset)
			if errors.Is(err, history.ErrUnreadable) { // show the rest, and say what is missing
				fmt.Fprintf(a.Err, "warning: %v\n", err)
				err = nil
			}
			if err != nil {
				return err
			}
			if a.JSON {
				if rs == nil {
					rs = []*history.Record{}
				}
				return json.NewEncoder(a.Out).Encode(map[string]any{"records": rs})
			}
			return history.WriteRecords(a.Out, rs)
		},
	}
	t.flags(cmd)
	cmd.Flags().IntVar(&limit, "limit", 20, "records to show (1-500)")
	cmd.Flags().IntVar(&offset, "offset", 0, "skip this many of the newest records")
	a.jsonFlag(cmd, false)
	return cmd
}
