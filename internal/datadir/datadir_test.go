package datadir

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/planwise/planwise/store/sqlite"
)

func env(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }

func TestResolveStore(t *testing.T) {
	work := t.TempDir()
	withDB := t.TempDir()
	if err := os.WriteFile(filepath.Join(withDB, StoreFile), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	dirNamedDB := t.TempDir()
	if err := os.Mkdir(filepath.Join(dirNamedDB, StoreFile), 0o700); err != nil {
		t.Fatal(err)
	}
	home := map[string]string{"HOME": "/home/ada"}
	for _, tc := range []struct {
		name, configured, work string
		env                    map[string]string
		want                   Store
		err                    string
	}{
		{"XDG_DATA_HOME", "", work, map[string]string{"XDG_DATA_HOME": "/data", "HOME": "/home/ada"},
			Store{Path: "/data/planwise/planwise.db", Reason: DataDir, Default: "/data/planwise/planwise.db"}, ""},
		{"HOME", "", work, home,
			Store{Path: "/home/ada/.local/share/planwise/planwise.db", Reason: DataDir, Default: "/home/ada/.local/share/planwise/planwise.db"}, ""},
		{"relative XDG_DATA_HOME is ignored", "", work, map[string]string{"XDG_DATA_HOME": "data", "HOME": "/home/ada"},
			Store{Path: "/home/ada/.local/share/planwise/planwise.db", Reason: DataDir, Default: "/home/ada/.local/share/planwise/planwise.db"}, ""},
		{"configured wins", "/srv/pw.db", withDB, home,
			Store{Path: "/srv/pw.db", Reason: Configured, Default: "/home/ada/.local/share/planwise/planwise.db"}, ""},
		{"configured needs no home", "pw.db", work, nil, Store{Path: "pw.db", Reason: Configured}, ""},
		{"an existing planwise.db in the working directory is kept", "", withDB, home,
			Store{Path: filepath.Join(withDB, StoreFile), Reason: WorkingDir, Default: "/home/ada/.local/share/planwise/planwise.db"}, ""},
		{"a directory named planwise.db is not a store", "", dirNamedDB, home,
			Store{Path: "/home/ada/.local/share/planwise/planwise.db", Reason: DataDir, Default: "/home/ada/.local/share/planwise/planwise.db"}, ""},
		{"no home", "", work, map[string]string{}, Store{}, "set one of them, or store.path"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ResolveStore(tc.configured, tc.work, env(tc.env))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("ResolveStore = %+v, %v; want %+v", got, err, tc.want)
			}
			// The same environment gives the same file: a restarted server finds its data.
			if again, _ := ResolveStore(tc.configured, tc.work, env(tc.env)); again != got {
				t.Errorf("not deterministic: %+v then %+v", got, again)
			}
		})
	}
}

// Prepare creates the data directory (0700) and the file (0600) whatever the umask, and
// SQLite's write-ahead log inherits the file's permissions.
func TestPrepareIsPrivate(t *testing.T) {
	data := filepath.Join(t.TempDir(), "xdg")
	s, err := ResolveStore("", t.TempDir(), env(map[string]string{"XDG_DATA_HOME": data}))
	if err != nil {
		t.Fatal(err)
	}
	created, err := Prepare(s)
	if err != nil || !created {
		t.Fatalf("Prepare: created %v, %v", created, err)
	}
	if created, err := Prepare(s); err != nil || created {
		t.Fatalf("second Prepare: created %v, %v", created, err)
	}
	mode := func(p string) os.FileMode {
		t.Helper()
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Mode().Perm()
	}
	if m := mode(filepath.Join(data, "planwise")); m != 0o700 {
		t.Errorf("data directory mode %v, want 0700", m)
	}
	if m := mode(s.Path); m != 0o600 {
		t.Errorf("store file mode %v, want 0600", m)
	}
	db, err := sqlite.Open(context.Background(), s.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.SQL.Exec(`CREATE TABLE probe (x INTEGER)`); err != nil {
		t.Fatal(err)
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if m := mode(s.Path + suffix); m != 0o600 {
			t.Errorf("%s mode %v, want 0600", suffix, m)
		}
	}
	if !strings.Contains(s.Describe(), s.Path) || !strings.Contains(s.Describe(), "data directory") {
		t.Errorf("Describe = %q", s.Describe())
	}
	// A configured file in a missing directory is not created behind the user's back.
	if _, err := Prepare(Store{Path: filepath.Join(t.TempDir(), "typo", "pw.db"), Reason: Configured}); err == nil {
		t.Error("Prepare created the directories of a configured path")
	}
}

// Missing tells a store whose file is not there yet from one that is; ":memory:" is
// never missing, and Missing creates nothing.
func TestMissing(t *testing.T) {
	dir := t.TempDir()
	there := filepath.Join(dir, "there.db")
	if err := os.WriteFile(there, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	notThere := filepath.Join(dir, "sub", StoreFile)
	for _, tc := range []struct {
		s    Store
		want bool
	}{
		{Store{Path: there, Reason: Configured}, false},
		{Store{Path: notThere, Reason: DataDir}, true},
		{Store{Path: ":memory:", Reason: Configured}, false},
	} {
		if got := tc.s.Missing(); got != tc.want {
			t.Errorf("Missing(%q) = %v, want %v", tc.s.Path, got, tc.want)
		}
	}
	if _, err := os.Stat(filepath.Dir(notThere)); !os.IsNotExist(err) {
		t.Errorf("Missing created %s: %v", filepath.Dir(notThere), err)
	}
}

// MakeDir creates a configured store's missing directories, private (0700), once, and
// nothing for the other reasons or a directory that exists.
func TestMakeDir(t *testing.T) {
	root := t.TempDir()
	s := Store{Path: filepath.Join(root, "srv", "planwise", "pw.db"), Reason: Configured}
	dir, err := MakeDir(s)
	if err != nil || dir != filepath.Dir(s.Path) {
		t.Fatalf("MakeDir = %q, %v; want %q", dir, err, filepath.Dir(s.Path))
	}
	for _, d := range []string{filepath.Join(root, "srv"), dir} {
		if fi, err := os.Stat(d); err != nil || !fi.IsDir() || fi.Mode().Perm() != 0o700 {
			t.Fatalf("%s: %v, %v; want a 0700 directory", d, fi, err)
		}
	}
	if again, err := MakeDir(s); err != nil || again != "" {
		t.Errorf("second MakeDir = %q, %v; want nothing created", again, err)
	}
	if created, err := Prepare(s); err != nil || !created {
		t.Errorf("Prepare after MakeDir: created %v, %v", created, err)
	}
	for _, other := range []Store{{Path: filepath.Join(root, "wd", StoreFile), Reason: WorkingDir}, {Path: ":memory:", Reason: Configured}} {
		if dir, err := MakeDir(other); err != nil || dir != "" {
			t.Errorf("MakeDir(%+v) = %q, %v; want nothing", other, dir, err)
		}
	}
	if _, err := os.Stat(filepath.Join(root, "wd")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("MakeDir created a working directory's store directory: %v", err)
	}
}
