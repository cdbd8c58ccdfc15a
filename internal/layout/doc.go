// Package layout holds the repository's layout checks, as tests: which packages may
// import planner, eval and app, where evaluation packages live, and how many lines
// cmd/planwise may hold (issue 14, docs/architecture.md "Import direction"). It has no
// code.
package layout
