package keys

import "github.com/microcred/microcred/fetch"

// Fetcher is the network access resolvers use; see package fetch. A
// resolver given no Fetcher does no I/O.
type Fetcher = fetch.Fetcher

// FetchError reports a failed fetch (an alias of fetch.Error).
type FetchError = fetch.Error

// Network errors, shared with package fetch so errors.Is works with either
// name.
var (
	// ErrNetworkDisabled: a remote identifier was given to a resolver with no Fetcher.
	ErrNetworkDisabled = fetch.ErrNetworkDisabled
	// ErrNotHTTPS: the URL (or a redirect target) is not https.
	ErrNotHTTPS = fetch.ErrNotHTTPS
	// ErrHostNotAllowed: the URL's host (or a redirect target's) is not on the allow-list.
	ErrHostNotAllowed = fetch.ErrHostNotAllowed
	// ErrTooLarge: the response is larger than the byte limit.
	ErrTooLarge = fetch.ErrTooLarge
	// ErrHTTPStatus: the server answered with a status other than 200.
	ErrHTTPStatus = fetch.ErrHTTPStatus
)
