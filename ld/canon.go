package ld

import (
	"context"

	"github.com/microcred/microcred/ld/rdf"
)

// Canonicalize returns the RDFC-1.0 canonical N-Quads of a JSON-LD document:
// safe-mode expansion (see Expand), conversion to RDF (see ToRDF), then
// rdf.Canonicalize with opts.Canon's work budget. This is what Data
// Integrity rdfc cryptosuites hash.
//
// doc is a decoded JSON value (map[string]any, with json.Number or float64
// numbers) and is not modified. A document that needs more canonicalization
// work than allowed fails with an error matching rdf.ErrWorkLimit; a
// cancelled ctx ends the work with ctx.Err().
func Canonicalize(ctx context.Context, doc any, opts *Options) ([]byte, error) {
	ds, err := ToRDF(ctx, doc, opts)
	if err != nil {
		return nil, err
	}
	var co *rdf.Options
	if opts != nil {
		co = opts.Canon
	}
	res, err := rdf.Canonicalize(ctx, ds, co)
	if err != nil {
		return nil, err
	}
	return res.NQuads, nil
}
