package main

import (
	"cmp"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/planwise/planwise/client"
)

func newStatsCmd(a *cli) *cobra.Command {
	var (
		serverURL, window, key string
		timeout                time.Duration
	)
	cmd := &cobra.Command{
		Use:   "stats",
		Short: "Show a running server's planner metrics and alerts",
		Long: `Fetch /api/v1/metrics/planner and /api/v1/alerts from a running planwise server and
print them as tables: request counts and rates, latency percentiles, tokens and cost,
errors by type, the source/model/tier mix and the alerts. --json prints the two JSON
documents as the server sent them.

With API keys configured on the server, pass one with --api-key, or keep it out of the
process list with --api-key-file or $PLANWISE_API_KEY (read when neither flag is given).`,
		Example: `  planwise stats
  planwise stats --server http://127.0.0.1:8080 --window 1h
  planwise stats --window lifetime --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := statsClient(serverURL, window, key, timeout)
			if err != nil {
				return &exitError{code: 2, err: err}
			}
			st, err := c.Stats(cmd.Context(), window)
			if err != nil {
				return statsError(c, err)
			}
			return a.reportIndented(st, nil)
		},
	}
	f := cmd.Flags()
	f.StringVar(&serverURL, "server", "http://127.0.0.1:8080", "base URL of the planwise server")
	f.StringVar(&window, "window", "", "time window: a duration such as 5m or 1h, or \"lifetime\" (default: the server's window)")
	f.DurationVar(&timeout, "timeout", 10*time.Second, "HTTP timeout")
	a.keyFlags(cmd, &key)
	a.jsonFlag(cmd)
	return cmd
}

// statsClient is the client of the server the flags name, after checking them; its
// errors are usage errors.
func statsClient(server, window, key string, timeout time.Duration) (*client.Client, error) {
	c, err := client.New(server, client.Options{Token: key, Timeout: timeout})
	if err != nil {
		return nil, fmt.Errorf("--server %q: want a URL such as http://127.0.0.1:8080", server)
	}
	if window != "" && window != "lifetime" {
		if d, err := time.ParseDuration(window); err != nil || d <= 0 {
			return nil, fmt.Errorf("--window %q: want a positive duration such as 5m or 1h, or \"lifetime\"", window)
		}
	}
	return c, nil
}

// statsError words a failed call as every client command does (client.Explain), or
// says that the server has no metrics.
func statsError(c *client.Client, err error) error {
	e, ok := errors.AsType[*client.Error](err)
	if !ok || client.IsUnauthorized(err) {
		return client.Explain(err)
	}
	if e.StatusCode == http.StatusNotFound {
		return fmt.Errorf("GET %s: not found (is %s a planwise server with metrics enabled?)", e.Path, c.Base())
	}
	return fmt.Errorf("GET %s: %s: %s", e.Path, e.Status, cmp.Or(e.Message, strings.TrimSpace(string(e.Body))))
}
