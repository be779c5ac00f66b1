package vcapi

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/microcred/microcred/badge"
)

// Challenges (POST /challenges). A challenge is stateless until it is
// used: "mc1." and the base64url of its expiry (8 bytes, Unix seconds), 16
// random bytes and an HMAC-SHA256 (first 16 bytes) of both under a key
// made at startup. A presentation whose proof verified consumes it: the
// service remembers it until it expires, so a replayed presentation fails.
// Challenges do not survive a restart (the key is new).

// DefaultChallengeTTL is how long a challenge from POST /challenges is
// valid; Config.ChallengeTTL overrides it.
const DefaultChallengeTTL = 10 * time.Minute

// CheckChallenge is the presentation check the service adds when
// options.challenge is one it issued: valid, unexpired and used once.
const CheckChallenge = "challenge"

const (
	challengePrefix = "mc1."
	challengeRandom = 16
	challengeMAC    = 16
	// maxUsedChallenges bounds the memory of used challenges; when it is
	// full of unexpired ones, presentations answering new challenges fail
	// until some expire.
	maxUsedChallenges = 1 << 20
)

// ChallengeResponse is the body of POST /challenges.
type ChallengeResponse struct {
	// Challenge is the value to put in options.challenge and in the
	// presentation's proof.
	Challenge string `json:"challenge"`
	// Expires is when the service stops accepting it.
	Expires time.Time `json:"expires"`
}

type challenger struct {
	key  [32]byte
	ttl  time.Duration
	now  func() time.Time
	mu   sync.Mutex
	used map[string]time.Time // challenge → expiry
}

func newChallenger(ttl time.Duration) (*challenger, error) {
	c := &challenger{ttl: ttl, now: time.Now, used: map[string]time.Time{}}
	if _, err := rand.Read(c.key[:]); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *challenger) mac(msg []byte) []byte {
	m := hmac.New(sha256.New, c.key[:])
	m.Write(msg)
	return m.Sum(nil)[:challengeMAC]
}

// issue returns a new challenge and its expiry.
func (c *challenger) issue() (string, time.Time, error) {
	exp := c.now().Add(c.ttl).Truncate(time.Second)
	b := make([]byte, 8+challengeRandom, 8+challengeRandom+challengeMAC)
	binary.BigEndian.PutUint64(b, uint64(exp.Unix()))
	if _, err := rand.Read(b[8:]); err != nil {
		return "", time.Time{}, err
	}
	b = append(b, c.mac(b)...)
	return challengePrefix + base64.RawURLEncoding.EncodeToString(b), exp.UTC(), nil
}

var (
	errChallengeForged  = errors.New("the challenge was not issued by this service (or was changed)")
	errChallengeExpired = errors.New("the challenge has expired")
	errChallengeUsed    = errors.New("the challenge was already used: a presentation answers a challenge once")
	errChallengeFull    = errors.New("too many challenges in use; try again later")
)

// ours reports whether s has the form of this service's challenges.
func ours(s string) bool { return strings.HasPrefix(s, challengePrefix) }

// check returns the challenge's expiry, or why it is not valid.
func (c *challenger) check(s string) (time.Time, error) {
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(s, challengePrefix))
	if err != nil || len(b) != 8+challengeRandom+challengeMAC {
		return time.Time{}, errChallengeForged
	}
	body, mac := b[:8+challengeRandom], b[8+challengeRandom:]
	if !hmac.Equal(mac, c.mac(body)) {
		return time.Time{}, errChallengeForged
	}
	exp := time.Unix(int64(binary.BigEndian.Uint64(body)), 0)
	if !c.now().Before(exp) {
		return exp, errChallengeExpired
	}
	return exp, nil
}

// consume marks a valid challenge used; it fails when it already was.
func (c *challenger) consume(s string, exp time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, done := c.used[s]; done {
		return errChallengeUsed
	}
	if len(c.used) >= maxUsedChallenges {
		now := c.now()
		for k, e := range c.used {
			if !now.Before(e) {
				delete(c.used, k)
			}
		}
		if len(c.used) >= maxUsedChallenges {
			return errChallengeFull
		}
	}
	c.used[s] = exp
	return nil
}

// judge adds the challenge check to a presentation report when the
// challenge asked for is one of this service's: forged, expired or reused
// fails; otherwise, once the presentation's proof verified, it is used up.
func (c *challenger) judge(challenge string, rep *badge.PresentationReport) {
	if !ours(challenge) {
		return
	}
	fail := func(err error) {
		rep.Checks = append(rep.Checks, badge.Check{ID: CheckChallenge, Outcome: badge.Failed, Message: err.Error()})
	}
	exp, err := c.check(challenge)
	if err != nil {
		fail(err)
		return
	}
	if p := rep.Check(badge.PresentationCheckProof); p == nil || p.Outcome != badge.Passed {
		rep.Checks = append(rep.Checks, badge.Check{ID: CheckChallenge, Outcome: badge.Skipped,
			Message: "issued by this service and unexpired; not used up, since no proof answering it verified"})
		return
	}
	if err := c.consume(challenge, exp); err != nil {
		fail(err)
		return
	}
	rep.Checks = append(rep.Checks, badge.Check{ID: CheckChallenge, Outcome: badge.Passed,
		Message: "issued by this service, unexpired, and now used"})
}

// challenge: POST /challenges.
func (s *Server) challenge(w http.ResponseWriter, r *http.Request) {
	ch, exp, err := s.challenges.issue()
	if err != nil {
		s.internal(w, r, "challenge", err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, ChallengeResponse{Challenge: ch, Expires: exp})
}
