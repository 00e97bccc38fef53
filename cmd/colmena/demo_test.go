package main

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/colmena-coop/colmena/demo"
)

// runningDemo is a `colmena demo` process and what it printed.
type runningDemo struct {
	cmd  *exec.Cmd
	out  chan string
	done chan error
}

// startDemo runs `colmena demo` in dir on three free ports at a tenth of
// the real size, and waits for it to say it is ready.
func startDemo(t *testing.T, dir string, ports []string, extra ...string) (*runningDemo, []string) {
	t.Helper()
	args := append([]string{"demo", "--dir", dir + "/data", "--ports", strings.Join(ports, ","), "--scale", "0.1"}, extra...)
	cmd := exec.Command(binary, args...)
	cmd.Dir = dir
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	d := &runningDemo{cmd: cmd, out: make(chan string, 100), done: make(chan error, 1)}
	go func() {
		b, _ := io.ReadAll(stderr)
		if len(b) > 0 {
			t.Logf("demo stderr: %s", b)
		}
	}()
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			d.out <- sc.Text()
		}
		close(d.out)
	}()
	go func() { d.done <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
	})
	var lines []string
	timeout := time.After(90 * time.Second)
	for {
		select {
		case l, ok := <-d.out:
			if !ok {
				t.Fatalf("the demo ended before it was ready:\n%s", strings.Join(lines, "\n"))
			}
			lines = append(lines, l)
			if strings.HasPrefix(l, "Ready in") {
				return d, lines
			}
		case <-timeout:
			t.Fatalf("the demo was not ready within 90 s:\n%s", strings.Join(lines, "\n"))
		}
	}
}

// stop interrupts the demo as Ctrl-C does and checks it ends cleanly.
func (d *runningDemo) stop(t *testing.T) {
	t.Helper()
	if err := d.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	var rest []string
	for l := range d.out {
		rest = append(rest, l)
	}
	select {
	case err := <-d.done:
		if err != nil {
			t.Fatalf("the demo exited with %v: %s", err, rest)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the demo did not stop within 30 s of Ctrl-C")
	}
	if !strings.Contains(strings.Join(rest, "\n"), "Demo stopped") {
		t.Errorf("no goodbye: %q", rest)
	}
}

// TestDemo runs the demo small: the three nodes seed, follow one another
// and each lists every federation's co-ops and jobs, with the seeded
// figures in its statistics; a second run keeps the data, --reset starts
// afresh. Astrateq's guests, co-ops hosted by the other two nodes, count
// among its members on Astrateq's own node only: another node takes a
// federation's word only about co-ops on that federation's host.
func TestDemo(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ports := []string{freePort(t), freePort(t), freePort(t)}
	feds := demo.Federations(0.1)
	type figures struct{ coops, workers, jobs int }
	want := map[string]figures{}
	withGuests := map[string]figures{}
	homes := make([]string, len(feds)) // the federation each port's node hosts
	hosts := map[string]*demo.Federation{}
	totalJobs := 0
	for i := range feds {
		f := &feds[i]
		hosts[f.Handle] = f
		homes[i] = f.Handle
		want[f.Handle] = figures{len(f.Coops), f.Workers(), f.JobCount()}
		withGuests[f.Handle] = want[f.Handle]
		totalJobs += f.JobCount()
	}
	for _, f := range feds {
		for _, g := range f.Guests {
			for _, c := range hosts[g.Host].Coops {
				if c.Handle == g.Coop {
					w := withGuests[f.Handle]
					withGuests[f.Handle] = figures{w.coops + 1, w.workers + c.Workers, w.jobs + len(c.Jobs)}
				}
			}
		}
	}

	check := func(t *testing.T) {
		t.Helper()
		// A seeker in Rosario finds the same remote jobs open to
		// Argentina, with 4 hours of overlap with Buenos Aires, on every
		// node, from more than one federation, in the same order, best
		// paid first in dollars a month, in Spanish too.
		const seeker = "live_in=AR&city=Rosario&tz=America/Argentina/Buenos_Aires&overlap=4&remote=remote&sort=salary&view_currency=USD&limit=100"
		var seekerTotal any
		var seekerOrder []string
		for i, p := range ports {
			base := "http://127.0.0.1:" + p
			res := getJSON(t, base+"/api/v1/jobs?"+seeker)
			feds := map[string]bool{}
			var order []string
			for _, x := range res["items"].([]any) {
				it := x.(map[string]any)
				order = append(order, it["id"].(string))
				for _, f := range it["federations"].([]any) {
					feds[f.(map[string]any)["name"].(string)] = true
				}
				if sal, _ := it["salary"].(map[string]any); sal != nil {
					if nz, _ := sal["normalized"].(map[string]any); nz == nil || nz["currency"] != "USD" || nz["rates_date"] != "2026-11-28" {
						t.Errorf("%s: %v: pay %v not in USD with the rates' date", base, it["title"], sal)
					}
				}
			}
			if i == 0 {
				seekerTotal, seekerOrder = res["total"], order
			}
			if res["total"] != seekerTotal || len(feds) < 2 || !slices.Equal(order, seekerOrder) {
				t.Errorf("%s: the seeker in Rosario finds %v jobs (node 1: %v) of %v, in the order %q (node 1: %q)", base, res["total"], seekerTotal, feds, order, seekerOrder)
			}
			req, _ := http.NewRequest("GET", base+"/?"+seeker, nil)
			req.Header.Set("Accept-Language", "es")
			if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 200 {
				t.Errorf("%s seeker page: %v %v", base, err, resp)
			} else {
				resp.Body.Close()
			}
		}
		for i, p := range ports {
			base := "http://127.0.0.1:" + p
			if got := getJSON(t, base+"/api/v1/jobs?limit=1")["total"]; got != float64(totalJobs) {
				t.Errorf("%s lists %v jobs, want %d", base, got, totalJobs)
			}
			stats := getJSON(t, base+"/api/v1/stats")
			feds, _ := stats["federations"].([]any)
			if len(feds) != 3 {
				t.Fatalf("%s: stats of %d federations", base, len(feds))
			}
			for _, x := range feds {
				m := x.(map[string]any)
				w := want[m["handle"].(string)]
				if m["handle"] == homes[i] {
					w = withGuests[homes[i]]
				}
				if m["coops"] != float64(w.coops) || m["workers"] != float64(w.workers) || m["jobs"] != float64(w.jobs) {
					t.Errorf("%s: %s figures %v/%v/%v, want %d/%d/%d", base, m["handle"], m["coops"], m["workers"], m["jobs"], w.coops, w.workers, w.jobs)
				}
			}
			if r := getJSON(t, base+"/api/v1/rates"); r["date"] != "2026-11-28" || r["base"] != "USD" {
				t.Errorf("%s: rates %v", base, r)
			}
			top := getJSON(t, base+"/api/v1/jobs?sort=salary&limit=1&view_currency=EUR")["items"].([]any)
			if sal, _ := top[0].(map[string]any)["salary"].(map[string]any); sal == nil || sal["normalized"] == nil {
				t.Errorf("%s: the best paid job has no converted salary: %v", base, top)
			}
			resp, err := http.Get(base + "/?skill=go")
			if err != nil || resp.StatusCode != 200 {
				t.Errorf("%s search page: %v %v", base, err, resp)
			} else {
				resp.Body.Close()
			}
		}
	}

	d, lines := startDemo(t, dir, ports)
	out := strings.Join(lines, "\n")
	for _, s := range []string{"SoberaniaX", "http://127.0.0.1:" + ports[0], "@ethix@127.0.0.1:" + ports[1], "Astrateq"} {
		if !strings.Contains(out, s) {
			t.Errorf("the demo does not print %q:\n%s", s, out)
		}
	}
	check(t)
	// A fediverse account finds a demo co-op by its handle.
	coop := feds[0].Coops[0].Handle
	host := "127.0.0.1:" + ports[0]
	jrd := getJSON(t, "http://"+host+"/.well-known/webfinger?resource=acct:"+coop+"@"+host)
	var actorURL string
	for _, l := range jrd["links"].([]any) {
		if m := l.(map[string]any); m["rel"] == "self" {
			actorURL, _ = m["href"].(string)
		}
	}
	req, _ := http.NewRequest("GET", actorURL, nil)
	req.Header.Set("Accept", "application/activity+json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var actor map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&actor)
	resp.Body.Close()
	if actor["type"] != "Organization" || actor["inbox"] == nil || actor["publicKey"] == nil || actor["preferredUsername"] != coop {
		t.Errorf("the co-op's actor: %v", actor)
	}
	d.stop(t)

	// Again: the data is kept, nothing is seeded twice.
	d, _ = startDemo(t, dir, ports)
	check(t)
	d.stop(t)

	// --reset starts afresh: the same figures, from new databases.
	d, _ = startDemo(t, dir, ports, "--reset")
	check(t)
	d.stop(t)
}

func TestDemoFlags(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, args := range [][]string{{"--ports", "1,2"}, {"--ports", "8081,8081,8082"}, {"--ports", "a,b,c"}, {"--scale", "2"}} {
		r := colmena(t, dir, nil, append([]string{"demo"}, args...)...)
		if r.code != 2 || !strings.Contains(r.stderr, "colmena demo:") {
			t.Errorf("demo %v: %+v", args, r)
		}
	}
}

func TestHealthcheck(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	port := freePort(t)
	startServeOn(t, port, dir, nil)
	if r := colmena(t, dir, []string{"COLMENA_LISTEN=0.0.0.0:" + port}, "healthcheck"); r.code != 0 || strings.TrimSpace(r.stdout) != "ok" {
		t.Errorf("healthcheck of a running node: %+v", r)
	}
	if r := colmena(t, dir, nil, "healthcheck", "--url", "http://127.0.0.1:"+freePort(t)+"/healthz"); r.code != 1 || !strings.Contains(r.stderr, "does not answer") {
		t.Errorf("healthcheck of nothing: %+v", r)
	}
}

// TestUserCreate: the first admin comes from the command line, with a
// one-time link that then logs them in.
func TestUserCreate(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	port := freePort(t)
	pub := []string{"COLMENA_PUBLIC_URL=http://127.0.0.1:" + port}
	if r := colmena(t, dir, nil, "migrate"); r.code != 0 {
		t.Fatalf("migrate: %+v", r)
	}
	r := colmena(t, dir, pub, "admin", "user", "create", "--email", "Admin@Example.org", "--admin")
	if r.code != 0 || !strings.HasPrefix(r.lastLine(), "http://127.0.0.1:"+port+"/password?token=") || !strings.Contains(r.stdout, "admin@example.org") {
		t.Fatalf("user create: %+v", r)
	}
	// Creating a pending account again gives a new link in place of the
	// first.
	first := r.lastLine()
	r = colmena(t, dir, pub, "admin", "user", "create", "--email", "admin@example.org", "--admin")
	if r.code != 0 || r.lastLine() == first || !strings.HasPrefix(r.lastLine(), "http://127.0.0.1:"+port+"/password?token=") {
		t.Fatalf("user create again: %+v", r)
	}
	link := r.lastLine()
	for _, args := range [][]string{{"--admin"}, {"--email", "a@b.example"}, {"--email", "a@b.example", "--admin", "--coop", "x"},
		{"--email", "not-an-address", "--admin"}, {"--email", "m@b.example", "--coop", "nowhere"}} {
		r := colmena(t, dir, pub, append([]string{"admin", "user", "create"}, args...)...)
		if r.code == 0 || r.stderr == "" {
			t.Errorf("user create %v: %+v", args, r)
		}
	}
	startServeOn(t, port, dir, pub, "--public-url", "http://127.0.0.1:"+port)
	form := "password=correct+horse+battery&confirm=correct+horse+battery&token=" + strings.TrimPrefix(link[strings.Index(link, "token="):], "token=")
	req, _ := http.NewRequest(http.MethodPost, "http://127.0.0.1:"+port+"/password", strings.NewReader(form))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin" {
		t.Fatalf("setting the password: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
}
