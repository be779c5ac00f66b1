package vcapi

import (
	_ "embed"
	"net/http"
)

//go:embed openapi.json
var openAPIDoc []byte

// OpenAPI returns the OpenAPI 3.1 document that describes the Server's
// endpoints (the body of GET /openapi.json). The caller must not modify
// it.
func OpenAPI() []byte { return openAPIDoc }

// openAPI: GET /openapi.json.
func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Write(openAPIDoc)
}
