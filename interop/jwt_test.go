package interop

import (
	"bytes"
	"context"
	"crypto"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/microcred/microcred/keys"
	"github.com/microcred/microcred/vc"
	"github.com/microcred/microcred/vc/jwt"
)

// needJose is needNode plus the `jose` npm package.
func needJose(t *testing.T) string {
	t.Helper()
	node := needNode(t)
	if _, err := os.Stat("js/node_modules/jose"); err != nil {
		if os.Getenv("MICROCRED_INTEROP") == "require" {
			t.Fatalf("interop: interop/js/node_modules/jose is required (run npm ci --prefix interop/js): %v", err)
		}
		t.Skipf("interop: skipped, interop/js/node_modules/jose missing (npm ci --prefix interop/js): %v", err)
	}
	return node
}

type jwtKey struct {
	alg     string
	signer  keys.Signer
	kid     string // verification method URL
	did     string // the issuer
	pubJWK  *keys.JWK
	privJWK *keys.JWK
}

// jwtKeys returns one key per algorithm: Ed25519 (from edSeed) and P-256 as
// did:key, RSA as did:jwk (did:key has no RSA form).
func jwtKeys(t *testing.T, edSeed []byte) []jwtKey {
	ed, err := keys.Ed25519FromSeed(edSeed)
	require.NoError(t, err)
	p256, err := keys.GenerateECDSA(elliptic.P256())
	require.NoError(t, err)
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)

	var out []jwtKey
	for _, k := range []struct {
		alg    string
		priv   crypto.Signer
		didJWK bool
	}{{"EdDSA", ed, false}, {"ES256", p256, false}, {"RS256", rsaKey, true}} {
		var did, kid string
		if k.didJWK {
			did, err = keys.DIDJWK(k.priv.Public())
			require.NoError(t, err)
			kid = did + "#0"
		} else {
			did, err = keys.DIDKey(k.priv.Public())
			require.NoError(t, err)
			kid, err = keys.DIDKeyURL(k.priv.Public())
			require.NoError(t, err)
		}
		s, err := keys.NewSigner(k.priv, kid)
		require.NoError(t, err)
		pub, err := keys.PublicJWK(k.priv.Public())
		require.NoError(t, err)
		priv, err := keys.PrivateJWK(k.priv)
		require.NoError(t, err)
		out = append(out, jwtKey{alg: k.alg, signer: s, kid: kid, did: did, pubJWK: pub, privJWK: priv})
	}
	return out
}

func realistic(t *testing.T, did string) map[string]any {
	b, err := os.ReadFile("../ld/testdata/canon-edges/ob-realistic-safe.json")
	require.NoError(t, err)
	m := decode(t, b)
	delete(m, "proof")
	switch iss := m["issuer"].(type) {
	case map[string]any:
		iss["id"] = did
	default:
		m["issuer"] = did
	}
	return m
}

// jwsPayload decodes the payload of a compact JWS (numbers as float64).
func jwsPayload(t *testing.T, jws string) map[string]any {
	parts := strings.Split(jws, ".")
	require.Len(t, parts, 3)
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	return m
}

func jsVerify(t *testing.T, node, jws string, jwk *keys.JWK, algs ...string) (map[string]any, int) {
	in, err := json.Marshal(map[string]any{"jws": jws, "jwk": jwk, "algorithms": algs})
	require.NoError(t, err)
	out, code := runJS(t, node, "jwt-verify.mjs", in)
	return decode(t, out), code
}

func jsSign(t *testing.T, node string, in map[string]any) string {
	b, err := json.Marshal(in)
	require.NoError(t, err)
	out, code := runJS(t, node, "jwt-sign.mjs", b)
	require.Equal(t, 0, code, "JS jwt-sign: %s", out)
	return string(out)
}

var profiles = []struct {
	name    string
	profile jwt.Profile
	typ     string
}{{"vc-jwt", jwt.VCJWT, "JWT"}, {"vc+jwt", jwt.VCJOSE, "vc+jwt"}}

var jwtNow = time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)

// TestGoSealsJoseVerifies: a JWT microcred issues verifies with jose, with
// the issuer's public JWK and a one-algorithm allow-list; a tampered payload,
// a wrong key or another algorithm on the allow-list do not.
func TestGoSealsJoseVerifies(t *testing.T) {
	node := needJose(t)
	ks := jwtKeys(t, seed)
	others := jwtKeys(t, bytes.Repeat([]byte{0x43}, 32)) // same types, other keys
	for i, k := range ks {
		for _, p := range profiles {
			t.Run(k.alg+"/"+p.name, func(t *testing.T) {
				ctx := context.Background()
				cred := realistic(t, k.did)
				tok, err := jwt.New(jwt.Options{Profile: p.profile}).Seal(ctx, cred, vc.ProofOptions{Signer: k.signer, VerificationMethod: k.kid})
				require.NoError(t, err)
				jws := string(tok)

				res, code := jsVerify(t, node, jws, k.pubJWK, k.alg)
				require.Equal(t, 0, code, "jose verify: %v", res)
				assert.Equal(t, true, res["verified"])
				hdr := res["header"].(map[string]any)
				assert.Equal(t, k.alg, hdr["alg"])
				assert.Equal(t, k.kid, hdr["kid"])
				assert.Equal(t, p.typ, hdr["typ"])
				pl := res["payload"].(map[string]any)
				assert.Equal(t, cred["name"], pl["name"])
				// Seal writes the registered claims in both profiles.
				{
					assert.Equal(t, k.did, pl["iss"])
					assert.Equal(t, cred["id"], pl["jti"])
					assert.Equal(t, "did:example:learner-7f3c2a", pl["sub"])
					assert.Equal(t, json.Number("1710495000"), pl["nbf"]) // 2024-03-15T09:30:00Z
					assert.Equal(t, json.Number("1868261400"), pl["exp"]) // 2029-03-15T09:30:00Z
				}

				// Tampered payload, original signature.
				parts := strings.Split(jws, ".")
				m := jwsPayload(t, jws)
				m["name"] = "tampered"
				b, err := json.Marshal(m)
				require.NoError(t, err)
				bad := parts[0] + "." + base64.RawURLEncoding.EncodeToString(b) + "." + parts[2]
				res, code = jsVerify(t, node, bad, k.pubJWK, k.alg)
				assert.Equal(t, 1, code, "jose must reject a tampered payload: %v", res)
				assert.Equal(t, false, res["verified"])
				t.Logf("jose, tampered: %v", res["error"])

				// Algorithm not on jose's allow-list.
				other := "ES256"
				if k.alg == "ES256" {
					other = "EdDSA"
				}
				res, code = jsVerify(t, node, jws, k.pubJWK, other)
				assert.Equal(t, 1, code, "jose must reject an alg off the allow-list: %v", res)
				t.Logf("jose, alg off the allow-list: %v", res["error"])
				// Someone else's key of the same type.
				res, code = jsVerify(t, node, jws, others[i].pubJWK, k.alg)
				assert.Equal(t, 1, code, "jose must reject with another key: %v", res)
				t.Logf("jose, another key: %v", res["error"])
			})
		}
	}
}

// TestJoseSignsGoOpens: a JWT jose signs (claims as our Seal writes them)
// opens with microcred, the kid resolving through did:key / did:jwk, and the
// claim cross-checks pass; tokens with alg none or HS256, or a tampered
// payload, are rejected.
func TestJoseSignsGoOpens(t *testing.T) {
	node := needJose(t)
	ctx := context.Background()
	others := jwtKeys(t, bytes.Repeat([]byte{0x43}, 32)) // same types, other keys
	for i, k := range jwtKeys(t, seed) {
		for _, p := range profiles {
			t.Run(k.alg+"/"+p.name, func(t *testing.T) {
				cred := realistic(t, k.did)
				jws := jsSign(t, node, map[string]any{"credential": cred, "jwk": k.privJWK, "kid": k.kid, "alg": k.alg, "typ": p.typ})

				// Signed by another key of the same type under our kid.
				forged := jsSign(t, node, map[string]any{"credential": cred, "jwk": others[i].privJWK, "kid": k.kid, "alg": k.alg, "typ": p.typ})
				_, _, err := jwt.New(jwt.Options{}).Open(ctx, []byte(forged), vc.VerifyProofOptions{Now: jwtNow})
				assert.ErrorIs(t, err, jwt.ErrSignature, "Go must reject a token signed by another key")
				t.Logf("Go, another key: %v", err)

				// jose writes the payload our Seal would write (for vc+jwt
				// jwt-sign leaves the claims out; Seal adds them there too).
				ours, err := jwt.New(jwt.Options{Profile: p.profile}).Seal(ctx, cred, vc.ProofOptions{Signer: k.signer, VerificationMethod: k.kid})
				require.NoError(t, err)
				want := jwsPayload(t, string(ours))
				if p.profile == jwt.VCJOSE {
					for _, c := range []string{"iss", "jti", "nbf", "exp", "sub"} {
						delete(want, c)
					}
				}
				assert.Equal(t, want, jwsPayload(t, jws), "payload differs from Seal's")

				got, pr, err := jwt.New(jwt.Options{}).Open(ctx, []byte(jws), vc.VerifyProofOptions{Now: jwtNow})
				require.NoError(t, err, "Go must open jose's token")
				assert.Equal(t, k.kid, pr.VerificationMethod)
				assert.Equal(t, k.did, pr.Controller)
				iss, err := got.Issuer()
				require.NoError(t, err)
				assert.Equal(t, k.did, iss.ID)
				assert.Equal(t, cred["id"], got.ID())
				from, ok, err := got.ValidFrom()
				require.NoError(t, err)
				require.True(t, ok)
				assert.Equal(t, int64(1710495000), from.Unix())
				subs, err := got.Subjects()
				require.NoError(t, err)
				require.Len(t, subs, 1)
				assert.Equal(t, "did:example:learner-7f3c2a", subs[0].ID)
				for _, c := range []string{"iss", "jti", "nbf", "exp", "sub"} {
					assert.NotContains(t, got.Document(), c, "registered claim left in the credential")
				}

				// Tampered payload.
				parts := strings.Split(jws, ".")
				m := jwsPayload(t, jws)
				m["name"] = "tampered"
				b, err := json.Marshal(m)
				require.NoError(t, err)
				_, _, err = jwt.New(jwt.Options{}).Open(ctx, []byte(parts[0]+"."+base64.RawURLEncoding.EncodeToString(b)+"."+parts[2]), vc.VerifyProofOptions{Now: jwtNow})
				assert.ErrorIs(t, err, jwt.ErrSignature, "Go must reject a tampered payload")
				t.Logf("Go, tampered: %v", err)

				// A claim that disagrees with the credential (jose-signed,
				// so only the cross-check can catch it).
				if p.profile == jwt.VCJWT {
					for claim, v := range map[string]any{"iss": "did:example:other", "jti": "urn:uuid:other", "nbf": 1710495001, "sub": "did:example:other"} {
						bad := jsSign(t, node, map[string]any{"credential": cred, "jwk": k.privJWK, "kid": k.kid, "alg": k.alg, "typ": p.typ, "claims": map[string]any{claim: v}})
						_, _, err = jwt.New(jwt.Options{}).Open(ctx, []byte(bad), vc.VerifyProofOptions{Now: jwtNow})
						assert.ErrorIs(t, err, jwt.ErrClaimMismatch, "Go must reject a %s claim that disagrees with the credential", claim)
						t.Logf("Go, %s disagrees: %v", claim, err)
					}
				}

				// alg none and HS256 (secret: the public JWK, the classic
				// key-confusion attack).
				pubJSON, err := json.Marshal(k.pubJWK)
				require.NoError(t, err)
				for _, alg := range []string{"none", "HS256"} {
					tok := jsSign(t, node, map[string]any{"credential": cred, "kid": k.kid, "alg": alg, "typ": p.typ, "secret": string(pubJSON)})
					_, _, err := jwt.New(jwt.Options{}).Open(ctx, []byte(tok), vc.VerifyProofOptions{Now: jwtNow})
					assert.ErrorIs(t, err, jwt.ErrAlgorithm, "Go must reject alg %s", alg)
					t.Logf("Go, alg %s: %v", alg, err)
				}
			})
		}
	}
}
