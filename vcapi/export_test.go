package vcapi

// Routes returns the path patterns the Server serves, for the OpenAPI
// test.
func Routes() []string {
	var out []string
	for _, r := range (&Server{}).routes() {
		out = append(out, r.pattern)
	}
	return out
}
