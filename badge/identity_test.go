package badge

import (
	"strings"
	"testing"
)

func TestHashIdentity(t *testing.T) {
	// The example of the OB 3.0 specification (IdentityHash).
	const want = "sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399"
	if got := HashIdentity("a@example.com", "Kosher"); got != want {
		t.Errorf("HashIdentity = %s, want %s", got, want)
	}
	o := NewHashedIdentity(IdentifierTypeEmailAddress, "a@example.com", "Kosher")
	if !o.Hashed || o.IdentityHash != want || o.Salt != "Kosher" || o.IdentityType != "emailAddress" || o.Type[0] != "IdentityObject" {
		t.Errorf("NewHashedIdentity = %+v", o)
	}
	if out := mustMarshal(t, o); out != `{"type":"IdentityObject","hashed":true,"identityHash":"`+want+`","identityType":"emailAddress","salt":"Kosher"}` {
		t.Errorf("marshal: %s", out)
	}
	if out := mustMarshal(t, NewPlainIdentity(extName, "Albert")); out != `{"type":"IdentityObject","hashed":false,"identityHash":"Albert","identityType":"ext:name"}` {
		t.Errorf("marshal: %s", out)
	}
	if s1, s2 := RandomSalt(), RandomSalt(); len(s1) != 32 || s1 == s2 {
		t.Errorf("RandomSalt: %q %q", s1, s2)
	}
}

// extName is an extension identifier type, as the spec's "Name
// identifier in credential subject" example uses.
const extName IdentifierType = "ext:name"

func TestIdentityMatches(t *testing.T) {
	sha := HashIdentity("a@example.com", "Kosher")
	tests := []struct {
		name string
		o    IdentityObject
		v    string
		want bool
	}{
		{"sha256", IdentityObject{Hashed: true, IdentityHash: sha, Salt: "Kosher"}, "a@example.com", true},
		{"sha256 upper-case hex", IdentityObject{Hashed: true, IdentityHash: "sha256$" + strings.ToUpper(sha[7:]), Salt: "Kosher"}, "a@example.com", true},
		{"sha256 other value", IdentityObject{Hashed: true, IdentityHash: sha, Salt: "Kosher"}, "b@example.com", false},
		{"sha256 wrong salt", IdentityObject{Hashed: true, IdentityHash: sha, Salt: "kosher"}, "a@example.com", false},
		{"sha256 unsalted", IdentityObject{Hashed: true, IdentityHash: HashIdentity("a@example.com", "")}, "a@example.com", true},
		// md5("a@example.com" + "Kosher"), for OB 2.0-era hashes.
		{"md5", IdentityObject{Hashed: true, IdentityHash: "md5$ddd142639a792e74751ee7e129237efa", Salt: "Kosher"}, "a@example.com", true},
		{"md5 other value", IdentityObject{Hashed: true, IdentityHash: "md5$ddd142639a792e74751ee7e129237efa", Salt: "Kosher"}, "b@example.com", false},
		{"unknown algorithm", IdentityObject{Hashed: true, IdentityHash: "sha1$" + strings.Repeat("0", 40)}, "a@example.com", false},
		{"truncated hash", IdentityObject{Hashed: true, IdentityHash: sha[:20], Salt: "Kosher"}, "a@example.com", false},
		{"hashed but plain text", IdentityObject{Hashed: true, IdentityHash: "a@example.com"}, "a@example.com", false},
		{"plain", IdentityObject{IdentityHash: "a@example.com"}, "a@example.com", true},
		{"plain differs", IdentityObject{IdentityHash: "a@example.com"}, "A@example.com", false},
		{"plain prefix", IdentityObject{IdentityHash: "a@example.com"}, "a@example.co", false},
		{"plain hash string is compared as text", IdentityObject{IdentityHash: sha, Salt: "Kosher"}, "a@example.com", false},
	}
	for _, tt := range tests {
		if got := tt.o.Matches(tt.v); got != tt.want {
			t.Errorf("%s: Matches(%q) = %v", tt.name, tt.v, got)
		}
	}
}

func TestMatchesRecipient(t *testing.T) {
	s := AchievementSubject{Identifier: Many[IdentityObject]{
		NewPlainIdentity(extName, "Albert Exampleton"),
		NewHashedIdentity(IdentifierTypeEmailAddress, "a@example.com", "pepper"),
		NewHashedIdentity(IdentifierTypeSourcedID, "12345", "salt"),
	}}
	tests := []struct {
		typ  IdentifierType
		v    string
		want bool
	}{
		{IdentifierTypeEmailAddress, "a@example.com", true},
		{IdentifierTypeEmailAddress, "a@example.org", false},
		{IdentifierTypeSourcedID, "12345", true},
		{IdentifierTypeSystemID, "12345", false}, // right value, wrong type
		{"ext:name", "Albert Exampleton", true},
		{IdentifierTypeName, "Albert Exampleton", false},
	}
	for _, tt := range tests {
		if got := s.MatchesRecipient(tt.typ, tt.v); got != tt.want {
			t.Errorf("MatchesRecipient(%q, %q) = %v", tt.typ, tt.v, got)
		}
	}
	// The spec's example subjects.
	c := parseFile(t, "testdata/spec/fullOpenBadge--complete-openbadgecredential.json")
	if !c.Subject().MatchesRecipient(IdentifierTypeEmailAddress, "somebody@gmail.com") || c.Subject().MatchesRecipient(IdentifierTypeEmailAddress, "nobody@gmail.com") {
		t.Error("full example: email identifiers")
	}
	if (&AchievementSubject{}).MatchesRecipient(IdentifierTypeEmailAddress, "") {
		t.Error("a subject without identifiers matches")
	}
}
