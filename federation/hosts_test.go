package federation

import (
	"testing"
	"time"
)

// TestHostTable walks the per-host limits and the breaker through their
// states with a clock of its own.
func TestHostTable(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	tab := newHostTable(hostLimits{total: 6, perHost: 2, unproven: 3, tripAfter: 3,
		firstPause: time.Second, maxPause: 3 * time.Second, idle: time.Hour})
	room := func(host string, at time.Time) int {
		t.Helper()
		n, paused, _, _ := tab.room(host, at)
		if paused {
			return -1
		}
		return n
	}
	want := func(what string, got, want int) {
		t.Helper()
		if got != want {
			t.Fatalf("%s: %d, want %d", what, got, want)
		}
	}

	// A host not known to answer gets one POST; one that answered, two.
	want("new host", room("a", t0), 1)
	trial := tab.start("a", t0)
	want("new host busy", room("a", t0), 0)
	tab.finish("a", trial, resultAnswered, "", t0)
	want("answering host", room("a", t0), 2)
	ta1, ta2 := tab.start("a", t0), tab.start("a", t0)
	want("answering host busy", room("a", t0), 0)

	// Hosts not known to answer share half the slots.
	tb, tc, td := tab.start("b", t0), tab.start("c", t0), tab.start("d", t0)
	want("unproven share spent", room("e", t0), 0)
	tab.finish("a", ta1, resultAnswered, "", t0)
	want("an answering host still gets its slot", room("a", t0), 1)
	tab.finish("a", ta2, resultAnswered, "", t0)
	tab.finish("d", td, resultAnswered, "", t0) // d now answers
	want("a freed unproven slot", room("e", t0), 1)

	// Three failures in a row pause b; one POST in flight when it trips
	// does not pause it longer.
	tab.finish("b", tb, resultFailed, "timeout", t0)
	tab.finish("c", tc, resultAnswered, "", t0)
	for i := range 2 {
		trial := tab.start("b", t0)
		if until, _ := tab.finish("b", trial, resultFailed, "timeout", t0); (i == 1) == until.IsZero() {
			t.Fatalf("failure %d: paused until %v", i+2, until)
		}
	}
	n, paused, until, lastErr := tab.room("b", t0)
	if !paused || n != 0 || !until.Equal(t0.Add(time.Second)) || lastErr != "timeout" {
		t.Fatalf("tripped host: %d %v %v %q", n, paused, until, lastErr)
	}
	// The pause ends: one probe, which fails and doubles the pause, then
	// fails again and reaches the longest pause.
	at := t0.Add(time.Second)
	for _, pause := range []time.Duration{2 * time.Second, 3 * time.Second, 3 * time.Second} {
		want("half-open", room("b", at), 1)
		trial := tab.start("b", at)
		want("one probe at a time", room("b", at), 0)
		until, _ := tab.finish("b", trial, resultFailed, "503", at)
		if !until.Equal(at.Add(pause)) {
			t.Fatalf("paused until %v, want %v", until, at.Add(pause))
		}
		want("paused", room("b", at.Add(pause-time.Millisecond)), -1)
		at = until
	}
	// A probe that gets an answer closes the breaker.
	trial = tab.start("b", at)
	if _, recovered := tab.finish("b", trial, resultAnswered, "", at); !recovered {
		t.Fatal("an answered probe did not close the breaker")
	}
	want("recovered", room("b", at), 2)
	// A refusal is an answer; nothing learnt changes nothing.
	trial = tab.start("b", at)
	tab.finish("b", trial, resultNone, "", at)
	want("after a cut POST", room("b", at), 2)

	// Idle hosts are forgotten: b starts afresh as a new host.
	tab.forget(at.Add(2 * time.Hour))
	want("forgotten", room("b", at.Add(2*time.Hour)), 1)
	if len(tab.hosts) != 0 || tab.busy != 0 || tab.trial != 0 || tab.slow != 0 {
		t.Fatalf("left: %d hosts, %d busy, %d on trial, %d slow", len(tab.hosts), tab.busy, tab.trial, tab.slow)
	}
}

// TestHostTableSlow: a slow POST gives its slot back while the pool of
// slow POSTs has room, and its host still counts it in flight.
func TestHostTableSlow(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	tab := newHostTable(hostLimits{total: 2, perHost: 2, unproven: 1, slow: 1, tripAfter: 3, firstPause: time.Second,
		maxPause: time.Second, idle: time.Hour})
	room := func(h string) int {
		t.Helper()
		n, _, _, _ := tab.room(h, t0)
		return n
	}
	pa := tab.start("a", t0)
	if room("b") != 0 {
		t.Fatal("the unproven share is spent, yet b has room")
	}
	if !tab.release(pa) || tab.release(pa) {
		t.Fatal("a slow POST did not give its slot back once")
	}
	if room("b") != 1 || room("a") != 0 {
		t.Fatalf("after the release: room for b %d (want 1), for a %d (want 0: its POST is in flight)", room("b"), room("a"))
	}
	pb := tab.start("b", t0)
	if tab.release(pb) {
		t.Fatal("the slow pool is full, yet b gave its slot back")
	}
	tab.finish("a", pa, resultFailed, "timeout", t0)
	if tab.release(pa) {
		t.Fatal("a finished POST was released")
	}
	if !tab.release(pb) {
		t.Fatal("the slow pool has room again, yet b kept its slot")
	}
	tab.finish("b", pb, resultAnswered, "", t0)
	if tab.busy != 0 || tab.trial != 0 || tab.slow != 0 || tab.free() != 2 {
		t.Fatalf("left: %d busy, %d on trial, %d slow, %d free", tab.busy, tab.trial, tab.slow, tab.free())
	}
}

// TestHostTableTotal: the slots in all bound every host, answering or
// not.
func TestHostTableTotal(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	tab := newHostTable(hostLimits{total: 3, perHost: 2, unproven: 3, tripAfter: 3, firstPause: time.Second,
		maxPause: time.Second, idle: time.Hour})
	for _, h := range []string{"x", "y"} {
		tab.finish(h, tab.start(h, t0), resultAnswered, "", t0)
	}
	tab.start("x", t0)
	tab.start("x", t0)
	if n, _, _, _ := tab.room("y", t0); n != 1 {
		t.Fatalf("room for y: %d, want 1", n)
	}
	tab.start("y", t0)
	for _, h := range []string{"y", "z"} {
		if n, _, _, _ := tab.room(h, t0); n != 0 || tab.free() != 0 {
			t.Fatalf("room for %s with every slot taken: %d (%d free)", h, n, tab.free())
		}
	}
}

func TestHostFailed(t *testing.T) {
	for status, want := range map[int]bool{0: true, 200: false, 202: false, 400: false, 401: false, 404: false, 408: true,
		410: false, 429: true, 500: true, 502: true, 503: true} {
		if hostFailed(status) != want {
			t.Errorf("hostFailed(%d) = %v", status, !want)
		}
	}
}
