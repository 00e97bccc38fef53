package web

import (
	"sync"
	"time"

	"github.com/hashicorp/golang-lru/v2/simplelru"
	"golang.org/x/time/rate"
)

// Reset requests are limited so that the form cannot flood an address
// with mail nor sweep through addresses: an address (an IPv6 /64) may
// ask forgotAddrBurst times, then once every forgotAddrRefill; an e-mail,
// from anywhere, forgotEmailBurst times, then once every
// forgotEmailRefill. Token buckets (golang.org/x/time/rate) keep the
// counts, in memory, per process.
const (
	forgotAddrBurst   = 5
	forgotAddrRefill  = 10 * time.Minute
	forgotEmailBurst  = 3
	forgotEmailRefill = 20 * time.Minute
	forgotTracked     = 100_000
)

// forgotLimiter keeps the reset request limits.
type forgotLimiter struct {
	mu     sync.Mutex
	addrs  *simplelru.LRU[string, *rate.Limiter]
	emails *simplelru.LRU[string, *rate.Limiter]
}

func newForgotLimiter() *forgotLimiter {
	addrs, _ := simplelru.NewLRU[string, *rate.Limiter](forgotTracked, nil)
	emails, _ := simplelru.NewLRU[string, *rate.Limiter](forgotTracked, nil)
	return &forgotLimiter{addrs: addrs, emails: emails}
}

// allow counts a request from addr for email and returns how long to
// wait when it is one too many (0 when it may go on).
func (l *forgotLimiter) allow(addr, email string, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	take := func(c *simplelru.LRU[string, *rate.Limiter], key string, every time.Duration, burst int) time.Duration {
		lim, ok := c.Get(key)
		if !ok {
			lim = rate.NewLimiter(rate.Every(every), burst)
			c.Add(key, lim)
		}
		r := lim.ReserveN(now, 1)
		if d := r.DelayFrom(now); d > 0 {
			r.CancelAt(now)
			return d
		}
		return 0
	}
	if d := take(l.addrs, addr, forgotAddrRefill, forgotAddrBurst); d > 0 {
		return d
	}
	return take(l.emails, accountKey(email), forgotEmailRefill, forgotEmailBurst)
}
