package federation_test

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/federation"
	"github.com/colmena-coop/colmena/internal/teststore"
)

// BenchmarkFanOut measures one job delivered to the followers of a co-op
// spread over many hosts: 10,000 followers on 1,000 hosts, each host with
// a shared inbox, so 1,000 POSTs. Every host is its own HTTP server on an
// address of 127.0.0.0/8 (Linux routes all of it to loopback). Variants
// make 50 of the hosts slow (answer after 5 s) or hang (answer only when
// the sender gives up). It reports the seconds until every fast host has
// its POST and until every host has, the most POSTs one inbox got (it
// fails unless every fast inbox got exactly one, each signed), and memory:
// the peak of the Go heap above the idle node's, sampled every 10 ms, and
// the growth of the process's peak RSS (VmHWM, reset before the job).
// The node runs with the default delivery settings.
//
// COLMENA_FANOUT_HOSTS and COLMENA_FANOUT_FOLLOWERS change the sizes.
//
//	go test -run '^$' -bench FanOut -benchtime 1x ./federation/
func BenchmarkFanOut(b *testing.B) {
	hosts, followers := envInt("COLMENA_FANOUT_HOSTS", 1000), envInt("COLMENA_FANOUT_FOLLOWERS", 10000)
	benchEngines(b, func(b *testing.B, open teststore.Opener) {
		for _, v := range []struct {
			name string
			slow int
			hang bool
		}{{"fast", 0, false}, {"50-slow-5s", 50, false}, {"50-hang", 50, true}} {
			b.Run(v.name, func(b *testing.B) { fanOut(b, open, hosts, followers, v.slow, v.hang) })
		}
	})
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

// fakeInboxes are many hosts' shared inboxes that count the POSTs they get.
type fakeInboxes struct {
	servers []*http.Server
	urls    []string
	posts   map[string]*atomic.Int32 // by host:port
	slow    map[string]bool
	hang    bool
	// unsigned counts POSTs without a signature header.
	unsigned atomic.Int32
	mu       sync.Mutex
	firstAt  map[string]time.Time
}

func startFakeInboxes(b *testing.B, n, slow int, hang bool) *fakeInboxes {
	b.Helper()
	fi := &fakeInboxes{posts: map[string]*atomic.Int32{}, slow: map[string]bool{}, hang: hang, firstAt: map[string]time.Time{}}
	every := 0
	if slow > 0 {
		every = n / slow
	}
	for i := range n {
		// 127.1.x.y: 250 hosts per third octet, clear of the node's 127.0.0.1.
		addr := fmt.Sprintf("127.1.%d.%d:0", i/250, i%250+1)
		l, err := net.Listen("tcp", addr)
		if err != nil {
			b.Fatalf("listening on %s: %v", addr, err)
		}
		host := l.Addr().String()
		fi.posts[host] = &atomic.Int32{}
		if every > 0 && i%every == every/2 && len(fi.slow) < slow {
			fi.slow[host] = true
		}
		srv := &http.Server{Handler: fi, ReadHeaderTimeout: 10 * time.Second}
		fi.servers = append(fi.servers, srv)
		fi.urls = append(fi.urls, "http://"+host+"/inbox")
		go func() { _ = srv.Serve(l) }()
	}
	b.Cleanup(func() {
		for _, s := range fi.servers {
			_ = s.Close()
		}
	})
	return fi
}

func (fi *fakeInboxes) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c := fi.posts[r.Host]
	if r.Method != http.MethodPost || r.URL.Path != "/inbox" || c == nil {
		http.Error(w, "no", http.StatusNotFound)
		return
	}
	if r.Header.Get("Signature") == "" && r.Header.Get("Signature-Input") == "" {
		fi.unsigned.Add(1)
	}
	if fi.slow[r.Host] {
		if fi.hang {
			<-r.Context().Done()
			return
		}
		select {
		case <-time.After(5 * time.Second):
		case <-r.Context().Done():
			return
		}
	}
	if c.Add(1) == 1 {
		fi.mu.Lock()
		fi.firstAt[r.Host] = time.Now()
		fi.mu.Unlock()
	}
	w.WriteHeader(http.StatusAccepted)
}

// done counts the fast and the slow hosts that got a POST.
func (fi *fakeInboxes) done() (fast, slow int) {
	for h, c := range fi.posts {
		if c.Load() > 0 {
			if fi.slow[h] {
				slow++
			} else {
				fast++
			}
		}
	}
	return fast, slow
}

// vmHWM reads the process's peak resident set, in bytes, and resets it
// when reset is set (Linux: writing 5 to clear_refs).
func vmHWM(reset bool) int64 {
	if reset {
		_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
	}
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

func fanOut(b *testing.B, open teststore.Opener, hosts, followers, slow int, hang bool) {
	// The default delivery settings, but for a short poll.
	n := newNodeTuned(b, open, "Bench", "bench", "127.0.0.1", func(c *federation.Config) {
		c.Delivery = federation.DeliveryConfig{Poll: 100 * time.Millisecond}
	})
	ctx := b.Context()
	coop := n.coop("fan")
	fi := startFakeInboxes(b, hosts, slow, hang)
	seeded := time.Now()
	for i := range followers {
		inbox := fi.urls[i%hosts]
		actor := strings.TrimSuffix(inbox, "/inbox") + fmt.Sprintf("/users/u%d", i)
		if err := n.store.AddFollower(ctx, &directory.Follower{ActorAPID: coop.APID, FollowerAPID: actor, Inbox: inbox,
			FollowID: actor + "/follow", CreatedAt: time.Now()}, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("seeded %d followers on %d hosts in %s", followers, hosts, time.Since(seeded).Round(time.Millisecond))
	// Warm the node: its keys made, its caches filled.
	getAS(b, coop.APID)
	b.ResetTimer()
	for range b.N {
		for _, c := range fi.posts {
			c.Store(0)
		}
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		idleHeap, idleRSS := ms.HeapAlloc, vmHWM(true)
		var peakHeap atomic.Uint64
		sctx, stop := context.WithCancel(ctx)
		sampled := make(chan struct{})
		go func() {
			defer close(sampled)
			t := time.NewTicker(10 * time.Millisecond)
			defer t.Stop()
			for {
				var m runtime.MemStats
				runtime.ReadMemStats(&m)
				if m.HeapAlloc > peakHeap.Load() {
					peakHeap.Store(m.HeapAlloc)
				}
				select {
				case <-sctx.Done():
					return
				case <-t.C:
				}
			}
		}()
		start := time.Now()
		if _, err := n.svc.CreateJob(ctx, n.admin, "fan", directory.Job{Title: "Go developer", Description: "x",
			Remote: directory.RemoteFull, EmploymentType: directory.Contract, ApplyEmail: "jobs@fan.example"}); err != nil {
			b.Fatal(err)
		}
		var fastAt, allAt time.Duration
		deadline := start.Add(5 * time.Minute)
		for time.Now().Before(deadline) {
			f, s := fi.done()
			if f == hosts-len(fi.slow) && fastAt == 0 {
				fastAt = time.Since(start)
			}
			if f+s == hosts {
				allAt = time.Since(start)
				break
			}
			if hang && fastAt != 0 {
				break // the hanging hosts never answer
			}
			time.Sleep(5 * time.Millisecond)
		}
		stop()
		<-sampled
		rss := vmHWM(false) - idleRSS
		if fastAt == 0 {
			f, s := fi.done()
			b.Fatalf("after 5 minutes %d of %d fast hosts and %d of %d slow ones got the job", f, hosts-len(fi.slow), s, len(fi.slow))
		}
		// Let stray duplicates arrive before counting.
		time.Sleep(200 * time.Millisecond)
		most := int32(0)
		for h, c := range fi.posts {
			got := c.Load()
			most = max(most, got)
			if !fi.slow[h] && got != 1 {
				b.Errorf("%s got %d POSTs, want 1", h, got)
			}
		}
		if u := fi.unsigned.Load(); u > 0 {
			b.Errorf("%d POSTs carried no signature", u)
		}
		b.ReportMetric(fastAt.Seconds(), "s-fast-hosts")
		if allAt > 0 {
			b.ReportMetric(allAt.Seconds(), "s-all-hosts")
		}
		b.ReportMetric(float64(most), "max-posts/inbox")
		b.ReportMetric(float64(int64(peakHeap.Load())-int64(idleHeap))/(1<<20), "MB-heap-peak")
		b.ReportMetric(float64(rss)/(1<<20), "MB-rss-peak")
	}
}
