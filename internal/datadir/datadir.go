// Package datadir decides where planwise keeps its embedded SQLite store when the
// configuration names no file: the user's data directory, as the XDG Base Directory
// specification defines it, so that `planwise plan` run from any directory shares one
// history, cache and run store, and no database file appears in whatever directory a
// command happened to run in.
//
// The choice is deterministic (the same environment and working directory give the same
// file, so a restarted `planwise serve` finds its data again) and keeps what existing
// users have: a planwise.db already in the working directory, the default before the
// data directory, stays in use, and the caller says so.
package datadir

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// StoreFile is the store's file name, in the data directory or the working directory.
const StoreFile = "planwise.db"

// Why a store path was chosen.
const (
	// Configured: store.path (or PLANWISE_STORE__PATH) named the file.
	Configured = "configured"
	// WorkingDir: no path configured and a planwise.db exists in the working directory.
	WorkingDir = "working directory"
	// DataDir: no path configured, none in the working directory: the data directory.
	DataDir = "data directory"
)

// Store is where the SQLite store lives and why.
type Store struct {
	Path string
	// Reason is Configured, WorkingDir or DataDir.
	Reason string
	// Default is the data directory's store, what DataDir gives (empty when it cannot be
	// found and was not needed).
	Default string
}

// Dir returns planwise's data directory: $XDG_DATA_HOME/planwise when XDG_DATA_HOME
// is set to an absolute path (the specification ignores relative ones), else
// $HOME/.local/share/planwise. getenv reads the environment (os.Getenv).
func Dir(getenv func(string) string) (string, error) {
	if x := getenv("XDG_DATA_HOME"); x != "" && filepath.IsAbs(x) {
		return filepath.Join(x, "planwise"), nil
	}
	home := getenv("HOME")
	if home == "" || !filepath.IsAbs(home) {
		return "", errors.New("no data directory: neither XDG_DATA_HOME nor HOME is an absolute path (fix: set one of them, or store.path)")
	}
	return filepath.Join(home, ".local", "share", "planwise"), nil
}

// ResolveStore chooses the store file: configured when not empty; else planwise.db in
// workDir when it exists there; else planwise.db in the data directory (Dir). It only
// looks: Prepare creates what is missing.
func ResolveStore(configured, workDir string, getenv func(string) string) (Store, error) {
	dir, dirErr := Dir(getenv)
	def := ""
	if dirErr == nil {
		def = filepath.Join(dir, StoreFile)
	}
	if configured != "" {
		return Store{Path: configured, Reason: Configured, Default: def}, nil
	}
	local := filepath.Join(workDir, StoreFile)
	if fi, err := os.Stat(local); err == nil && fi.Mode().IsRegular() {
		if abs, err := filepath.Abs(local); err == nil {
			local = abs
		}
		return Store{Path: local, Reason: WorkingDir, Default: def}, nil
	}
	if dirErr != nil {
		return Store{}, dirErr
	}
	return Store{Path: def, Reason: DataDir, Default: def}, nil
}

// Prepare makes the store's file ready to open. For the data directory it creates the
// directories, readable by the user only (0700). A missing file is created empty and
// readable by the user only (0600): it holds requests, plans and their results, and
// SQLite gives its -wal and -shm files the database file's permissions. created reports
// whether the file was created. In-memory databases (":memory:") need nothing.
func Prepare(s Store) (created bool, err error) {
	if s.Path == ":memory:" || s.Path == "" {
		return false, nil
	}
	if s.Reason == DataDir {
		if err := os.MkdirAll(filepath.Dir(s.Path), 0o700); err != nil {
			return false, fmt.Errorf("create the data directory: %w", err)
		}
	}
	f, err := os.OpenFile(s.Path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("create %s: %w", s.Path, err)
	}
	return true, f.Close()
}

// MakeDir creates the missing directories of a configured store file (store.path),
// readable by the user only (0700, as the data directory), for a command that writes:
// a configured path in a directory not made yet (a fresh machine, a new volume) is where
// the user asked for the data, not a mistake to fail on. dir is the directory created,
// "" when it existed or the store is not a configured file; the caller says so. Prepare
// alone never creates a configured path's directories, and a read-only command calls
// neither (it creates nothing).
func MakeDir(s Store) (dir string, err error) {
	if s.Reason != Configured || s.Path == ":memory:" || s.Path == "" {
		return "", nil
	}
	dir = filepath.Dir(s.Path)
	if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
		return "", nil // there, or not ours to judge: opening the file says what is wrong
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("create the directory of store.path %s: %w", s.Path, err)
	}
	return dir, nil
}

// Missing reports whether the store's file does not exist yet (Prepare would create
// it). An in-memory database (":memory:") is never missing; a path that cannot be
// looked at for another reason (permissions) is not called missing either: opening it
// says what is wrong.
func (s Store) Missing() bool {
	if s.Path == ":memory:" || s.Path == "" {
		return false
	}
	_, err := os.Stat(s.Path)
	return errors.Is(err, fs.ErrNotExist)
}

// Describe says in one line where the store is and why, for start-up messages.
func (s Store) Describe() string {
	switch s.Reason {
	case WorkingDir:
		msg := fmt.Sprintf("sqlite %s (a planwise.db found in the working directory is kept in use", s.Path)
		if s.Default != "" {
			msg += fmt.Sprintf("; the default is now %s: move the file there to use it from any directory", s.Default)
		}
		return msg + ")"
	case DataDir:
		return fmt.Sprintf("sqlite %s (the data directory; set store.path to choose another file)", s.Path)
	}
	return fmt.Sprintf("sqlite %s (store.path)", s.Path)
}
