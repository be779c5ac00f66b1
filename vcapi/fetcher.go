package vcapi

import (
	"context"
	"strings"

	"github.com/microcred/microcred/fetch"
	"github.com/microcred/microcred/vc/status"
)

// StatusFetcher returns a fetch.Fetcher that answers the URLs of store's
// status lists from the store itself, without the network, and passes
// every other URL to next (nil: no network, fetch.ErrNetworkDisabled).
// Give it to the Verifier of a service that issues with store, so that the
// service checks the status of its own credentials even where it cannot
// reach itself over HTTPS (plain HTTP, a private address).
func StatusFetcher(store *status.Store, next fetch.Fetcher) fetch.Fetcher {
	return &statusFetcher{store: store, next: next}
}

type statusFetcher struct {
	store *status.Store
	next  fetch.Fetcher
}

// Fetch implements fetch.Fetcher.
func (f *statusFetcher) Fetch(ctx context.Context, url string) ([]byte, error) {
	if f.store != nil {
		for _, l := range f.store.Lists() {
			if l.URL == url || strings.TrimSuffix(url, "#") == l.URL {
				return f.store.ListCredential(l.Name)
			}
		}
	}
	if f.next == nil {
		return nil, &fetch.Error{URL: url, Err: fetch.ErrNetworkDisabled}
	}
	return f.next.Fetch(ctx, url)
}
