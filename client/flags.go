package client

import (
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/planwise/planwise/internal/cliflag"
)

// Flags are how a client command of the planwise CLI reaches a running server, the same
// flags on every one (stats, bench load, and history, insights and experiments, which
// use the local store unless --server): --server, --timeout and the API key (--api-key,
// --api-key-file, else $PLANWISE_API_KEY: Key). --token and --token-file, stats' and
// bench load's key flags before --api-key, still work (deprecated).
type Flags struct {
	URL, Key string
	Timeout  time.Duration
	Client   *Client // the server's; nil without --server
}

// Register declares f's flags on cmd, --server with the default url and usage, and sets
// cmd's PersistentPreRunE to read the key and make Client, so that a bad flag is
// refused before anything runs; with neither a default url nor --server the command
// works on the local store and Client stays nil. stderr takes the deprecation notices.
func (f *Flags) Register(cmd *cobra.Command, url, usage string, stderr io.Writer) {
	var key, file string
	fs := cmd.Flags()
	fs.StringVar(&f.URL, "server", url, usage)
	fs.Var(cliflag.NewDuration(&f.Timeout, DefaultTimeout), "timeout", "timeout of each request to the server")
	fs.StringVar(&key, "api-key", "", "API key, sent to the server as Authorization: Bearer (default $PLANWISE_API_KEY)")
	fs.StringVar(&file, "api-key-file", "", "file holding the API key (keeps it out of the process list)")
	cliflag.Deprecated(fs, &key, "token", "api-key", stderr)
	cliflag.Deprecated(fs, &file, "token-file", "api-key-file", stderr)
	cmd.PersistentPreRunE = func(*cobra.Command, []string) (err error) {
		if f.Key, err = Key(key, file); err != nil || (f.URL == "" && url == "") { // the local store
			return err
		}
		if f.Client, err = New(f.URL, Options{Token: f.Key, Timeout: f.Timeout}); err != nil {
			return fmt.Errorf("--server %q: want a URL such as http://127.0.0.1:8080", f.URL)
		}
		return nil
	}
}
