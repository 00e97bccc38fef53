package federation_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/federation"
)

// followCoop makes the fake's account ana follow a co-op of the node.
func followCoop(t testing.TB, n *node, f *fakeServer, coopID string) {
	t.Helper()
	st, body := f.send(n.srv.URL+"/inbox", map[string]any{
		"@context": "https://www.w3.org/ns/activitystreams", "id": f.srv.URL + "/follows/1", "type": "Follow",
		"actor": f.actorID("ana"), "object": coopID,
	})
	if st != http.StatusAccepted {
		t.Fatalf("follow from %s: %d %s", f.srv.URL, st, body)
	}
}

// patientTransport waits as long as the request's context allows for an
// answer, so that a hung inbox holds a POST for the whole delivery timeout.
func patientTransport() http.RoundTripper {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.ResponseHeaderTimeout = 0
	return tr
}

// TestHungFollowersDoNotStallOthers: followers whose inboxes never answer
// hold a few of the worker's slots each, not the whole queue, so that a
// healthy follower receives a burst of openings long before the first of
// the hung POSTs times out.
func TestHungFollowersDoNotStallOthers(t *testing.T) {
	const (
		hungHosts = 8
		jobs      = 20
		timeout   = 20 * time.Second // how long a hung POST is waited for
		bound     = 8 * time.Second  // well before the first timeout ends
	)
	eachEngine(t, func(t *testing.T, open opener) {
		n := newNodeTuned(t, open, "EthiX", "ethix", "127.0.0.1", func(c *federation.Config) {
			c.Delivery.Timeout = timeout
			c.Transport = patientTransport()
		})
		coop := n.coop("outlandish")
		healthy := newFake(t)
		followCoop(t, n, healthy, coop.APID)
		var hung []*fakeServer
		for range hungHosts {
			f := newHangingFake(t)
			followCoop(t, n, f, coop.APID)
			hung = append(hung, f)
		}

		start := time.Now()
		for i := range jobs {
			if _, err := n.svc.CreateJob(t.Context(), n.admin, "outlandish", directory.Job{Title: fmt.Sprintf("Job %d", i),
				Description: "x", Remote: "remote", EmploymentType: "contract", ApplyEmail: "jobs@outlandish.example"}); err != nil {
				t.Fatal(err)
			}
		}
		for len(healthy.byType("Create")) < jobs && time.Since(start) < bound {
			time.Sleep(20 * time.Millisecond)
		}
		if got := len(healthy.byType("Create")); got < jobs {
			t.Fatalf("the healthy follower got %d of %d Creates in %s, while %d followers hang", got, jobs, bound, hungHosts)
		}
		if len(healthy.byType("Accept")) != 1 {
			t.Fatalf("the healthy follower got %d Accepts", len(healthy.byType("Accept")))
		}
		// The hung hosts were really holding POSTs all along, and never
		// more than two at once.
		for _, f := range hung {
			now, most := f.deliveries()
			if now < 1 || most > 2 {
				t.Errorf("%s: %d POSTs held now, %d at most at once", f.srv.URL, now, most)
			}
		}
	})
}

// TestFailingHostIsPaused: a follower that keeps answering 503 is paused
// after a few failures in a row; its deliveries then fail without a POST,
// still dead-letter after their attempts, and a probe after the pause
// finds it back.
func TestFailingHostIsPaused(t *testing.T) {
	const jobs, attempts = 10, 5
	n := newNodeTuned(t, engines()["sqlite"], "EthiX", "ethix", "127.0.0.1", func(c *federation.Config) {
		c.Delivery.MaxAttempts = attempts
	})
	coop := n.coop("outlandish")
	masto := newFake(t)
	followCoop(t, n, masto, coop.APID)
	eventually(t, "Accept", func() bool { return len(masto.byType("Accept")) == 1 })

	masto.setFailing(true)
	for i := range jobs {
		if _, err := n.svc.CreateJob(t.Context(), n.admin, "outlandish", directory.Job{Title: fmt.Sprintf("Job %d", i),
			Description: "x", Remote: "remote", EmploymentType: "contract", ApplyEmail: "jobs@outlandish.example"}); err != nil {
			t.Fatal(err)
		}
	}
	var dead []directory.Delivery
	eventually(t, "every Create dead-lettered", func() bool {
		dead, _ = n.store.Deliveries(t.Context(), directory.DeliveryFailed, 100)
		return len(dead) == jobs
	})
	paused := 0
	for _, d := range dead {
		if d.Attempts != attempts || !strings.Contains(d.LastError, "503") {
			t.Fatalf("dead letter: %d attempts, %q", d.Attempts, d.LastError)
		}
		if strings.Contains(d.LastError, "paused") {
			paused++
		}
	}
	// Without the pause every attempt would be a POST: 1 Accept and
	// jobs*attempts Creates.
	if posts := masto.postCount(); paused == 0 || posts > 1+jobs*attempts/2 {
		t.Fatalf("%d POSTs for %d deliveries of %d attempts; %d last failed paused", posts, jobs, attempts, paused)
	}

	masto.setFailing(false)
	if _, err := n.svc.CreateJob(t.Context(), n.admin, "outlandish", directory.Job{Title: "After", Description: "x",
		Remote: "remote", EmploymentType: "contract", ApplyEmail: "jobs@outlandish.example"}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the Create after recovery", func() bool { return len(masto.byType("Create")) == 1 })
}

// BenchmarkHealthyFollowerDelay measures how long a healthy follower
// waits for each of a stream of new openings while other followers never
// answer, with the worker's default settings (a hung POST is given up
// after the transport's 10 s wait for an answer). Run it with
// -benchtime=1x: one iteration takes from seconds to minutes.
func BenchmarkHealthyFollowerDelay(b *testing.B) {
	const (
		jobs  = 30
		every = 200 * time.Millisecond
	)
	for _, hungHosts := range []int{0, 1, 8} {
		b.Run(fmt.Sprintf("hung=%d", hungHosts), func(b *testing.B) {
			var delays []time.Duration
			for range b.N {
				n := newNodeTuned(b, engines()["sqlite"], "Bench", "bench", "127.0.0.1", func(c *federation.Config) {
					c.Delivery = federation.DeliveryConfig{}
				})
				coop := n.coop("outlandish")
				healthy := newFake(b)
				followCoop(b, n, healthy, coop.APID)
				for range hungHosts {
					followCoop(b, n, newHangingFake(b), coop.APID)
				}
				published := map[string]time.Time{}
				for i := range jobs {
					at := time.Now()
					j, err := n.svc.CreateJob(b.Context(), n.admin, "outlandish", directory.Job{Title: fmt.Sprintf("Job %d", i),
						Description: "x", Remote: "remote", EmploymentType: "contract", ApplyEmail: "jobs@outlandish.example"})
					if err != nil {
						b.Fatal(err)
					}
					published[j.APID] = at
					time.Sleep(every)
				}
				deadline := time.Now().Add(10 * time.Minute)
				for len(healthy.byType("Create")) < jobs {
					if time.Now().After(deadline) {
						b.Fatalf("%d of %d Creates after 10 minutes", len(healthy.byType("Create")), jobs)
					}
					time.Sleep(50 * time.Millisecond)
				}
				for id, at := range healthy.arrivals("Create") {
					delays = append(delays, at.Sub(published[id]))
				}
			}
			slices.Sort(delays)
			b.ReportMetric(delays[len(delays)/2].Seconds(), "median-s")
			b.ReportMetric(delays[len(delays)-1].Seconds(), "max-s")
		})
	}
}

// TestSlowPostsGiveSlotsBack: a POST still waiting after SlowAfter gives
// its slot back, so that hosts that hang do not queue behind each other;
// the POSTs waiting so are bounded too. With two slots (one for hosts not
// known to answer) and room for two slow POSTs, four hanging followers
// get three Accepts in flight at once, long before the first times out,
// and the fourth waits.
func TestSlowPostsGiveSlotsBack(t *testing.T) {
	const (
		timeout = 20 * time.Second
		bound   = 8 * time.Second // well before the first timeout ends
	)
	eachEngine(t, func(t *testing.T, open opener) {
		n := newNodeTuned(t, open, "EthiX", "ethix", "127.0.0.1", func(c *federation.Config) {
			c.Delivery.Timeout = timeout
			c.Delivery.Concurrency = 2
			c.Delivery.SlowAfter = 100 * time.Millisecond
			c.Transport = patientTransport()
		})
		coop := n.coop("outlandish")
		var hung []*fakeServer
		for range 4 {
			f := newHangingFake(t)
			followCoop(t, n, f, coop.APID)
			hung = append(hung, f)
		}
		held := func() (sum, most int) {
			for _, f := range hung {
				now, m := f.deliveries()
				sum += now
				most = max(most, m)
			}
			return sum, most
		}
		start := time.Now()
		for s, _ := held(); s < 3 && time.Since(start) < bound; s, _ = held() {
			time.Sleep(20 * time.Millisecond)
		}
		if s, _ := held(); s != 3 {
			t.Fatalf("%d hanging POSTs in flight after %s, want 3", s, time.Since(start).Round(time.Millisecond))
		}
		// Longer than SlowAfter: the slow pool is full, the third POST
		// keeps its slot and the fourth host waits.
		time.Sleep(500 * time.Millisecond)
		if s, most := held(); s != 3 || most != 1 {
			t.Fatalf("%d hanging POSTs in flight (want 3), at most %d to one host (want 1)", s, most)
		}
	})
}
