package mcpserver

import (
	"context"
	"net/http"

	"github.com/modelcontextprotocol/go-sdk/auth"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// Principal is the authenticated caller of an HTTP call: its tenant and the non-secret id
// of its API key.
type Principal struct {
	Tenant, KeyID string
}

// Handler serves the server over streamable HTTP, statelessly. principal reads the caller
// that the enclosing authentication established for a request; the tenant and key it
// returns scope every call made with that request. Requests without an Authorization
// header (the API runs without keys) use Config.Tenant.
func (s *Server) Handler(principal func(*http.Request) Principal) http.Handler {
	h := mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return s.mcp }, &mcp.StreamableHTTPOptions{
		Stateless:           true,
		Logger:              s.cfg.Logger,
		MaxRequestBodyBytes: s.cfg.MaxBodyBytes,
	})
	// The SDK hands a tool call the token information of the request that carried it:
	// RequireBearerToken is how it gets there. The token was already checked by the
	// enclosing authentication; the verifier only records whose it is.
	verified := auth.RequireBearerToken(func(_ context.Context, _ string, r *http.Request) (*auth.TokenInfo, error) {
		p := principal(r)
		return &auth.TokenInfo{UserID: p.Tenant + "/" + p.KeyID, Extra: map[string]any{tenantKey: p.Tenant, keyIDKey: p.KeyID}}, nil
	}, &auth.RequireBearerTokenOptions{AllowMissingExpiration: true})(h)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") == "" {
			h.ServeHTTP(w, r)
			return
		}
		verified.ServeHTTP(w, r)
	})
}

const (
	tenantKey = "planwise.tenant"
	keyIDKey  = "planwise.key_id"
)

// principal returns the caller of a tool call: from the HTTP request's token
// information, else Config.Tenant.
func (s *Server) principal(req *mcp.CallToolRequest) Principal {
	if req.Extra != nil && req.Extra.TokenInfo != nil {
		t, _ := req.Extra.TokenInfo.Extra[tenantKey].(string)
		k, _ := req.Extra.TokenInfo.Extra[keyIDKey].(string)
		return Principal{Tenant: t, KeyID: k}
	}
	return Principal{Tenant: s.cfg.Tenant}
}
