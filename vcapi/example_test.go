package vcapi_test

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"

	"github.com/microcred/microcred/badge"
	"github.com/microcred/microcred/keys"
	"github.com/microcred/microcred/vcapi"
)

// Mount the service on a mux (here an httptest server), issue a
// micro-credential through POST /credentials/issue with the API key, and
// verify it through POST /credentials/verify and the LMS endpoint POST
// /verify. The demo key and registry are public: never use them for real
// credentials.
func ExampleNew() {
	priv, _ := keys.Ed25519FromSeed([]byte("microcred demo key: NOT SECRET!!"))
	signer, _ := keys.NewSigner(priv, "")
	did, _ := keys.DIDKey(priv.Public().(ed25519.PublicKey))
	var profile badge.Profile
	_ = json.Unmarshal([]byte(`{"id": "`+did+`", "name": "Demo University",
		"address": {"type": ["Address"], "addressCountryCode": "FR"}}`), &profile)
	issuer, err := badge.NewIssuer(signer, profile, badge.IssuerOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	verifier, err := badge.NewVerifier(badge.VerifierOptions{Registry: keys.DemoRegistry()})
	if err != nil {
		fmt.Println(err)
		return
	}
	api, err := vcapi.New(vcapi.Config{Issuer: issuer, Verifier: verifier, APIKeys: []string{"an-api-key-of-at-least-16-chars"},
		Logger: slog.New(slog.DiscardHandler)}) // a real service logs, e.g. slog.Default()
	if err != nil {
		fmt.Println(err)
		return
	}
	mux := http.NewServeMux()
	mux.Handle("/", api)
	srv := httptest.NewServer(mux)
	defer srv.Close()

	// An EU micro-credential of this issuer, without id and validFrom
	// (the issuer fills them in).
	data, _ := os.ReadFile("../docs/eu-profile/examples/blended-intensive-programme.json")
	data = bytes.ReplaceAll(data, []byte(`"https://beta-universite.example/"`), []byte(`"`+did+`"`))
	var cred map[string]any
	_ = json.Unmarshal(data, &cred)
	delete(cred, "id")
	delete(cred, "validFrom")
	delete(cred, "issuer") // the configured profile
	body, _ := json.Marshal(map[string]any{"credential": cred})

	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/credentials/issue", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer an-api-key-of-at-least-16-chars")
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Println(err)
		return
	}
	var issued vcapi.IssueResponse
	_ = json.NewDecoder(res.Body).Decode(&issued)
	res.Body.Close()
	fmt.Println("issue:", res.StatusCode)

	// The issue response {"verifiableCredential": …} is a verify request.
	verifyBody, _ := json.Marshal(issued)
	res, _ = http.Post(srv.URL+"/credentials/verify", "application/json", bytes.NewReader(verifyBody))
	var vr vcapi.VerifyResponse
	_ = json.NewDecoder(res.Body).Decode(&vr)
	res.Body.Close()
	fmt.Println("verify:", res.StatusCode, vr.Verified, strings.Join(vr.Checks, " "))

	// The LMS endpoint takes the credential itself and reports the EU
	// elements.
	res, _ = http.Post(srv.URL+"/verify", "application/json", bytes.NewReader(issued.VerifiableCredential))
	var rep struct {
		Verified   bool `json:"verified"`
		EUElements struct {
			Workload struct {
				ECTS json.Number `json:"ects"`
			} `json:"workload"`
		} `json:"euElements"`
	}
	_ = json.NewDecoder(res.Body).Decode(&rep)
	res.Body.Close()
	fmt.Println("lms:", res.StatusCode, rep.Verified, rep.EUElements.Workload.ECTS)
	// Output:
	// issue: 201
	// verify: 200 true parse context_and_type schema subject proof key_provenance registry validity eu_profile
	// lms: 200 true 3
}
