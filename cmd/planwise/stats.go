package main

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/planwise/planwise/client"
)

func newStatsCmd(a *cli) *cobra.Command {
	var (
		serverURL, window, token, tokenFile string
		timeout                             time.Duration
	)
	cmd := &cobra.Command{
		Use:   "stats",
		Short: "Show a running server's planner metrics and alerts",
		Long: `Fetch /api/v1/metrics/planner and /api/v1/alerts from a running planwise server and
print them as tables: request counts and rates, latency percentiles, tokens and cost,
errors by type, the source/model/tier mix and the alerts. --json prints the two JSON
documents as the server sent them.

With API keys configured on the server, pass one with --token, or keep it out of the
process list with --token-file or $PLANWISE_API_KEY (read when neither flag is given).`,
		Example: `  planwise stats
  planwise stats --server http://127.0.0.1:8080 --window 1h
  planwise stats --window lifetime --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := statsClient(serverURL, window, token, tokenFile, timeout)
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
	f.StringVar(&token, "token", "", "API key, sent as Authorization: Bearer (default $PLANWISE_API_KEY)")
	f.StringVar(&tokenFile, "token-file", "", "file holding the API key")
	f.DurationVar(&timeout, "timeout", 10*time.Second, "HTTP timeout")
	a.jsonFlag(cmd)
	return cmd
}

// statsClient is the client of the server the flags name, after checking them; its
// errors are usage errors.
func statsClient(server, window, token, tokenFile string, timeout time.Duration) (*client.Client, error) {
	if tokenFile != "" {
		if token != "" {
			return nil, errors.New("give --token or --token-file, not both")
		}
		b, err := os.ReadFile(tokenFile)
		if err != nil {
			return nil, fmt.Errorf("--token-file: %w", err)
		}
		token = strings.TrimSpace(string(b))
	}
	c, err := client.New(server, client.Options{Token: client.KeyOrEnv(token), Timeout: timeout})
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

// statsError words a failed call for the stats command: how to reach the server, or
// that it wants an API key.
func statsError(c *client.Client, err error) error {
	if ne, ok := errors.AsType[*client.NetError](err); ok {
		return fmt.Errorf("cannot reach the planwise server at %s: %w (is `planwise serve` running? set --server)", c.Base(), ne.Err)
	}
	e, ok := errors.AsType[*client.Error](err)
	if !ok {
		return err
	}
	msg := e.Message
	if msg == "" {
		msg = strings.TrimSpace(string(e.Body))
	}
	switch {
	case client.IsUnauthorized(err):
		return fmt.Errorf("GET %s: %s (the server requires an API key: pass --token or --token-file, or set $PLANWISE_API_KEY)", e.Path, msg)
	case e.StatusCode == http.StatusNotFound:
		return fmt.Errorf("GET %s: not found (is %s a planwise server with metrics enabled?)", e.Path, c.Base())
	}
	return fmt.Errorf("GET %s: %s: %s", e.Path, e.Status, msg)
}
