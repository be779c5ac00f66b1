package badge_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/microcred/microcred/badge"
	"github.com/microcred/microcred/vc"
	"github.com/microcred/microcred/vc/jwt"
)

// sealJWT returns the credential issued by k as a compact JWS of profile p.
func sealJWT(t testing.TB, k testKey, p jwt.Profile) string {
	t.Helper()
	c, err := vc.Parse(issue(t, k, nil))
	require.NoError(t, err)
	tok, err := jwt.New(jwt.Options{Profile: p}).Seal(context.Background(), c.WithoutProof(), vc.ProofOptions{Signer: k.signer})
	require.NoError(t, err)
	return string(tok)
}

// envelope wraps a data: URL id in an EnvelopedVerifiableCredential.
func envelope(id string) map[string]any {
	return map[string]any{
		"@context": []any{"https://www.w3.org/ns/credentials/v2"},
		"id":       id,
		"type":     "EnvelopedVerifiableCredential",
	}
}

// TestVerifyEnveloped: an EnvelopedVerifiableCredential holding a VC-JOSE
// or VC-JWT token verifies as the token itself; a tampered token fails at
// the proof; a data: URL of another media type, base64, or malformed,
// fails at parse and says why.
func TestVerifyEnveloped(t *testing.T) {
	k := newTestKey(t, 0)
	jose := sealJWT(t, k, jwt.VCJOSE)
	vcjwt := sealJWT(t, k, jwt.VCJWT)
	tampered := jose[:len(jose)-4] + "AAAA"
	v := newVerifier(t, badge.VerifierOptions{})

	for _, tc := range []struct {
		name    string
		in      []byte
		format  string
		fail    string // the check that fails, "" when verified
		message string // in the failing check's message
	}{
		{name: "vc+jwt", in: mustJSON(t, envelope("data:application/vc+jwt,"+jose)), format: "enveloped+jwt"},
		{name: "media type in upper case", in: mustJSON(t, envelope("data:Application/VC+JWT,"+jose)), format: "enveloped+jwt"},
		{name: "application/jwt holding an OB 3.0 VC-JWT", in: mustJSON(t, envelope("data:application/jwt,"+vcjwt)), format: "enveloped+jwt"},
		{name: "vc-ld+jwt", in: mustJSON(t, envelope("data:application/vc-ld+jwt,"+jose)), format: "enveloped+jwt"},
		{name: "type list", in: mustJSON(t, map[string]any{"id": "data:application/vc+jwt," + jose, "type": []any{"EnvelopedVerifiableCredential"}}), format: "enveloped+jwt"},
		{name: "percent-encoded", in: mustJSON(t, envelope("data:application/vc+jwt,"+strings.ReplaceAll(jose, ".", "%2E"))), format: "enveloped+jwt"},
		{name: "JSON string", in: mustJSON(t, jose), format: "jwt"},
		{name: "JSON string with spaces", in: []byte(" \"" + vcjwt + "\"\n"), format: "jwt"},
		{name: "tampered", in: mustJSON(t, envelope("data:application/vc+jwt,"+tampered)), format: "enveloped+jwt", fail: badge.CheckProof},
		{name: "tampered JSON string", in: mustJSON(t, tampered), format: "jwt", fail: badge.CheckProof},
		{name: "wrong media type", in: mustJSON(t, envelope("data:application/json,"+jose)), format: "enveloped+jwt", fail: badge.CheckParse, message: "media type application/json is not supported"},
		{name: "no media type", in: mustJSON(t, envelope("data:,"+jose)), format: "enveloped+jwt", fail: badge.CheckParse, message: "text/plain"},
		{name: "base64", in: mustJSON(t, envelope("data:application/vc+jwt;base64,"+jose)), format: "enveloped+jwt", fail: badge.CheckParse, message: "base64"},
		{name: "no comma", in: mustJSON(t, envelope("data:application/vc+jwt")), format: "enveloped+jwt", fail: badge.CheckParse, message: "malformed data: URL"},
		{name: "not a data URL", in: mustJSON(t, envelope("https://example.org/cred")), format: "enveloped+jwt", fail: badge.CheckParse, message: "not a data: URL"},
		{name: "no id", in: mustJSON(t, map[string]any{"type": "EnvelopedVerifiableCredential"}), format: "enveloped+jwt", fail: badge.CheckParse, message: "/id"},
		{name: "not a JWS", in: mustJSON(t, envelope("data:application/vc+jwt,hello")), format: "enveloped+jwt", fail: badge.CheckParse, message: "compact JWS"},
		{name: "bad escape", in: mustJSON(t, envelope("data:application/vc+jwt,%zz"+jose)), format: "enveloped+jwt", fail: badge.CheckParse, message: "malformed data: URL"},
		{name: "JSON string not a JWS", in: []byte(`"hello"`), format: "jwt", fail: badge.CheckParse, message: "compact JWS"},
		{name: "JSON string unterminated", in: []byte(`"abc.def.ghi`), format: "jwt", fail: badge.CheckParse},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := mustVerify(t, v, tc.in)
			assert.Equal(t, tc.format, rep.Credential.Format)
			if tc.fail == "" {
				assert.True(t, rep.Verified(), summary(rep))
				assert.Equal(t, k.did, rep.Credential.Issuer)
				return
			}
			assert.False(t, rep.Verified())
			c := rep.Check(tc.fail)
			require.NotNil(t, c)
			assert.Equal(t, badge.Failed, c.Outcome, summary(rep))
			assert.Contains(t, c.Message, tc.message)
		})
	}

	// Only the proof selected: the envelope is still opened at parse.
	rep, err := v.VerifyWith(context.Background(), mustJSON(t, envelope("data:application/vc+jwt,"+jose)), badge.VerifyOptions{Checks: []string{"proof"}})
	require.NoError(t, err)
	assert.True(t, rep.Verified(), summary(rep))
	assert.Equal(t, badge.Passed, rep.Check(badge.CheckProof).Outcome)

	// A data: URL longer than a token may be fails at parse.
	long := mustJSON(t, envelope("data:application/vc+jwt,"+strings.Repeat("a", jwt.MaxTokenBytes)))
	rep = mustVerify(t, v, long)
	assert.Equal(t, badge.Failed, rep.Check(badge.CheckParse).Outcome)
}
