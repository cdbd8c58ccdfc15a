package client_test

import (
	"io"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/planwise/planwise/client"
)

// Flags make the server's client before the command runs: none without --server where
// there is no default (the local store), a client with the key given, and a refusal in
// the flags' words for a --server that is no URL.
func TestFlags(t *testing.T) {
	t.Setenv(client.KeyEnv, "")
	run := func(url string, args ...string) (*client.Flags, error) {
		var f client.Flags
		cmd := &cobra.Command{Use: "x", RunE: func(*cobra.Command, []string) error { return nil }}
		f.Register(cmd, url, "the server", io.Discard)
		cmd.SetArgs(args)
		cmd.SetOut(io.Discard)
		cmd.SetErr(io.Discard)
		return &f, cmd.Execute()
	}
	if f, err := run(""); err != nil || f.Client != nil {
		t.Errorf("no --server, no default: %v, client %v; want the local store", err, f.Client)
	}
	f, err := run("http://127.0.0.1:8080", "--api-key", "k-123", "--timeout", "3s")
	if err != nil || f.Client == nil || f.Key != "k-123" || f.Timeout.String() != "3s" {
		t.Errorf("a default server: %v %+v", err, f)
	}
	if f, err := run("", "--server", "http://127.0.0.1:9", "--token", "old-key"); err != nil || f.Client == nil || f.Key != "old-key" {
		t.Errorf("--server with the deprecated --token: %v %+v", err, f)
	}
	if _, err := run("", "--server", "127.0.0.1:8080"); err == nil || !strings.Contains(err.Error(), "want a URL such as http://127.0.0.1:8080") {
		t.Errorf("a --server that is no URL: %v", err)
	}
}
