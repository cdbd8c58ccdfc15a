// Package layout holds the repository's layout checks, as tests: which packages may
// import planner, eval and app, and where evaluation packages live (issue 14,
// docs/architecture.md "Import direction"). It has no code.
package layout
