package web

import (
	"strconv"
	"testing"
	"time"
)

// TestLoginLimiterBounds: strangers guessing one account from ever new
// addresses, as fast as the limits let them or slowly, get at most the
// free failures plus one per loginAccountMaxWait; the waits they meet
// grow; its owner, from a known address, never waits.
func TestLoginLimiterBounds(t *testing.T) {
	for _, pace := range []time.Duration{time.Second, 30 * time.Second, time.Minute, 3 * time.Minute} {
		l := newLoginLimiter()
		start := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
		owner := l.attempt("198.51.100.1", "ana@x.example", false, start)
		l.succeed(owner, start)
		failures, maxWait, lastWait := 0, time.Duration(0), time.Duration(0)
		grew := false
		for i, now := 0, start; now.Before(start.Add(24 * time.Hour)); i, now = i+1, now.Add(pace) {
			a := l.attempt("203.0.113."+strconv.Itoa(i%250), "ANA@x.example ", false, now)
			if d, lim := l.wait(a, now); lim != limitNone {
				if lim != limitAccount {
					t.Fatalf("pace %s: an address refused after %d failures", pace, failures)
				}
				if d > lastWait && lastWait > 0 {
					grew = true
				}
				lastWait, maxWait = d, max(maxWait, d)
				continue
			}
			l.fail(a, now)
			failures++
			if now.Sub(start) > time.Hour {
				if d, lim := l.wait(l.attempt("198.51.100.1", "ana@x.example", false, now), now); lim != limitNone {
					t.Fatalf("pace %s: the owner at home waits %s", pace, d)
				}
			}
		}
		if bound := loginAccountFree + 16 + int(24*time.Hour/loginAccountMaxWait); failures > bound {
			t.Errorf("pace %s: %d failures in a day, more than %d", pace, failures, bound)
		}
		if maxWait > loginAccountMaxWait {
			t.Errorf("pace %s: a wait of %s", pace, maxWait)
		}
		if pace < time.Minute && !grew {
			t.Errorf("pace %s: the wait never grew", pace)
		}
	}
}
