package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/colmena-coop/colmena/internal/pgtest"
)

// binary is the colmena command built once for these tests.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "colmena-bin")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "colmena")
	args := []string{"build", "-o", binary}
	if raceEnabled {
		args = append(args, "-race")
	}
	out, err := exec.Command("go", append(args, ".")...).CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "building colmena: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func freePort(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return port
}

type result struct {
	code           int
	stdout, stderr string
}

func (r result) lastLine() string {
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	return lines[len(lines)-1]
}

// colmena runs the binary to completion in dir.
func colmena(t *testing.T, dir string, env []string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{code: code, stdout: out.String(), stderr: errb.String()}
}

// server is a running `colmena serve`.
type server struct {
	cmd    *exec.Cmd
	base   string
	stdout *bytes.Buffer
	done   chan error
}

func startServe(t *testing.T, dir string, env []string, args ...string) *server {
	t.Helper()
	return startServeOn(t, freePort(t), dir, env, args...)
}

func startServeOn(t *testing.T, port, dir string, env []string, args ...string) *server {
	t.Helper()
	cmd := exec.Command(binary, append([]string{"serve", "--listen", "127.0.0.1:" + port}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var out bytes.Buffer
	cmd.Stdout = &out
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			t.Log(sc.Text())
		}
	}()
	s := &server{cmd: cmd, base: "http://127.0.0.1:" + port, stdout: &out, done: make(chan error, 1)}
	go func() { s.done <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-s.done
	})
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(s.base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return s
			}
		}
		select {
		case err := <-s.done:
			t.Fatalf("colmena serve exited early: %v", err)
		case <-time.After(100 * time.Millisecond):
		}
	}
	t.Fatal("colmena serve did not become healthy within 30s")
	return nil
}

func (s *server) stop(t *testing.T) {
	t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-s.done:
		if err != nil {
			t.Fatalf("colmena serve did not exit cleanly on SIGTERM: %v", err)
		}
		s.done <- nil
	case <-time.After(30 * time.Second):
		t.Fatal("colmena serve did not stop within 30s of SIGTERM")
	}
}

func post(t *testing.T, url, token, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("POST", url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return resp.StatusCode, m
}

func getJSON(t *testing.T, url string) map[string]any {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	return m
}

// nodeLifecycle drives a node through the command line and HTTP: a token
// from `admin token create`, a co-op and a job over the API, a clean
// SIGTERM, and a restart that keeps the data.
func nodeLifecycle(t *testing.T, dir string, env []string, db ...string) {
	if r := colmena(t, dir, env, append([]string{"migrate"}, db...)...); r.code != 0 {
		t.Fatalf("migrate: %+v", r)
	}
	tok := colmena(t, dir, env, append([]string{"admin", "token", "create"}, db...)...)
	if tok.code != 0 || !strings.HasPrefix(tok.lastLine(), "colmena_") {
		t.Fatalf("admin token create: %+v", tok)
	}
	s := startServe(t, dir, env, append([]string{"--name", "EthiX UK"}, db...)...)
	port := strings.TrimPrefix(s.base, "http://127.0.0.1:")
	code, c := post(t, s.base+"/api/v1/coops", tok.lastLine(), `{"handle":"outlandish","name":"Outlandish","country":"GB","workers":9}`)
	if code != 201 || c["id"] != "http://localhost:"+port+"/coops/outlandish" {
		t.Fatalf("create co-op: %d %v", code, c)
	}
	coopTok := colmena(t, dir, env, append([]string{"admin", "token", "create", "--coop", "outlandish"}, db...)...)
	if coopTok.code != 0 {
		t.Fatalf("co-op token: %+v", coopTok)
	}
	code, j := post(t, s.base+"/api/v1/coops/outlandish/jobs", coopTok.lastLine(),
		`{"title":"Elixir developer","description":"Phoenix.","remote":"remote","employment_type":"contract","apply_email":"jobs@outlandish.example"}`)
	if code != 201 {
		t.Fatalf("create job: %d %v", code, j)
	}
	fed := c["federations"].([]any)[0].(map[string]any)
	if fed["name"] != "EthiX UK" {
		t.Fatalf("federation: %v", fed)
	}
	s.stop(t)
	if !strings.Contains(s.stdout.String(), "@ethix_uk@localhost:"+port) {
		t.Fatalf("serve did not print its handle: %q", s.stdout.String())
	}

	s = startServe(t, dir, env, db...)
	if got := getJSON(t, s.base+"/api/v1/jobs?q=elixir"); got["total"] != 1.0 {
		t.Fatalf("after restart: %v", got)
	}
	s.stop(t)
}

func TestNodeOnSQLite(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	nodeLifecycle(t, dir, nil)
	// With no --database the embedded store lives under ./colmena-data/.
	if _, err := os.Stat(filepath.Join(dir, "colmena-data", "colmena.db")); err != nil {
		t.Fatal(err)
	}
}

func TestNodeOnPostgres(t *testing.T) {
	t.Parallel()
	url := pgtest.URL(t)
	dir := t.TempDir()
	nodeLifecycle(t, dir, []string{"COLMENA_DATABASE=" + url})
	if _, err := os.Stat(filepath.Join(dir, "colmena-data")); !os.IsNotExist(err) {
		t.Fatalf("the embedded store was used: %v", err)
	}
	if r := colmena(t, dir, nil, "migrate", "--database", url); r.code != 0 || !strings.Contains(r.stdout, "migrations applied") {
		t.Fatalf("migrate: %+v", r)
	}
}

func TestFlagsWinOverEnv(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "flag.db")
	s := startServe(t, dir, []string{"COLMENA_DATABASE=sqlite:" + filepath.Join(dir, "env.db"), "COLMENA_NAME=FromEnv",
		"COLMENA_PUBLIC_URL=https://astrateq.example"}, "--database", db)
	st := getJSON(t, s.base+"/api/v1/stats")
	fed := st["federations"].([]any)[0].(map[string]any)
	if fed["name"] != "FromEnv" || fed["id"] != "https://astrateq.example/federation" {
		t.Fatalf("env not applied: %v", fed)
	}
	s.stop(t)
	if _, err := os.Stat(filepath.Join(dir, "env.db")); !os.IsNotExist(err) {
		t.Fatal("the env database was used although --database was given")
	}
}

func TestBadCommandLines(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	blocker := filepath.Join(dir, "file")
	if err := os.WriteFile(blocker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		args []string
		env  []string
		code int
		says string
	}{
		{[]string{"serve", "--nope"}, nil, 2, "flag provided but not defined"},
		{[]string{"serve", "--database", "mysql://x"}, nil, 2, "sqlite:PATH or postgres://"},
		{[]string{"serve", "--database", "postgres://nobody@127.0.0.1:1/x?connect_timeout=2"}, nil, 1, "cannot reach"},
		{[]string{"serve", "--database", "sqlite:" + filepath.Join(blocker, "x.db")}, nil, 1, "database directory"},
		{[]string{"serve", "--public-url", "ftp://x"}, nil, 2, "public-url"},
		{[]string{"serve", "--handle", "Bad Handle"}, []string{"COLMENA_DATABASE=sqlite:" + filepath.Join(dir, "h.db")}, 2, "handle"},
		{[]string{"serve"}, []string{"COLMENA_ALLOW_PRIVATE_NETWORK=maybe"}, 2, "true or false"},
		{[]string{"serve", "--trusted-proxies", "127.0.0.1,10.0.0.0/33"}, nil, 2, "trusted-proxies"},
		{[]string{"serve"}, []string{"COLMENA_TRUSTED_PROXIES=proxy.example"}, 2, "trusted-proxies"},
		{[]string{"serve", "--currency", "pesos"}, nil, 2, "currency"},
		{[]string{"serve"}, []string{"COLMENA_CURRENCY=ZZZ"}, 2, "currency"},
		{[]string{"serve", "--rates-url", "ftp://rates.example/today.json"}, nil, 2, "rates-url"},
		{[]string{"migrate", "extra"}, nil, 2, "unexpected argument"},
		{[]string{"admin", "token", "create", "--coop", "nobody", "--database", "sqlite:" + filepath.Join(dir, "t.db")}, nil, 1, "nobody"},
		{[]string{"serve", "--tls-domain", "a.example", "--tls-cert", "c.pem", "--tls-key", "k.pem"}, nil, 2, "either --tls-domain"},
		{[]string{"serve", "--tls-cert", "c.pem"}, nil, 2, "--tls-key"},
		{[]string{"serve"}, []string{"COLMENA_TLS_DOMAIN=127.0.0.1"}, 2, "not a domain name"},
		{[]string{"serve", "--tls-domain", "a.example", "--acme-directory", "http://ca.example/dir"}, nil, 2, "acme-directory"},
		{[]string{"serve", "--tls-domain", "a.example", "--http-listen", "eighty"}, nil, 2, "http-listen"},
		{[]string{"serve", "--acme-ca-root", "roots.pem"}, nil, 2, "acme-ca-root"},
		{[]string{"serve", "--tls-domain", "a.example", "--acme-email", "admin"}, nil, 2, "acme-email"},
		{[]string{"serve", "--tls-cert", filepath.Join(dir, "none.pem"), "--tls-key", filepath.Join(dir, "none.key")}, nil, 1, "none.pem"},
		{[]string{"admin", "frobnicate"}, nil, 2, "usage"},
		{[]string{"launch"}, nil, 2, "unknown command"},
	}
	if r := colmena(t, dir, nil, "migrate", "--database", "sqlite:"+filepath.Join(dir, "t.db")); r.code != 0 {
		t.Fatalf("migrate: %+v", r)
	}
	for _, tc := range cases {
		r := colmena(t, dir, tc.env, tc.args...)
		lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
		if r.code != tc.code || len(lines) != 1 || !strings.Contains(r.stderr, tc.says) {
			t.Errorf("colmena %v: exit %d, stderr %q; want exit %d and one line saying %q", tc.args, r.code, r.stderr, tc.code, tc.says)
		}
	}
	if r := colmena(t, dir, nil, "version"); r.code != 0 || !strings.HasPrefix(r.stdout, "colmena ") {
		t.Errorf("version: %+v", r)
	}
	if r := colmena(t, dir, nil, "serve", "-h"); r.code != 0 || !strings.Contains(r.stdout, "-public-url") ||
		!strings.Contains(r.stdout, "-trusted-proxies") {
		t.Errorf("serve -h: %+v", r)
	}
}

// TestTrustedProxies: behind a proxy named by COLMENA_TRUSTED_PROXIES,
// login failures count against the client the proxy names, not against
// the proxy.
func TestTrustedProxies(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s := startServe(t, dir, []string{"COLMENA_TRUSTED_PROXIES=::1, 127.0.0.0/8"})
	login := func(client string) int {
		t.Helper()
		req, err := http.NewRequest(http.MethodPost, s.base+"/login", strings.NewReader("email=nobody%40example.org&password=wrong"))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Forwarded-For", client)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for range 5 {
		if code := login("203.0.113.1"); code != http.StatusUnauthorized {
			t.Fatalf("a wrong password: %d", code)
		}
	}
	if code := login("203.0.113.1"); code != http.StatusTooManyRequests {
		t.Errorf("the sixth failure from one client: %d", code)
	}
	if code := login("203.0.113.2"); code != http.StatusUnauthorized {
		t.Errorf("another client behind the same proxy: %d", code)
	}
	s.stop(t)
}

// TestKillDuringDelivery: a node killed with SIGKILL right after a job is
// published delivers it once restarted; the follower loses nothing.
func TestKillDuringDelivery(t *testing.T) {
	t.Parallel()
	dirA, dirB := t.TempDir(), t.TempDir()
	portA, portB := freePort(t), freePort(t)
	argsA := []string{"--public-url", "http://localhost:" + portA, "--allow-private-network", "--name", "SoberaniaX"}
	argsB := []string{"--public-url", "http://127.0.0.1:" + portB, "--allow-private-network", "--name", "EthiX"}
	for _, dir := range []string{dirA, dirB} {
		if r := colmena(t, dir, nil, "migrate"); r.code != 0 {
			t.Fatalf("migrate: %+v", r)
		}
	}
	tokA := colmena(t, dirA, nil, "admin", "token", "create").lastLine()
	tokB := colmena(t, dirB, nil, "admin", "token", "create").lastLine()
	a := startServeOn(t, portA, dirA, nil, argsA...)
	b := startServeOn(t, portB, dirB, nil, argsB...)
	if code, m := post(t, a.base+"/api/v1/coops", tokA, `{"handle":"gcoop","name":"GCoop","country":"AR","workers":26}`); code != 201 {
		t.Fatalf("co-op: %d %v", code, m)
	}
	if code, m := post(t, b.base+"/api/v1/admin/follows", tokB, `{"target":"soberaniax@localhost:`+portA+`"}`); code != 202 {
		t.Fatalf("follow: %d %v", code, m)
	}
	waitFor(t, "the follow accepted", func() bool {
		req, _ := http.NewRequest("GET", b.base+"/api/v1/admin/follows", nil)
		req.Header.Set("Authorization", "Bearer "+tokB)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return strings.Contains(string(body), `"accepted"`)
	})
	if code, m := post(t, a.base+"/api/v1/coops/gcoop/jobs", tokA,
		`{"title":"Survivor job","description":"x","remote":"remote","employment_type":"full_time","apply_email":"j@gcoop.example"}`); code != 201 {
		t.Fatalf("job: %d %v", code, m)
	}
	if err := a.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-a.done
	a.done <- nil
	startServeOn(t, portA, dirA, nil, argsA...)
	waitFor(t, "the job on the follower", func() bool {
		return getJSON(t, b.base+"/api/v1/jobs?q=survivor")["total"] == 1.0
	})
}

// waitFor polls cond for up to 90 s: after a crash, a delivery that was in
// flight waits for its lease to run out.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for time.Now().Before(deadline) {
		if cond() {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", what)
}
