package badge

import (
	"crypto/md5"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"strings"
)

// Identity hashes. Open Badges 3.0 defines an IdentityHash as an algorithm
// name, "$", and the hexadecimal hash (upper or lower case) of the UTF-8
// identifier with the salt appended: "sha256$" + hex(SHA-256(identifier +
// salt)). MD5 ("md5$…") is also defined by the specification; this package
// reads and matches it, for credentials upgraded from Open Badges 2.0, and
// never creates it. Example from the specification: the email
// "a@example.com" salted with "Kosher" hashes to
// sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399.

// NewHashedIdentity returns an IdentityObject that identifies a learner by
// the SHA-256 hash of identifier+salt. Use a random salt (RandomSalt) so
// that the hash cannot be matched against a list of known identifiers.
func NewHashedIdentity(identityType IdentifierType, identifier, salt string) IdentityObject {
	return IdentityObject{
		Type:         OneOrMany[string]{TypeIdentityObject},
		Hashed:       true,
		IdentityHash: HashIdentity(identifier, salt),
		IdentityType: identityType,
		Salt:         salt,
	}
}

// NewPlainIdentity returns an IdentityObject holding identifier in plain
// text (hashed false), for identifiers that are not personal data or that
// the learner wants shown.
func NewPlainIdentity(identityType IdentifierType, identifier string) IdentityObject {
	return IdentityObject{
		Type:         OneOrMany[string]{TypeIdentityObject},
		IdentityHash: identifier,
		IdentityType: identityType,
	}
}

// HashIdentity returns "sha256$" + the lowercase hex SHA-256 of
// identifier+salt.
func HashIdentity(identifier, salt string) string {
	h := sha256.Sum256([]byte(identifier + salt))
	return "sha256$" + hex.EncodeToString(h[:])
}

// RandomSalt returns a random salt: 16 bytes from crypto/rand, hex-encoded.
func RandomSalt() string {
	var b [16]byte
	rand.Read(b[:]) // never returns an error (Go 1.24+)
	return hex.EncodeToString(b[:])
}

// splitHash splits "alg$hex" into its parts; ok is false when the
// algorithm is not sha256 or md5 or the hash is not hex of the right
// length.
func splitHash(h string) (alg string, sum []byte, ok bool) {
	alg, hexSum, found := strings.Cut(h, "$")
	if !found {
		return "", nil, false
	}
	want := 0
	switch alg {
	case "sha256":
		want = sha256.Size
	case "md5":
		want = md5.Size
	default:
		return "", nil, false
	}
	sum, err := hex.DecodeString(hexSum)
	if err != nil || len(sum) != want {
		return "", nil, false
	}
	return alg, sum, true
}

// Matches reports whether the identity is value: for a hashed identity,
// whether identityHash is the hash of value+salt (sha256 or md5); for a
// plain one, whether identityHash equals value. The comparison takes the
// same time wherever the values differ. The identity type is not compared
// (MatchesRecipient does that).
func (o *IdentityObject) Matches(value string) bool {
	if !o.Hashed {
		// Compare fixed-length digests so that the time does not depend on
		// where, or whether in length, the strings differ.
		a := sha256.Sum256([]byte(o.IdentityHash))
		b := sha256.Sum256([]byte(value))
		return subtle.ConstantTimeCompare(a[:], b[:]) == 1
	}
	alg, want, ok := splitHash(o.IdentityHash)
	if !ok {
		return false
	}
	var got []byte
	switch alg {
	case "sha256":
		s := sha256.Sum256([]byte(value + o.Salt))
		got = s[:]
	case "md5":
		s := md5.Sum([]byte(value + o.Salt))
		got = s[:]
	}
	return subtle.ConstantTimeCompare(got, want) == 1
}

// MatchesRecipient reports whether one of the subject's identifiers has
// the given identity type and matches value (see IdentityObject.Matches),
// e.g. s.MatchesRecipient(badge.IdentifierTypeEmailAddress,
// "a@example.com"). Values are compared exactly as given: normalize email
// addresses (case, whitespace) the way the issuer did before calling. The
// subject's id is not consulted; compare s.ID yourself.
func (s *AchievementSubject) MatchesRecipient(identityType IdentifierType, value string) bool {
	match := false
	for i := range s.Identifier {
		o := &s.Identifier[i]
		// Check every identifier, so that the time taken does not tell
		// which one matched.
		if o.IdentityType == identityType && o.Matches(value) {
			match = true
		}
	}
	return match
}
