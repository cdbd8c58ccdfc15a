package prompt

import "strings"

// The request is placed between these delimiters in the user message, so that the model
// can tell it from the instructions and a simulator or a log reader can recover it.
const (
	RequestOpen  = "<request>"
	RequestClose = "</request>"
)

// quoteRequest places a request between the delimiters. A delimiter inside the request
// itself is defused so that the request cannot close its own block early.
func quoteRequest(req string) string {
	req = strings.ReplaceAll(req, RequestClose, "</ request>")
	req = strings.ReplaceAll(req, RequestOpen, "< request>")
	return RequestOpen + "\n" + strings.TrimSpace(req) + "\n" + RequestClose
}

// ExtractRequest returns the request held in a user message built by Builder (the text
// between the last <request> and the </request> after it), or the whole message,
// trimmed, when it holds no delimited request.
func ExtractRequest(userMessage string) string {
	i := strings.LastIndex(userMessage, RequestOpen)
	if i < 0 {
		return strings.TrimSpace(userMessage)
	}
	rest := userMessage[i+len(RequestOpen):]
	j := strings.Index(rest, RequestClose)
	if j < 0 {
		return strings.TrimSpace(rest)
	}
	return strings.TrimSpace(rest[:j])
}
