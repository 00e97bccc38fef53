package web

import (
	"math"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/golang-lru/v2/simplelru"
	"golang.org/x/time/rate"
)

// Login limits make guessing passwords slow without letting strangers
// lock an account's owner out.
//
// An address (an IPv6 /64) may fail loginAddrBurst times, then once more
// every loginAddrRefill: with no failure left, every login from there is
// refused until one is back, whatever the account. A token bucket
// (golang.org/x/time/rate) keeps the count.
//
// An account (the e-mail as typed, whether it has an account or not, so
// that the answer tells nothing) may fail loginAccountFree times from
// anywhere; after that each attempt waits (429) after the last failure,
// loginAccountWait at first, doubling with each further failure up to
// loginAccountMaxWait: the wait stays short, grows while guessing goes
// on, and bounds guessing at one try per loginAccountMaxWait however the
// guesses are paced. Its failures are forgiven after loginForgiveAfter
// without one, or when its owner logs in. The wait never applies to an
// address that logged in to the account in the last loginKnownFor, nor to
// a browser logged in to it, and their failures do not count against the
// account: strangers can slow its owner down only on an address and in a
// browser the owner has never logged in from.
const (
	loginAddrBurst      = 5
	loginAddrRefill     = 3 * time.Minute
	loginAccountFree    = 10
	loginAccountWait    = time.Second
	loginAccountMaxWait = 4 * time.Minute
	loginForgiveAfter   = time.Hour
	loginKnownFor       = 30 * 24 * time.Hour
	// loginTracked bounds the memory each of addresses, accounts and
	// known pairs may take; the least recently seen go first.
	loginTracked = 100_000
)

// loginLimiter keeps the login limits of one process, in memory: each
// replica behind a proxy counts on its own.
type loginLimiter struct {
	mu       sync.Mutex
	addrs    *simplelru.LRU[string, *rate.Limiter]
	accounts *simplelru.LRU[string, *accountLimit]
	known    *simplelru.LRU[knownPair, time.Time]
}

// accountLimit is an account's unforgiven failures.
type accountLimit struct {
	failures int
	last     time.Time
}

// forgiven reports whether the account's failures are forgiven by now.
func (a *accountLimit) forgiven(now time.Time) bool { return now.Sub(a.last) >= loginForgiveAfter }

// until is how long an attempt on the account waits now.
func (a *accountLimit) until(now time.Time) time.Duration {
	if a.failures < loginAccountFree || a.forgiven(now) {
		return 0
	}
	wait := loginAccountMaxWait
	if n := a.failures - loginAccountFree; n < 16 {
		wait = min(loginAccountWait<<n, loginAccountMaxWait)
	}
	return max(0, a.last.Add(wait).Sub(now))
}

// knownPair is an address that logged in to an account.
type knownPair struct{ account, addr string }

// loginAttempt is what one login counts against.
type loginAttempt struct {
	addr    string
	account string
	// trusted attempts come from an address or a browser that logged in
	// to the account before: the account's wait does not hold them up.
	trusted bool
}

// loginLimit says which limit holds a login back.
type loginLimit int

const (
	limitNone loginLimit = iota
	limitAddr
	limitAccount
)

func newLoginLimiter() *loginLimiter {
	addrs, _ := simplelru.NewLRU[string, *rate.Limiter](loginTracked, nil)
	accounts, _ := simplelru.NewLRU[string, *accountLimit](loginTracked, nil)
	known, _ := simplelru.NewLRU[knownPair, time.Time](loginTracked, nil)
	return &loginLimiter{addrs: addrs, accounts: accounts, known: known}
}

// accountKey is an e-mail as the login compares it.
func accountKey(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// attempt names what a login from addr for email counts against;
// loggedIn says the browser already has a session of that account.
func (l *loginLimiter) attempt(addr, email string, loggedIn bool, now time.Time) loginAttempt {
	a := loginAttempt{addr: addr, account: accountKey(email), trusted: loggedIn}
	if !a.trusted {
		l.mu.Lock()
		at, ok := l.known.Get(knownPair{a.account, a.addr})
		l.mu.Unlock()
		a.trusted = ok && now.Sub(at) < loginKnownFor
	}
	return a
}

// wait is how long until a may be tried, 0 if now, and which limit
// holds it.
func (l *loginLimiter) wait(a loginAttempt, now time.Time) (time.Duration, loginLimit) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if lim, ok := l.addrs.Get(a.addr); ok {
		if d := untilToken(lim, now); d > 0 {
			return d, limitAddr
		}
	}
	if !a.trusted {
		if acc, ok := l.accounts.Get(a.account); ok {
			if d := acc.until(now); d > 0 {
				return d, limitAccount
			}
		}
	}
	return 0, limitNone
}

// untilToken is how long until lim holds a whole token. Failures are
// taken as debts (ReserveN), so that attempts racing past the check all
// count.
func untilToken(lim *rate.Limiter, now time.Time) time.Duration {
	t := lim.TokensAt(now)
	if t >= 1 {
		return 0
	}
	return time.Duration(math.Ceil((1 - t) / float64(lim.Limit()) * float64(time.Second)))
}

// fail counts a wrong password.
func (l *loginLimiter) fail(a loginAttempt, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	lim, ok := l.addrs.Get(a.addr)
	if !ok {
		lim = rate.NewLimiter(rate.Every(loginAddrRefill), loginAddrBurst)
		l.addrs.Add(a.addr, lim)
	}
	lim.ReserveN(now, 1)
	if a.trusted {
		return
	}
	acc, ok := l.accounts.Get(a.account)
	if !ok || acc.forgiven(now) {
		acc = &accountLimit{}
		l.accounts.Add(a.account, acc)
	}
	// Attempts that raced past the check all count.
	acc.failures++
	acc.last = later(acc.last, now)
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// succeed remembers that a's address logs in to a's account, and clears
// the account's failures. The address's failures stay: logging in to an
// account of one's own must not buy more guesses at others.
func (l *loginLimiter) succeed(a loginAttempt, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.known.Add(knownPair{a.account, a.addr}, now)
	l.accounts.Remove(a.account)
}
