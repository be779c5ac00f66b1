package badge

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/microcred/microcred/vc"
)

// FuzzParseCredential checks that ParseCredential, Check and MarshalJSON
// never panic, that errors have the documented types, and that
// parse → marshal → parse is stable: the second parse equals the first and
// writing it again gives the same bytes.
func FuzzParseCredential(f *testing.F) {
	var seeds []string
	for _, pattern := range []string{"testdata/spec/*.json", "testdata/educredentials/*.json", "../testdata/ob3/validator-cases/ob30/*.json"} {
		m, _ := filepath.Glob(pattern)
		seeds = append(seeds, m...)
	}
	for _, name := range seeds {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(checkBase))
	for _, s := range []string{
		`{}`, `[]`, `"x"`, `{"a":1,"a":2}`,
		`{"@context":"https://www.w3.org/2018/credentials/v1","issuanceDate":"2010-01-01T00:00:00","expirationDate":5}`,
		`{"issuer":"","credentialSubject":[{"achievement":"x"},{}],"proof":{}}`,
		`{"name":{"@none":"x","en":["a",""]},"description":[{"@value":""}],"image":"","type":[]}`,
		`{"credentialSubject":{"achievement":{"name":"","alignment":null,"criteria":"u","creditsAvailable":-1.0e+400}}}`,
		`{"credentialSubject":{"identifier":{"hashed":true,"identityHash":"md5$00"},"result":[{"status":"x"}]}}`,
		`{"issuer":{"id":"did:x","parentOrg":{"parentOrg":"y"},"endorsement":{"issuer":"z","validFrom":"bad"}}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseCredential(data)
		if err != nil {
			var pe *vc.ParseError
			var de *DecodeError
			if !errors.As(err, &pe) && !errors.As(err, &de) {
				t.Fatalf("error %T is neither *vc.ParseError nor *DecodeError: %v", err, err)
			}
			return
		}
		for _, p := range c.Check() {
			if p.Rule == "" || p.Message == "" {
				t.Fatalf("incomplete problem %+v", p)
			}
		}
		_ = c.Validate()
		for i := range c.CredentialSubject {
			c.CredentialSubject[i].MatchesRecipient(IdentifierTypeEmailAddress, "a@example.com")
		}
		out1, err := c.MarshalJSON()
		if err != nil {
			t.Fatalf("MarshalJSON: %v", err)
		}
		// The output may be a little larger or deeper than the input (a
		// single value becomes an array, contexts are added), so it is
		// read back without ParseCredential's limits.
		c2 := new(AchievementCredential)
		if err := c2.UnmarshalJSON(out1); err != nil {
			t.Fatalf("reading the output: %v\n%s", err, out1)
		}
		if !reflect.DeepEqual(c, c2) {
			t.Fatalf("second parse differs:\n%#v\n%#v\n%s", c, c2, out1)
		}
		out2, err := c2.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out1, out2) {
			t.Fatalf("writing again gives other bytes:\n%s\n%s", out1, out2)
		}
	})
}
