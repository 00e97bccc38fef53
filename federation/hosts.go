package federation

import (
	"sync"
	"time"
)

// What the worker knows of each host it delivers to: the POSTs in flight
// there and a circuit breaker. A host that answers gets up to PerHost
// POSTs at once; one not known to answer (new, or failing) gets one, and
// all such hosts together get at most half of the worker's slots, so that
// hosts that hang can hold only that half, one slot each, until their
// timeouts end. A POST still waiting for its answer after SlowAfter gives
// its slot back and waits in a second pool, as large as the first, so
// that a few slow or hanging hosts among a thousand new ones delay only
// their own deliveries; when that pool is full, slow POSTs keep their
// slots, and the POSTs in flight stay at most twice the slots. A host that fails TripAfter times in a row (no answer,
// 5xx, 408, 429) is paused: its due deliveries are not sent, they fail at
// once without a POST and take their usual backoff, so that they still
// dead-letter on time. After the pause one POST probes it: an answer
// closes the breaker, a failure pauses it again, twice as long.
//
// The table lives in memory, one per worker: replicas each keep their
// own, the queue in the store stays what decides what is left to send,
// and a worker that restarts starts afresh.

// hostResult is what a POST taught about its host.
type hostResult int

const (
	resultNone     hostResult = iota // nothing: no POST was made, or it was cut short by a stop
	resultAnswered                   // the host answered, even with a refusal
	resultFailed                     // no answer, or the host said it cannot take it now
)

// hostFailed reports whether a POST's outcome counts against its host:
// no answer at all (status 0: a timeout, a refused connection), a server
// error, or a request to slow down.
func hostFailed(status int) bool {
	return status == 0 || status >= 500 || status == 408 || status == 429
}

// hostLimits are the hostTable's settings.
type hostLimits struct {
	total     int // POSTs in flight in all
	perHost   int // to one host that answers
	unproven  int // to all hosts not known to answer
	slow      int // slow POSTs that gave their slot back
	tripAfter int // failures in a row that pause a host
	// firstPause is the first pause; each failed probe doubles it, up to
	// maxPause.
	firstPause, maxPause time.Duration
	// idle is how long a host with nothing in flight is remembered.
	idle time.Duration
}

type hostState struct {
	inflight int
	answered bool // its last POST got an answer
	failures int  // POSTs failed in a row
	trips    int  // pauses in a row
	until    time.Time
	lastErr  string
	seen     time.Time // last start or finish
}

// tripped reports whether the breaker is open or half-open.
func (s *hostState) tripped(limits hostLimits) bool { return s.failures >= limits.tripAfter }

type hostTable struct {
	limits hostLimits
	mu     sync.Mutex
	hosts  map[string]*hostState
	busy   int // POSTs in flight in a slot
	trial  int // of which to hosts not known to answer
	slow   int // POSTs in flight that gave their slot back
}

// post is one POST in flight, from start to finish.
type post struct {
	trial bool // to a host not known to answer
	slow  bool // it gave its slot back
	done  bool
}

func newHostTable(l hostLimits) *hostTable {
	return &hostTable{limits: l, hosts: map[string]*hostState{}}
}

// room says how many POSTs to host may start now, or that the host is
// paused until a time, after its last error.
func (t *hostTable) room(host string, now time.Time) (n int, paused bool, until time.Time, lastErr string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := t.hosts[host]
	if s != nil && s.tripped(t.limits) && now.Before(s.until) {
		return 0, true, s.until, s.lastErr
	}
	limit, inflight := 1, 0
	if s != nil {
		inflight = s.inflight
		if s.answered {
			limit = t.limits.perHost
		}
	}
	n = min(limit-inflight, t.limits.total-t.busy)
	if s == nil || !s.answered {
		n = min(n, t.limits.unproven-t.trial)
	}
	return max(n, 0), false, time.Time{}, ""
}

// free is how many more POSTs may start, to any host.
func (t *hostTable) free() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.limits.total - t.busy
}

// newRoom reports whether a POST to a host with nothing in flight and
// not known to answer could start now.
func (t *hostTable) newRoom() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.busy < t.limits.total && t.trial < t.limits.unproven
}

// start counts a POST to host in flight; its result goes to finish with
// the post start returns.
func (t *hostTable) start(host string, now time.Time) *post {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := t.hosts[host]
	if s == nil {
		s = &hostState{}
		t.hosts[host] = s
	}
	s.inflight++
	s.seen = now
	t.busy++
	if !s.answered {
		t.trial++
	}
	return &post{trial: !s.answered}
}

// release gives a slow POST's slot back, if the pool of slow POSTs has
// room; it reports whether it did. The host keeps counting the POST in
// flight.
func (t *hostTable) release(p *post) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if p.done || p.slow || t.slow >= t.limits.slow {
		return false
	}
	p.slow = true
	t.slow++
	t.busy--
	if p.trial {
		t.trial--
	}
	return true
}

// finish counts a POST done and learns from its result. It reports a
// change of the breaker: paused until a time, or recovered.
func (t *hostTable) finish(host string, p *post, r hostResult, errMsg string, now time.Time) (pausedUntil time.Time, recovered bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := t.hosts[host]
	s.inflight--
	s.seen = now
	p.done = true
	switch {
	case p.slow:
		t.slow--
	case p.trial:
		t.busy--
		t.trial--
	default:
		t.busy--
	}
	switch r {
	case resultAnswered:
		recovered = s.tripped(t.limits)
		s.answered, s.failures, s.trips, s.until, s.lastErr = true, 0, 0, time.Time{}, ""
	case resultFailed:
		s.answered = false
		s.failures++
		s.lastErr = errMsg
		// A POST that was in flight when the breaker opened finds it
		// open still: only the first trip and failed probes pause it.
		if s.tripped(t.limits) && !now.Before(s.until) {
			s.trips++
			pause := t.limits.firstPause
			for i := 1; i < s.trips && pause < t.limits.maxPause; i++ {
				pause *= 2
			}
			s.until = now.Add(min(pause, t.limits.maxPause))
			pausedUntil = s.until
		}
	}
	return pausedUntil, recovered
}

// forget drops hosts with nothing in flight that have not been used for
// the idle time, so that the table holds the hosts in use, not every host
// ever delivered to.
func (t *hostTable) forget(now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for h, s := range t.hosts {
		if s.inflight == 0 && now.Sub(s.seen) > t.limits.idle {
			delete(t.hosts, h)
		}
	}
}
