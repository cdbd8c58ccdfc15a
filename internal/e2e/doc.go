// Package e2e holds end-to-end tests: the HTTP server on loopback in front of the real
// OpenAI-compatible provider (the official SDK) talking over real HTTP to `planwise sim`.
// It has no non-test code.
package e2e
