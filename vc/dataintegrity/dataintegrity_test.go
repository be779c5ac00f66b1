package dataintegrity

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/microcred/microcred/keys"
	"github.com/microcred/microcred/ld"
)

const vectors = "../../testdata/w3c/w3c-vc-di-eddsa/TestVectors/"

func readJSON(tb testing.TB, path string) map[string]any {
	tb.Helper()
	b, err := os.ReadFile(path)
	require.NoError(tb, err)
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var m map[string]any
	require.NoError(tb, dec.Decode(&m))
	return m
}

func readText(tb testing.TB, path string) string {
	tb.Helper()
	b, err := os.ReadFile(path)
	require.NoError(tb, err)
	return strings.TrimSpace(string(b))
}

// vectorKey returns the W3C test key pair as a signer for vm.
func vectorKey(tb testing.TB, path, vm string) keys.Signer {
	tb.Helper()
	kp := readJSON(tb, path)
	sk := kp["privateKeyMultibase"]
	if sk == nil {
		sk = kp["secretKeyMultibase"]
	}
	priv, err := keys.ParsePrivateMultikey(sk.(string))
	require.NoError(tb, err)
	s, err := keys.NewSigner(priv, vm)
	require.NoError(tb, err)
	return s
}

// fragmentResolver is a TEST-ONLY resolver that takes an Ed25519 key from
// the multibase fragment of any verification method URL, the way the
// 1EdTech validator does. Production code must never do this: it lets
// anyone sign as any HTTPS issuer (see threat_model.md).
type fragmentResolver struct{}

func (fragmentResolver) Resolve(ctx context.Context, vm string) (*keys.VerificationMethod, error) {
	if strings.HasPrefix(vm, "did:key:") {
		return keys.DIDKeyResolver{}.Resolve(ctx, vm)
	}
	i := strings.LastIndexByte(vm, '#')
	if i < 0 {
		return nil, errors.New("no fragment")
	}
	pub, err := keys.ParseMultikey(vm[i+1:])
	if err != nil {
		return nil, err
	}
	return &keys.VerificationMethod{ID: vm, Type: keys.TypeMultikey, Controller: vm[:i], PublicKey: pub,
		Relationships: []keys.Relationship{keys.AssertionMethod}}, nil
}

// TestW3CVectors re-creates the W3C vc-di-eddsa eddsa-rdfc-2022 vectors step
// by step: canonical document, canonical proof configuration, both hashes
// and the signature, byte for byte (Ed25519 is deterministic).
func TestW3CVectors(t *testing.T) {
	for _, dir := range []string{"eddsa-rdfc-2022", "eddsa-rdfc-2022/employ"} {
		t.Run(dir, func(t *testing.T) {
			d := vectors + dir + "/"
			signed := readJSON(t, d+"signedDataInt.json")
			cfg := readJSON(t, d+"proofConfigDataInt.json")
			keyFile := vectors + "keyPair.json"
			signer := vectorKey(t, keyFile, cfg["verificationMethod"].(string))
			unsigned := readJSON(t, d+"signedDataInt.json")
			delete(unsigned, "proof")

			canonDoc, err := ld.Canonicalize(context.Background(), unsigned, nil)
			require.NoError(t, err)
			assert.Equal(t, readText(t, d+"canonDocDataInt.txt"), strings.TrimSpace(string(canonDoc)))
			canonProof, err := ld.Canonicalize(context.Background(), cfg, nil)
			require.NoError(t, err)
			assert.Equal(t, readText(t, d+"proofCanonDataInt.txt"), strings.TrimSpace(string(canonProof)))
			h := hashData(canonProof, canonDoc)
			assert.Equal(t, readText(t, d+"proofHashDataInt.txt"), hex.EncodeToString(h[:32]))
			assert.Equal(t, readText(t, d+"docHashDataInt.txt"), hex.EncodeToString(h[32:]))
			assert.Equal(t, readText(t, d+"combinedHashDataInt.txt"), hex.EncodeToString(h))

			created, err := time.Parse(time.RFC3339, cfg["created"].(string))
			require.NoError(t, err)
			out, err := AddProof(context.Background(), unsigned, signer, SignOptions{Created: created})
			require.NoError(t, err)
			assert.Equal(t, signed["proof"], out["proof"], "same proof, same proofValue")
			assert.Equal(t, readText(t, d+"sigBTC58DataInt.txt"), out["proof"].(map[string]any)["proofValue"])

			res, err := Verify(context.Background(), signed, VerifyOptions{Resolver: keys.DIDKeyResolver{}})
			require.NoError(t, err)
			require.Len(t, res, 1)
			assert.True(t, res[0].Verified, "%v", res[0].Err)
			assert.Equal(t, readText(t, d+"docHashDataInt.txt"), res[0].DocumentHash)
		})
	}
}

// TestEd25519Signature2020Vector verifies the W3C Ed25519Signature2020 vector
// and its intermediate values.
func TestEd25519Signature2020Vector(t *testing.T) {
	d := vectors + "Ed25519Signature2020/"
	signed := readJSON(t, d+"signedEdSig.json")
	res, err := Verify(context.Background(), signed, VerifyOptions{Resolver: keys.DIDKeyResolver{}})
	require.NoError(t, err)
	require.Len(t, res, 1)
	assert.True(t, res[0].Verified, "%v", res[0].Err)
	assert.Equal(t, TypeEd25519Signature2020, res[0].Type)
	assert.Equal(t, readText(t, d+"canonDocEdSig.txt"), strings.TrimSpace(res[0].CanonicalDocument))
	assert.Equal(t, readText(t, d+"proofCanonEdSig.txt"), strings.TrimSpace(res[0].CanonicalProof))
	assert.Equal(t, readText(t, d+"docHashEdSig.txt"), res[0].DocumentHash)
	assert.Equal(t, readText(t, d+"proofHashEdSig.txt"), res[0].ProofHash)
}

// TestProofSetsAndChains verifies the W3C proof-set vectors (independent
// proofs on one document) and proof-chain vectors (a proof that also signs
// the proofs named by previousProof).
func TestProofSetsAndChains(t *testing.T) {
	for _, f := range []string{"signedProofSet1.json", "signedProofSet2.json", "signedProofChain1.json", "signedProofChain2.json"} {
		t.Run(f, func(t *testing.T) {
			signed := readJSON(t, vectors+"proof-set-chain/"+f)
			res, err := Verify(context.Background(), signed, VerifyOptions{Resolver: keys.DIDKeyResolver{}})
			require.NoError(t, err)
			require.NotEmpty(t, res)
			for _, r := range res {
				assert.True(t, r.Verified, "proof %d: %v", r.Index, r.Err)
			}
		})
	}
}

// TestOB3Vector re-creates the Open Badges 3.0 eddsa-rdfc-2022 test vector
// from the specification byte for byte.
func TestOB3Vector(t *testing.T) {
	const d = "../../testdata/ob3/spec/impl-linked-data-proof-ob--"
	cred := readJSON(t, d+"credential.json")
	proof := readJSON(t, d+"proof.json")
	signedWant := readJSON(t, d+"signed-credential.json")
	kp := readJSON(t, d+"test-keypair.json")

	canonDoc, err := ld.Canonicalize(context.Background(), cred, nil)
	require.NoError(t, err)
	want, err := os.ReadFile(d + "document-canon.nq")
	require.NoError(t, err)
	assert.Equal(t, strings.TrimSpace(string(want)), strings.TrimSpace(string(canonDoc)))

	vm := proof["verificationMethod"].(string)
	sk, _ := kp["secretKeyMultibase"].(string)
	if sk == "" {
		sk, _ = kp["privateKeyMultibase"].(string)
	}
	priv, err := keys.ParsePrivateMultikey(sk)
	require.NoError(t, err)
	signer, err := keys.NewSigner(priv, vm)
	require.NoError(t, err)
	created, _ := time.Parse(time.RFC3339, proof["created"].(string))
	out, err := AddProof(context.Background(), cred, signer, SignOptions{Created: created})
	require.NoError(t, err)
	gotProof := out["proof"].(map[string]any)
	assert.Equal(t, proof["proofValue"], gotProof["proofValue"])

	// Verify the published signed credential with the key pinned for its
	// HTTPS verification method.
	pub := priv.Public().(ed25519.PublicKey)
	pinned, err := keys.NewStaticResolver(&keys.VerificationMethod{ID: vm, Type: keys.TypeMultikey,
		Controller: strings.Split(vm, "#")[0], PublicKey: pub, Relationships: []keys.Relationship{keys.AssertionMethod}})
	require.NoError(t, err)
	res, err := Verify(context.Background(), signedWant, VerifyOptions{Resolver: pinned})
	require.NoError(t, err)
	assert.True(t, res[0].Verified, "%v", res[0].Err)
	pc, err := os.ReadFile(d + "proof-canon.nq")
	require.NoError(t, err)
	assert.Equal(t, strings.TrimSpace(string(pc)), strings.TrimSpace(res[0].CanonicalProof))
}

// TestValidatorCases runs every JSON fixture of the 1EdTech validator whose
// independent signature check is known: "sig OK" must verify at the proof
// level (with a test resolver that takes keys from URL fragments, as the
// fixtures expect), "sig INVALID" must not.
func TestValidatorCases(t *testing.T) {
	const dir = "../../testdata/ob3/validator-cases/"
	var cases struct {
		Cases map[string]struct {
			Sig string `json:"independentSignatureCheck"`
		} `json:"cases"`
	}
	b, err := os.ReadFile(dir + "cases.json")
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &cases))
	var ok, invalid int
	for name, c := range cases.Cases {
		if !strings.HasSuffix(name, ".json") && !strings.HasSuffix(name, ".1ob") && !strings.HasSuffix(name, "testlist") {
			continue
		}
		wantOK := strings.Contains(c.Sig, "sig OK")
		wantBad := strings.HasPrefix(c.Sig, "sig INVALID")
		if !wantOK && !wantBad {
			continue
		}
		t.Run(name, func(t *testing.T) {
			doc := readJSON(t, filepath.Join(dir, "ob30", name))
			res, err := Verify(context.Background(), doc, VerifyOptions{Resolver: fragmentResolver{}, Now: time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)})
			require.NoError(t, err)
			anyOK := false
			var errs []string
			for _, r := range res {
				if r.Verified {
					anyOK = true
				} else {
					errs = append(errs, r.Err.Error())
				}
			}
			if wantOK {
				ok++
				assert.True(t, anyOK, "%s: want a valid proof: %v", c.Sig, errs)
			} else {
				invalid++
				assert.False(t, anyOK, "%s: no proof may verify", c.Sig)
			}
		})
	}
	t.Logf("validator fixtures: %d with a valid proof, %d with no valid proof", ok, invalid)
	assert.Equal(t, 18, ok)
	assert.Equal(t, 14, invalid)
}

func demoSigner(t testing.TB) (keys.Signer, string) {
	priv := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, 32))
	did, err := keys.DIDKey(priv.Public())
	require.NoError(t, err)
	vm, err := keys.DIDKeyURL(priv.Public())
	require.NoError(t, err)
	s, err := keys.NewSigner(priv, vm)
	require.NoError(t, err)
	return s, did
}

func TestSignVerifyAndTamper(t *testing.T) {
	signer, did := demoSigner(t)
	doc := readJSON(t, "../../ld/testdata/canon-edges/ob-realistic-safe.json")
	doc["issuer"].(map[string]any)["id"] = did
	delete(doc, "proof")
	ctx := context.Background()
	signed, err := AddProof(ctx, doc, signer, SignOptions{})
	require.NoError(t, err)
	_, had := doc["proof"]
	assert.False(t, had, "input not modified")

	opts := VerifyOptions{Resolver: keys.DIDKeyResolver{}}
	res, err := Verify(ctx, signed, opts)
	require.NoError(t, err)
	require.True(t, res[0].Verified, "%v", res[0].Err)
	assert.Equal(t, did, res[0].Method.Controller)

	// A second proof makes a proof set; both verify.
	signer2, _ := demoSigner(t)
	both, err := AddProof(ctx, signed, signer2, SignOptions{Created: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)})
	require.NoError(t, err)
	res, err = Verify(ctx, both, opts)
	require.NoError(t, err)
	require.Len(t, res, 2)
	assert.True(t, res[0].Verified && res[1].Verified)

	tamper := func(name string, f func(m map[string]any), reason string) {
		t.Run(name, func(t *testing.T) {
			m := readJSONBytes(t, signed)
			f(m)
			res, err := Verify(ctx, m, opts)
			if err != nil {
				assert.Contains(t, err.Error(), reason)
				return
			}
			assert.False(t, res[0].Verified)
			assert.Contains(t, res[0].Err.Error(), reason)
		})
	}
	proof := func(m map[string]any) map[string]any { return m["proof"].(map[string]any) }
	tamper("name", func(m map[string]any) { m["name"] = "Other" }, "signature does not verify")
	tamper("created", func(m map[string]any) { proof(m)["created"] = "2020-01-01T00:00:00Z" }, "signature does not verify")
	tamper("purpose", func(m map[string]any) { proof(m)["proofPurpose"] = "authentication" }, "proofPurpose")
	tamper("cryptosuite", func(m map[string]any) { proof(m)["cryptosuite"] = "ecdsa-rdfc-2019" }, "not supported")
	tamper("proofValue encoding", func(m map[string]any) { proof(m)["proofValue"] = "u" + proof(m)["proofValue"].(string)[1:] }, "base58btc")
	tamper("proofValue short", func(m map[string]any) { proof(m)["proofValue"] = "z3yMApq" }, "Ed25519 signature")
	tamper("undefined term", func(m map[string]any) { m["ECTS"] = 5 }, "not defined by any context")
	tamper("no proof", func(m map[string]any) { delete(m, "proof") }, "no proof")
	tamper("other key", func(m map[string]any) {
		other, _ := keys.DIDKeyURL(ed25519.NewKeyFromSeed(bytes.Repeat([]byte{9}, 32)).Public())
		proof(m)["verificationMethod"] = other
	}, "signature does not verify")
	tamper("expired proof", func(m map[string]any) { proof(m)["expires"] = "2020-01-01T00:00:00Z" }, "expired")
}

func readJSONBytes(t *testing.T, m map[string]any) map[string]any {
	b, err := json.Marshal(m)
	require.NoError(t, err)
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var out map[string]any
	require.NoError(t, dec.Decode(&out))
	return out
}

func TestProofChain(t *testing.T) {
	signer, did := demoSigner(t)
	doc := readJSON(t, "../../testdata/ob3/validator-cases/ob30/simple.json")
	delete(doc, "proof")
	doc["issuer"].(map[string]any)["id"] = did
	ctx := context.Background()
	first, err := AddProof(ctx, doc, signer, SignOptions{ID: "urn:uuid:proof-1"})
	require.NoError(t, err)
	chained, err := AddProof(ctx, first, signer, SignOptions{ID: "urn:uuid:proof-2", PreviousProof: []string{"urn:uuid:proof-1"}})
	require.NoError(t, err)
	res, err := Verify(ctx, chained, VerifyOptions{Resolver: keys.DIDKeyResolver{}})
	require.NoError(t, err)
	require.Len(t, res, 2)
	assert.True(t, res[0].Verified && res[1].Verified, "%v %v", res[0].Err, res[1].Err)

	// Removing the first proof breaks the chain.
	broken := readJSONBytes(t, chained)
	broken["proof"] = broken["proof"].([]any)[1:]
	res, err = Verify(ctx, broken, VerifyOptions{Resolver: keys.DIDKeyResolver{}})
	require.NoError(t, err)
	assert.False(t, res[0].Verified)
	assert.ErrorContains(t, res[0].Err, `previous proof "urn:uuid:proof-1" is not on the document`)

	_, err = AddProof(ctx, first, signer, SignOptions{PreviousProof: []string{"urn:uuid:missing"}})
	assert.ErrorContains(t, err, "not on the document")
}

func TestSignErrors(t *testing.T) {
	signer, _ := demoSigner(t)
	ctx := context.Background()
	_, err := AddProof(ctx, map[string]any{"id": "urn:x"}, signer, SignOptions{})
	assert.ErrorContains(t, err, "no @context")
	_, err = AddProof(ctx, map[string]any{"@context": []any{ld.CredentialsV2URL}, "ECTS": 5}, signer, SignOptions{})
	var se *ld.SafeModeError
	assert.ErrorAs(t, err, &se, "an undefined term is never signed")
	noVM, err := keys.NewSigner(ed25519.NewKeyFromSeed(make([]byte, 32)), "")
	require.NoError(t, err)
	_, err = AddProof(ctx, map[string]any{"@context": []any{ld.CredentialsV2URL}}, noVM, SignOptions{})
	assert.ErrorContains(t, err, "no verification method")
}

// TestVCDM11GetsDataIntegrityContext: a 1.1 credential does not define
// DataIntegrityProof; signing appends the data-integrity context.
func TestVCDM11GetsDataIntegrityContext(t *testing.T) {
	signer, did := demoSigner(t)
	doc := map[string]any{
		"@context":          []any{ld.CredentialsV1URL},
		"type":              []any{"VerifiableCredential"},
		"issuer":            did,
		"issuanceDate":      "2024-01-01T00:00:00Z",
		"credentialSubject": map[string]any{"id": "did:example:1"},
	}
	signed, err := AddProof(context.Background(), doc, signer, SignOptions{})
	require.NoError(t, err)
	assert.Equal(t, []any{ld.CredentialsV1URL, ld.DataIntegrityV2URL}, signed["@context"])
	res, err := Verify(context.Background(), signed, VerifyOptions{Resolver: keys.DIDKeyResolver{}})
	require.NoError(t, err)
	assert.True(t, res[0].Verified, "%v", res[0].Err)
}

// TestConcurrentVerify verifies credentials from many goroutines at once:
// the shared context cache and resolvers must be safe (run with -race).
func TestConcurrentVerify(t *testing.T) {
	_, body, _ := signedBench(t, "../../ld/testdata/canon-edges/ob-realistic-safe.json")
	_, body2, _ := signedBench(t, "../../testdata/ob3/validator-cases/ob30/simple.json")
	errs := make(chan error, 16)
	for g := range 8 {
		go func() {
			b := body
			if g%2 == 1 {
				b = body2
			}
			for range 10 {
				var m map[string]any
				if err := json.Unmarshal(b, &m); err != nil {
					errs <- err
					return
				}
				res, err := Verify(context.Background(), m, VerifyOptions{Resolver: keys.DIDKeyResolver{}})
				if err != nil {
					errs <- err
					return
				}
				if !res[0].Verified {
					errs <- res[0].Err
					return
				}
			}
			errs <- nil
		}()
	}
	for range 8 {
		require.NoError(t, <-errs)
	}
}
