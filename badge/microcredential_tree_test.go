package badge

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/microcred/microcred/vc"
)

// euRoundTrip is how FromOB3 reads the EU terms: json.Marshal of the
// extras, json.Unmarshal into euAchievement.
func euRoundTrip(extra map[string]any) (euAchievement, error) {
	var eu euAchievement
	raw, err := json.Marshal(extra)
	if err != nil {
		return eu, err
	}
	err = json.Unmarshal(raw, &eu)
	return eu, err
}

// checkEUFromTree: when fromTree reads extra, it reads what the round
// trip reads, and leaves extra as it was.
func checkEUFromTree(t *testing.T, name string, extra map[string]any) bool {
	t.Helper()
	before, _ := json.Marshal(extra)
	var got euAchievement
	ok := got.fromTree(extra)
	after, _ := json.Marshal(extra)
	if string(before) != string(after) {
		t.Errorf("%s: fromTree changed the extras", name)
	}
	if !ok {
		return false
	}
	want, err := euRoundTrip(extra)
	if err != nil {
		t.Errorf("%s: fromTree read extras the round trip refuses (%v)", name, err)
		return true
	}
	if !reflect.DeepEqual(got, want) {
		gb, _ := json.Marshal(got)
		wb, _ := json.Marshal(want)
		t.Errorf("%s: fromTree differs from the round trip:\n got %s\nwant %s", name, gb, wb)
	}
	return true
}

// euTestDocs are the credentials of the test data, parsed.
func euTestDocs(t testing.TB) map[string][]byte {
	docs := map[string][]byte{}
	for _, pat := range []string{"testdata/spec/*.json", "testdata/educredentials/*.json", "testdata/eu/*.json*", goldenDir + "/inputs/*.json", casesDirGolden + "/*.json"} {
		files, _ := filepath.Glob(pat)
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			docs[f] = b
		}
	}
	return docs
}

// mutations are shapes the tree reader must refuse or read right.
var euMutations = []any{
	nil, "x", "", json.Number("5"), json.Number("1e400"), json.Number("-0"), true, false,
	[]any{}, []any{nil}, []any{"a", json.Number("2")}, map[string]any{}, map[string]any{"title": nil},
	map[string]any{"id": "urn:x", "name": "n"}, map[string]any{"id": json.Number("1")},
	map[string]any{"Title": "t"}, map[string]any{"noteLiteral": map[string]any{"en": "n"}},
	map[string]any{"framework": "ECTS", "point": json.Number("3.50")}, map[string]any{"framework": "ECTS", "point": "3"},
	[]any{map[string]any{"title": "t", "relatedESCOSkill": "http://data.europa.eu/esco/skill/x", "relatedSkill": []any{}}},
	[]any{map[string]any{"dcType": "x", "accreditingAgent": "did:x", "title": []any{"a", map[string]any{"@value": "b", "@language": "fr"}}, "report": "r"}},
	[]any{map[string]any{"relation": "x", "format": "y", "direction": "z", "hostInstitution": map[string]any{"id": "urn:h", "type": "Profile"}}},
}

// TestEUFromTreeMatchesRoundTrip: on every test credential, and on each
// EU term of the realistic one replaced by odd shapes (also under names
// that differ only in case), reading the EU terms from the tree equals
// the JSON round trip whenever the tree reader accepts.
func TestEUFromTreeMatchesRoundTrip(t *testing.T) {
	read := 0
	for name, b := range euTestDocs(t) {
		c, err := ParseCredential(b)
		if err != nil || c.Achievement() == nil {
			continue
		}
		if checkEUFromTree(t, name, c.Achievement().Extra) {
			read++
		}
		// FromOB3 with and without the tree reader.
		m1, miss1, err1 := FromOB3(c)
		m2, miss2, err2 := fromOB3(c, true)
		j1, _ := json.Marshal(m1)
		j2, _ := json.Marshal(m2)
		if string(j1) != string(j2) || !reflect.DeepEqual(miss1, miss2) || (err1 == nil) != (err2 == nil) || err1 != nil && err1.Error() != err2.Error() {
			t.Errorf("%s: fromOB3 differs:\n%s %v %v\n%s %v %v", name, j1, miss1, err1, j2, miss2, err2)
		}
		if m1 != nil && m2 != nil {
			v1, v2 := m1.Validate(), m2.Validate()
			if (v1 == nil) != (v2 == nil) || v1 != nil && v1.Error() != v2.Error() {
				t.Errorf("%s: Validate differs: %v / %v", name, v1, v2)
			}
		}
	}
	if read < 5 {
		t.Errorf("the tree reader read only %d test credentials", read)
	}
	b, err := os.ReadFile(goldenDir + "/inputs/eu-di.json")
	if err != nil {
		t.Fatal(err)
	}
	c, err := ParseCredential(b)
	if err != nil {
		t.Fatal(err)
	}
	base := c.Achievement().Extra
	for _, f := range euFields {
		for _, key := range []string{f, strings.ToUpper(f[:1]) + f[1:], strings.ToUpper(f)} {
			for i, m := range euMutations {
				extra := vc.CopyDocument(base)
				extra[key] = m
				checkEUFromTree(t, key+"/"+string(rune('a'+i)), extra)
				// Inside a list, too.
				extra[key] = []any{m}
				checkEUFromTree(t, key+"/["+string(rune('a'+i))+"]", extra)
			}
		}
	}
}

// FuzzEUFromTree: any JSON object as an achievement's extras.
func FuzzEUFromTree(f *testing.F) {
	for _, b := range euTestDocs(f) {
		c, err := ParseCredential(b)
		if err != nil || c.Achievement() == nil {
			continue
		}
		eb, _ := json.Marshal(c.Achievement().Extra)
		f.Add(eb)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := vc.Parse(data)
		if err != nil {
			return
		}
		checkEUFromTree(t, "fuzz", c.Map())
	})
}
