package badge_test

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/microcred/microcred/badge"
	"github.com/microcred/microcred/keys"
	"github.com/microcred/microcred/ld"
	"github.com/microcred/microcred/vc"
	"github.com/microcred/microcred/vc/jwt"
)

// jwtVerifyNow is after issueTime, when the test credentials are valid.
var jwtVerifyNow = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

// The test keys of this file, made once: RSA key generation is slow.
var (
	jwtKeysOnce sync.Once
	jwtP256     *ecdsa.PrivateKey
	jwtRSA      *rsa.PrivateKey
	jwtKeysErr  error
)

func jwtTestKeys(t testing.TB) (*ecdsa.PrivateKey, *rsa.PrivateKey) {
	t.Helper()
	jwtKeysOnce.Do(func() {
		if jwtP256, jwtKeysErr = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); jwtKeysErr != nil {
			return
		}
		jwtRSA, jwtKeysErr = rsa.GenerateKey(rand.Reader, 2048)
	})
	require.NoError(t, jwtKeysErr)
	return jwtP256, jwtRSA
}

// demoSigner is the public demo key (keys.DemoIssuerDID, pinned in
// keys.DemoRegistry).
func demoSigner(t testing.TB) keys.Signer {
	t.Helper()
	priv := ed25519.NewKeyFromSeed([]byte("microcred demo key: NOT SECRET!!"))
	did, err := keys.DIDKey(priv.Public())
	require.NoError(t, err)
	require.Equal(t, keys.DemoIssuerDID, did, "the demo seed no longer gives DemoIssuerDID")
	s, err := keys.NewSigner(priv, "")
	require.NoError(t, err)
	return s
}

func newSigner(t testing.TB, key crypto.Signer) keys.Signer {
	t.Helper()
	s, err := keys.NewSigner(key, "")
	require.NoError(t, err)
	return s
}

// jwtIssuer is an Issuer for signer with a fixed clock and the given
// options; the profile id is the key's own DID.
func jwtIssuer(t testing.TB, signer keys.Signer, opts badge.IssuerOptions) *badge.Issuer {
	t.Helper()
	if opts.Now == nil {
		opts.Now = func() time.Time { return issueTime }
	}
	is, err := badge.NewIssuer(signer, badge.Profile{Name: badge.NewText("Example University")}, opts)
	require.NoError(t, err)
	return is
}

// jwtPart decodes the header (0) or payload (1) of a compact JWS.
func jwtPart(t testing.TB, tok []byte, i int) map[string]any {
	t.Helper()
	parts := strings.Split(string(tok), ".")
	require.Len(t, parts, 3, "not a compact JWS: %s", tok)
	b, err := base64.RawURLEncoding.DecodeString(parts[i])
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	return m
}

// TestIssueJWTVerifies: for every key type and both profiles, IssueJWT's
// token opens with vc/jwt and badge.Verifier verifies it; the demo key's
// token passes the demo registry as well.
func TestIssueJWTVerifies(t *testing.T) {
	p256, rsaKey := jwtTestKeys(t)
	p256DID, err := keys.DIDKey(p256.Public())
	require.NoError(t, err)
	p256VM, err := keys.DIDKeyURL(p256.Public())
	require.NoError(t, err)
	rsaDID, err := keys.DIDJWK(rsaKey.Public())
	require.NoError(t, err)
	demoVM := keys.DemoIssuerDID + "#" + strings.TrimPrefix(keys.DemoIssuerDID, "did:key:")

	signers := []struct {
		name     string
		signer   keys.Signer
		alg      string
		did, kid string
		registry keys.Registry
	}{
		{"Ed25519 demo key", demoSigner(t), "EdDSA", keys.DemoIssuerDID, demoVM, keys.DemoRegistry()},
		{"P-256", newSigner(t, p256), "ES256", p256DID, p256VM, nil},
		{"RSA", newSigner(t, rsaKey), "RS256", rsaDID, rsaDID + "#0", nil},
	}
	profiles := []struct {
		profile jwt.Profile
		typ     string
	}{
		{jwt.VCJWT, jwt.TypJWT},
		{jwt.VCJOSE, jwt.TypVCJWT},
	}
	for _, s := range signers {
		for _, p := range profiles {
			t.Run(s.name+"/"+p.profile.String(), func(t *testing.T) {
				ctx := context.Background()
				is := jwtIssuer(t, s.signer, badge.IssuerOptions{})
				require.Equal(t, s.did, is.ID())

				in := unissued()
				before, _ := json.Marshal(in)
				tok, err := is.IssueJWT(ctx, in, p.profile)
				require.NoError(t, err)
				after, _ := json.Marshal(in)
				assert.Equal(t, string(before), string(after), "IssueJWT modified its input")

				h := jwtPart(t, tok, 0)
				assert.Equal(t, s.alg, h["alg"])
				assert.Equal(t, p.typ, h["typ"])
				assert.Equal(t, s.kid, h["kid"])
				assert.NotContains(t, h, "jwk")

				c, res, err := jwt.New(jwt.Options{}).Open(ctx, tok, vc.VerifyProofOptions{Now: jwtVerifyNow})
				require.NoError(t, err)
				assert.Equal(t, s.did, res.Controller)
				assert.Equal(t, s.kid, res.VerificationMethod)
				iss, err := c.Issuer()
				require.NoError(t, err)
				assert.Equal(t, s.did, iss.ID)

				v, err := badge.NewVerifier(badge.VerifierOptions{Registry: s.registry, Now: func() time.Time { return jwtVerifyNow }})
				require.NoError(t, err)
				rep, err := v.Verify(ctx, tok)
				require.NoError(t, err)
				require.True(t, rep.Verified(), "not verified:\n%s", summary(rep))
				assert.Equal(t, "jwt", rep.Credential.Format)
				assert.Equal(t, badge.Passed, rep.Check(badge.CheckProof).Outcome)
				assert.Equal(t, badge.Passed, rep.Check(badge.CheckKeyProvenance).Outcome)
				if s.registry != nil {
					assert.Equal(t, badge.Passed, rep.Check(badge.CheckRegistry).Outcome, rep.Check(badge.CheckRegistry).Message)
				}
			})
		}
	}
}

// TestIssueJWTDefaults: IssueJWT fills in the defaults Issue fills in, and
// the registered claims follow them.
func TestIssueJWTDefaults(t *testing.T) {
	const id = "urn:uuid:8d0f1a5e-3b7c-4e2a-9f61-0c4d2b7e5a13"
	is := jwtIssuer(t, demoSigner(t), badge.IssuerOptions{NewID: func() string { return id }})
	in := unissued()
	in.Type = nil
	tok, err := is.IssueJWT(context.Background(), in, jwt.VCJWT)
	require.NoError(t, err)
	pl := jwtPart(t, tok, 1)
	assert.Equal(t, id, pl["id"])
	assert.Equal(t, id, pl["jti"])
	assert.Equal(t, "2026-03-01T09:30:00Z", pl["validFrom"])
	assert.EqualValues(t, issueTime.Unix(), pl["nbf"])
	assert.Equal(t, keys.DemoIssuerDID, pl["iss"])
	assert.Equal(t, []any{badge.TypeVerifiableCredential, badge.TypeOpenBadgeCredential}, pl["type"])
	iss, _ := pl["issuer"].(map[string]any)
	assert.Equal(t, keys.DemoIssuerDID, iss["id"])
	assert.Equal(t, "Example University", iss["name"])
	assert.NotContains(t, pl, "proof")

	// The credential Issue signs is the one IssueJWT seals.
	signed, err := is.Issue(context.Background(), in)
	require.NoError(t, err)
	var di map[string]any
	require.NoError(t, json.Unmarshal(signed, &di))
	delete(di, "proof")
	for _, claim := range []string{"iss", "jti", "nbf", "exp", "sub"} {
		delete(pl, claim)
	}
	assert.Equal(t, di, pl)
}

// TestIssueJWTSameProblemsAsIssue: a credential Issue refuses, IssueJWT
// refuses with the same problems.
func TestIssueJWTSameProblemsAsIssue(t *testing.T) {
	hookErr := errors.New("not an EU micro-credential")
	cases := []struct {
		name    string
		opts    badge.IssuerOptions
		edit    func(*badge.AchievementCredential)
		sources []string
	}{
		{"OB3 rules", badge.IssuerOptions{}, func(c *badge.AchievementCredential) {
			c.Subject().Achievement.Criteria = &badge.Criteria{}
			c.Subject().Identifier = nil
		}, []string{badge.SourceOB3}},
		{"schema", badge.IssuerOptions{}, func(c *badge.AchievementCredential) {
			c.Subject().Achievement.Description = badge.Text{}
		}, []string{badge.SourceSchema}},
		{"undefined term", badge.IssuerOptions{}, func(c *badge.AchievementCredential) {
			c.Extra = map[string]any{"ECTS": "5"}
		}, []string{badge.SourceJSONLD}},
		{"undefined nested term", badge.IssuerOptions{}, func(c *badge.AchievementCredential) {
			c.Subject().Achievement.Extra = map[string]any{"ects": 5}
		}, []string{badge.SourceJSONLD}},
		{"unknown context", badge.IssuerOptions{}, func(c *badge.AchievementCredential) {
			c.Context = badge.Many[any]{ld.CredentialsV2URL, ld.OB303URL, "https://unknown.example/context.jsonld"}
		}, []string{badge.SourceJSONLD}},
		{"other issuer", badge.IssuerOptions{}, func(c *badge.AchievementCredential) {
			c.Issuer = badge.NewProfileRef("did:web:other.example")
		}, []string{badge.SourceIssuer}},
		{"already signed", badge.IssuerOptions{}, func(c *badge.AchievementCredential) {
			c.Proof = badge.Many[badge.Proof]{{"type": "DataIntegrityProof"}}
		}, []string{badge.SourceIssuer}},
		{"every step", badge.IssuerOptions{Validate: func(*badge.AchievementCredential) error { return hookErr }}, func(c *badge.AchievementCredential) {
			c.Subject().Achievement.Criteria = &badge.Criteria{}
			c.Subject().Achievement.Description = badge.Text{}
			c.Extra = map[string]any{"ECTS": "5"}
		}, []string{badge.SourceOB3, badge.SourceSchema, badge.SourceProfile, badge.SourceJSONLD}},
	}
	ctx := context.Background()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			is := jwtIssuer(t, demoSigner(t), tc.opts)
			in := unissued()
			tc.edit(in)

			_, diErr := is.Issue(ctx, in)
			var diIE *badge.IssueError
			require.ErrorAs(t, diErr, &diIE)

			for _, profile := range []jwt.Profile{jwt.VCJWT, jwt.VCJOSE} {
				tok, err := is.IssueJWT(ctx, in, profile)
				assert.Nil(t, tok)
				var ie *badge.IssueError
				require.ErrorAs(t, err, &ie)
				require.Len(t, ie.Problems, len(diIE.Problems), "%+v\n%+v", ie.Problems, diIE.Problems)
				for i, p := range ie.Problems {
					want := diIE.Problems[i]
					assert.Equal(t, want.Source, p.Source)
					assert.Equal(t, want.Pointer, p.Pointer)
					assert.Equal(t, want.Rule, p.Rule)
					if p.Pointer == "/proof" {
						assert.Contains(t, p.Message, "IssueJWT signs unsigned credentials")
					} else {
						assert.Equal(t, want.Message, p.Message)
					}
				}
				for _, src := range tc.sources {
					assert.NotEmpty(t, ie.BySource(src), "no %s problem: %+v", src, ie.Problems)
				}
				assert.Equal(t, errors.Is(diErr, hookErr), errors.Is(err, hookErr))
			}
		})
	}
}

// TestIssueJWTUndefinedTerm: a JWT carries no Data Integrity proof, but
// its credential is JSON-LD: a term no context defines is refused.
func TestIssueJWTUndefinedTerm(t *testing.T) {
	is := jwtIssuer(t, demoSigner(t), badge.IssuerOptions{})
	in := unissued()
	in.Extra = map[string]any{"ECTS": "5"}
	_, err := is.IssueJWT(context.Background(), in, jwt.VCJWT)
	var ie *badge.IssueError
	require.ErrorAs(t, err, &ie)
	require.Len(t, ie.Problems, 1)
	assert.Equal(t, badge.SourceJSONLD, ie.Problems[0].Source)
	assert.Equal(t, "/ECTS", ie.Problems[0].Pointer)
	var sm *ld.SafeModeError
	require.ErrorAs(t, err, &sm)
	assert.Equal(t, "/ECTS", sm.Path)
}

// TestIssueJWTRefusesSigned: a credential with a proof is not sealed.
func TestIssueJWTRefusesSigned(t *testing.T) {
	p256, _ := jwtTestKeys(t)
	is := jwtIssuer(t, newSigner(t, p256), badge.IssuerOptions{})
	in := unissued()
	in.Proof = badge.Many[badge.Proof]{{"type": "DataIntegrityProof"}}
	_, err := is.IssueJWT(context.Background(), in, jwt.VCJOSE)
	var ie *badge.IssueError
	require.ErrorAs(t, err, &ie)
	ps := ie.BySource(badge.SourceIssuer)
	require.Len(t, ps, 1)
	assert.Equal(t, "/proof", ps[0].Pointer)
}

// TestIssueNeedsEd25519: with a P-256 or RSA signer, the Data Integrity
// methods fail with ErrNeedsEd25519 (not an *IssueError: the credential
// is not the problem), and IssueJWT works.
func TestIssueNeedsEd25519(t *testing.T) {
	p256, rsaKey := jwtTestKeys(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		key  crypto.Signer
		alg  string
	}{
		{"P-256", p256, "ES256"},
		{"RSA", rsaKey, "RS256"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			is := jwtIssuer(t, newSigner(t, tc.key), badge.IssuerOptions{})

			out, err := is.Issue(ctx, unissued())
			assert.Nil(t, out)
			require.ErrorIs(t, err, badge.ErrNeedsEd25519)
			assert.Contains(t, err.Error(), "IssueJWT")
			assert.Contains(t, err.Error(), tc.alg)
			var ie *badge.IssueError
			assert.False(t, errors.As(err, &ie), "ErrNeedsEd25519 is not an *IssueError")

			m, err := is.IssueMap(ctx, unissued())
			assert.Nil(t, m)
			assert.ErrorIs(t, err, badge.ErrNeedsEd25519)

			outs, errs := is.IssueBatch(ctx, []*badge.AchievementCredential{unissued(), unissued()})
			for i := range outs {
				assert.Nil(t, outs[i])
				assert.ErrorIs(t, errs[i], badge.ErrNeedsEd25519)
			}

			tok, err := is.IssueJWT(ctx, unissued(), jwt.VCJWT)
			require.NoError(t, err)
			assert.Equal(t, tc.alg, jwtPart(t, tok, 0)["alg"])
		})
	}
}

// fakeSigner signs with an algorithm VC-JWT does not seal.
type fakeSigner struct{ keys.Signer }

func (fakeSigner) Algorithm() keys.Algorithm { return "PS256" }

// TestNewIssuerKeyTypes: the issuer id and verification method NewIssuer
// chooses for each key type, and the signers it refuses.
func TestNewIssuerKeyTypes(t *testing.T) {
	p256, rsaKey := jwtTestKeys(t)
	p256DID, _ := keys.DIDKey(p256.Public())
	p256VM, _ := keys.DIDKeyURL(p256.Public())
	p256JWK, _ := keys.DIDJWK(p256.Public())
	rsaDID, _ := keys.DIDJWK(rsaKey.Public())
	otherJWK, _ := keys.DIDJWK(p256.Public()) // a did:jwk of another key

	cases := []struct {
		name    string
		key     crypto.Signer
		vm      string
		id      string
		wantID  string
		wantKid string
		wantErr string
	}{
		{name: "P-256: its did:key", key: p256, wantID: p256DID, wantKid: p256VM},
		{name: "P-256: its did:jwk", key: p256, id: p256JWK, wantID: p256JWK, wantKid: p256JWK + "#0"},
		{name: "RSA: its did:jwk", key: rsaKey, wantID: rsaDID, wantKid: rsaDID + "#0"},
		{name: "RSA: did:jwk method given", key: rsaKey, vm: rsaDID + "#0", wantID: rsaDID, wantKid: rsaDID + "#0"},
		{name: "RSA: did:web method", key: rsaKey, vm: "did:web:example.edu#key-1", id: "did:web:example.edu", wantID: "did:web:example.edu", wantKid: "did:web:example.edu#key-1"},
		{name: "RSA: no method for a did:web issuer", key: rsaKey, id: "did:web:example.edu", wantErr: "no verification method"},
		{name: "RSA: did:jwk method of another key", key: rsaKey, vm: otherJWK + "#0", wantErr: "not the signer's key"},
		{name: "RSA: did:jwk method under another issuer", key: rsaKey, vm: rsaDID + "#0", id: "did:web:example.edu", wantErr: "would not verify"},
		{name: "P-256: did:key method under another issuer", key: p256, vm: p256VM, id: "did:web:example.edu", wantErr: "would not verify"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, err := keys.NewSigner(tc.key, tc.vm)
			require.NoError(t, err)
			is, err := badge.NewIssuer(s, badge.Profile{ID: tc.id, Name: badge.NewText("X")}, badge.IssuerOptions{Now: func() time.Time { return issueTime }})
			if tc.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.wantID, is.ID())
			tok, err := is.IssueJWT(context.Background(), unissued(), jwt.VCJWT)
			require.NoError(t, err)
			assert.Equal(t, tc.wantKid, jwtPart(t, tok, 0)["kid"])
			assert.Equal(t, tc.wantID, jwtPart(t, tok, 1)["iss"])
		})
	}

	// P-384 (ES384): the key's did:key if keys has one for it, else its
	// did:jwk.
	p384, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	require.NoError(t, err)
	wantID, wantKid := "", ""
	if did, err := keys.DIDKey(p384.Public()); err == nil {
		wantID = did
		wantKid, _ = keys.DIDKeyURL(p384.Public())
	} else {
		wantID, _ = keys.DIDJWK(p384.Public())
		wantKid = wantID + "#0"
	}
	is := jwtIssuer(t, newSigner(t, p384), badge.IssuerOptions{})
	assert.Equal(t, wantID, is.ID())
	tok, err := is.IssueJWT(context.Background(), unissued(), jwt.VCJWT)
	require.NoError(t, err)
	assert.Equal(t, "ES384", jwtPart(t, tok, 0)["alg"])
	assert.Equal(t, wantKid, jwtPart(t, tok, 0)["kid"])
	_, _, err = jwt.New(jwt.Options{Algorithms: []keys.Algorithm{keys.ES384}}).Open(context.Background(), tok, vc.VerifyProofOptions{Now: jwtVerifyNow})
	assert.NoError(t, err)

	// An algorithm VC-JWT does not seal.
	_, err = badge.NewIssuer(fakeSigner{newSigner(t, p256)}, badge.Profile{}, badge.IssuerOptions{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "PS256")
}

// TestIssueJWTOtherErrors: errors that are not about the credential are
// not *IssueError.
func TestIssueJWTOtherErrors(t *testing.T) {
	is := jwtIssuer(t, demoSigner(t), badge.IssuerOptions{})
	var ie *badge.IssueError

	_, err := is.IssueJWT(context.Background(), unissued(), jwt.Profile(7))
	require.Error(t, err)
	assert.False(t, errors.As(err, &ie))
	assert.Contains(t, err.Error(), "profile")

	_, err = is.IssueJWT(context.Background(), nil, jwt.VCJWT)
	require.Error(t, err)
	assert.False(t, errors.As(err, &ie))

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = is.IssueJWT(ctx, unissued(), jwt.VCJWT)
	assert.ErrorIs(t, err, context.Canceled)
}
