package web_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/internal/teststore"
	"github.com/colmena-coop/colmena/web"
)

// node is a test node: a real store behind a real HTTP server.
type node struct {
	t     *testing.T
	srv   *httptest.Server
	svc   *directory.Service
	store directory.Store
	admin string
}

type opener = teststore.Opener

func engines() map[string]opener { return teststore.Engines() }

// eachEngine runs fn once per store engine.
func eachEngine(t *testing.T, fn func(t *testing.T, n *node)) {
	teststore.Each(t, func(t *testing.T, open opener) { fn(t, newNode(t, open)) })
}

func newNode(t *testing.T, open opener) *node {
	t.Helper()
	st := open(t)
	srv := httptest.NewUnstartedServer(nil)
	links, err := directory.NewLinks("http://" + srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	svc := directory.NewService(st, links, time.Now)
	if _, err := svc.Init(t.Context(), directory.FederationSettings{Name: "EthiX", Handle: "ethix"}); err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = web.New(web.Config{Service: svc, Version: "test"}).Handler()
	srv.Start()
	t.Cleanup(srv.Close)
	admin, err := svc.CreateToken(t.Context(), "", "test")
	if err != nil {
		t.Fatal(err)
	}
	return &node{t: t, srv: srv, svc: svc, store: st, admin: admin}
}

type reply struct {
	status int
	header http.Header
	body   []byte
}

func (r reply) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("status %d, body %q is not a JSON object: %v", r.status, r.body, err)
	}
	return m
}

func (n *node) do(method, path, token string, body any) reply {
	n.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		js, err := json.Marshal(b)
		if err != nil {
			n.t.Fatal(err)
		}
		rd = bytes.NewReader(js)
	}
	req, err := http.NewRequestWithContext(n.t.Context(), method, n.srv.URL+path, rd)
	if err != nil {
		n.t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		n.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		n.t.Fatal(err)
	}
	return reply{status: resp.StatusCode, header: resp.Header, body: b}
}

func (n *node) expect(r reply, status int, errContains string) {
	n.t.Helper()
	if r.status != status {
		n.t.Fatalf("status %d, want %d; body %s", r.status, status, r.body)
	}
	if errContains != "" {
		msg, _ := r.json(n.t)["error"].(string)
		if !strings.Contains(msg, errContains) {
			n.t.Fatalf("error %q does not mention %q", msg, errContains)
		}
	}
}

var gcoop = map[string]any{
	"handle": "gcoop", "name": "GCoop", "summary": "Software libre", "country": "AR", "city": "Buenos Aires",
	"founded": 2009, "workers": 40, "website": "https://gcoop.example", "email": "info@gcoop.example",
	"languages": []string{"es"}, "skills": []string{"go", "python"}, "governance": "Asamblea",
}

func goJob() map[string]any {
	return map[string]any{
		"title": "Desarrolladora Go", "description": "Buscamos **compañera**.", "skills": []string{"go"},
		"remote": "remote", "country": "AR", "employment_type": "full_time",
		"salary":    map[string]any{"min": 2500, "max": 3500, "currency": "USD", "period": "month"},
		"languages": []string{"es"}, "apply_url": "https://gcoop.example/jobs",
		"valid_through": time.Now().Add(30 * 24 * time.Hour).UTC().Format(time.RFC3339),
	}
}

func TestCoopLifecycle(t *testing.T) {
	eachEngine(t, func(t *testing.T, n *node) {
		n.expect(n.do("POST", "/api/v1/coops", "", gcoop), 401, "token")
		n.expect(n.do("POST", "/api/v1/coops", "colmena_wrong", gcoop), 401, "not valid")
		r := n.do("POST", "/api/v1/coops", n.admin, gcoop)
		n.expect(r, 201, "")
		c := r.json(t)
		if c["id"] != n.srv.URL+"/coops/gcoop" || c["local"] != true || c["workers"] != 40.0 {
			t.Fatalf("created: %s", r.body)
		}
		feds := c["federations"].([]any)
		if len(feds) != 1 || feds[0].(map[string]any)["name"] != "EthiX" || feds[0].(map[string]any)["id"] != n.srv.URL+"/federation" {
			t.Fatalf("federations: %v", feds)
		}
		n.expect(n.do("POST", "/api/v1/coops", n.admin, gcoop), 409, "handle")

		coopTok, err := n.svc.CreateToken(t.Context(), "gcoop", "")
		if err != nil {
			t.Fatal(err)
		}
		other := map[string]any{"handle": "fiqus", "name": "Fiqus", "country": "AR", "workers": 12}
		n.expect(n.do("POST", "/api/v1/coops", coopTok, other), 403, "")
		n.expect(n.do("POST", "/api/v1/coops", n.admin, other), 201, "")
		fiqusTok, _ := n.svc.CreateToken(t.Context(), "fiqus", "")

		r = n.do("PATCH", "/api/v1/coops/gcoop", coopTok, map[string]any{"workers": 42, "city": "Rosario"})
		n.expect(r, 200, "")
		if got := r.json(t); got["workers"] != 42.0 || got["city"] != "Rosario" || got["name"] != "GCoop" {
			t.Fatalf("patched: %s", r.body)
		}
		n.expect(n.do("PATCH", "/api/v1/coops/gcoop", fiqusTok, map[string]any{"workers": 1}), 403, "own co-op")
		n.expect(n.do("PATCH", "/api/v1/coops/gcoop", coopTok, map[string]any{"handle": "other"}), 400, "handle")
		n.expect(n.do("PATCH", "/api/v1/coops/nobody", n.admin, map[string]any{"workers": 1}), 404, "")

		r = n.do("GET", "/api/v1/coops/gcoop", "", nil)
		n.expect(r, 200, "")
		if got := r.json(t); got["workers"] != 42.0 || got["acct"] != "gcoop@"+n.srv.Listener.Addr().String() {
			t.Fatalf("read: %s", r.body)
		}
		r = n.do("GET", "/api/v1/coops?country=ar&skill=GO", "", nil)
		n.expect(r, 200, "")
		page := r.json(t)
		if page["total"] != 1.0 || page["next_cursor"] != nil {
			t.Fatalf("list: %s", r.body)
		}

		n.expect(n.do("DELETE", "/api/v1/coops/gcoop", coopTok, nil), 403, "admin")
		n.expect(n.do("DELETE", "/api/v1/coops/gcoop", n.admin, nil), 204, "")
		n.expect(n.do("GET", "/api/v1/coops/gcoop", "", nil), 404, "gcoop")
		// The deleted co-op's token no longer works.
		n.expect(n.do("PATCH", "/api/v1/coops/fiqus", coopTok, map[string]any{"workers": 1}), 401, "")
	})
}

func TestBadInputStoresNothing(t *testing.T) {
	eachEngine(t, func(t *testing.T, n *node) {
		n.expect(n.do("POST", "/api/v1/coops", n.admin, gcoop), 201, "")
		big := `{"handle":"big","name":"` + strings.Repeat("x", 1<<20) + `"}`
		cases := []struct {
			name   string
			body   any
			status int
			says   string
		}{
			{"malformed", `{"handle": "x",`, 400, "not valid JSON"},
			{"not an object", `[1, 2]`, 400, "body"},
			{"unknown field", `{"handle":"x","name":"X","country":"AR","workers":3,"colour":"red"}`, 400, "colour"},
			{"wrong type", `{"handle":"x","name":"X","country":"AR","workers":"many"}`, 400, "workers"},
			{"wrong list type", `{"handle":"x","name":"X","country":"AR","workers":3,"skills":"go"}`, 400, "skills"},
			{"missing name", `{"handle":"x","country":"AR","workers":3}`, 400, "name"},
			{"missing handle", `{"name":"X","country":"AR","workers":3}`, 400, "handle"},
			{"bad handle", `{"handle":"Bad Handle","name":"X","country":"AR","workers":3}`, 400, "handle"},
			{"bad country", `{"handle":"x","name":"X","country":"UK","workers":3}`, 400, "country"},
			{"zero workers", `{"handle":"x","name":"X","country":"AR","workers":0}`, 400, "workers"},
			{"bad language", `{"handle":"x","name":"X","country":"AR","workers":3,"languages":["not a tag"]}`, 400, "languages"},
			{"bad website", `{"handle":"x","name":"X","country":"AR","workers":3,"website":"javascript:alert(1)"}`, 400, "website"},
			{"bad email", `{"handle":"x","name":"X","country":"AR","workers":3,"email":"nobody"}`, 400, "email"},
			{"trailing data", `{"handle":"x","name":"X","country":"AR","workers":3} {}`, 400, "after"},
			{"empty", ``, 400, "empty"},
			{"too large", big, 413, "1 MiB"},
		}
		for _, tc := range cases {
			r := n.do("POST", "/api/v1/coops", n.admin, tc.body)
			if r.status != tc.status {
				t.Fatalf("%s: status %d, want %d: %s", tc.name, r.status, tc.status, r.body)
			}
			if msg := r.json(t)["error"].(string); !strings.Contains(msg, tc.says) {
				t.Fatalf("%s: error %q does not mention %q", tc.name, msg, tc.says)
			}
		}
		// A validation failure names its field and code, for clients
		// that word it themselves.
		r := n.do("POST", "/api/v1/coops", n.admin, `{"handle":"x","name":"X","country":"UK","workers":3}`)
		if m := r.json(t); m["field"] != "country" || m["code"] != "country" {
			t.Errorf("error body %v: want field and code country", m)
		}
		if m := n.do("POST", "/api/v1/coops", n.admin, `{"handle":"x",`).json(t); m["code"] != nil {
			t.Errorf("a malformed body has a validation code: %v", m)
		}
		req, _ := http.NewRequest("POST", n.srv.URL+"/api/v1/coops", strings.NewReader(`handle=x`))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Authorization", "Bearer "+n.admin)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 415 {
			t.Fatalf("form body: %d", resp.StatusCode)
		}
		// Bad patches and jobs leave the stored co-op as it was.
		n.expect(n.do("PATCH", "/api/v1/coops/gcoop", n.admin, `{"workers": -3}`), 400, "workers")
		n.expect(n.do("PATCH", "/api/v1/coops/gcoop", n.admin, `{"workers": 3, "name": ""}`), 400, "name")
		n.expect(n.do("PATCH", "/api/v1/coops/gcoop", n.admin, `{"workers": 3.5}`), 400, "workers")
		job := goJob()
		job["salary"] = map[string]any{"min": 3000, "max": 2000, "currency": "USD", "period": "month"}
		n.expect(n.do("POST", "/api/v1/coops/gcoop/jobs", n.admin, job), 400, "salary.max")
		job["salary"] = map[string]any{"min": 3000, "currency": "DOLLARS", "period": "month"}
		n.expect(n.do("POST", "/api/v1/coops/gcoop/jobs", n.admin, job), 400, "salary.currency")
		job = goJob()
		job["valid_through"] = "next week"
		n.expect(n.do("POST", "/api/v1/coops/gcoop/jobs", n.admin, job), 400, "valid_through")
		job["valid_through"] = "2001-01-01T00:00:00Z"
		n.expect(n.do("POST", "/api/v1/coops/gcoop/jobs", n.admin, job), 400, "valid_through")
		job = goJob()
		delete(job, "apply_url")
		n.expect(n.do("POST", "/api/v1/coops/gcoop/jobs", n.admin, job), 400, "apply")
		job = goJob()
		job["remote"] = "sometimes"
		n.expect(n.do("POST", "/api/v1/coops/gcoop/jobs", n.admin, job), 400, "remote")

		r = n.do("GET", "/api/v1/coops", "", nil)
		if page := r.json(t); page["total"] != 1.0 {
			t.Fatalf("something was stored: %s", r.body)
		}
		c := n.do("GET", "/api/v1/coops/gcoop", "", nil).json(t)
		if c["workers"] != 40.0 || c["name"] != "GCoop" {
			t.Fatalf("co-op changed: %v", c)
		}
		if jobs := n.do("GET", "/api/v1/jobs", "", nil).json(t); jobs["total"] != 0.0 {
			t.Fatalf("a job was stored: %v", jobs)
		}
	})
}

func TestJobLifecycleAndSearch(t *testing.T) {
	eachEngine(t, func(t *testing.T, n *node) {
		n.expect(n.do("POST", "/api/v1/coops", n.admin, gcoop), 201, "")
		tok, _ := n.svc.CreateToken(t.Context(), "gcoop", "")
		r := n.do("POST", "/api/v1/coops/gcoop/jobs", tok, goJob())
		n.expect(r, 201, "")
		j := r.json(t)
		id := j["id"].(string)
		if !strings.HasPrefix(id, n.srv.URL+"/jobs/") || j["published"] == nil || j["local"] != true {
			t.Fatalf("created: %s", r.body)
		}
		if sal := j["salary"].(map[string]any); sal["currency"] != "USD" || sal["min"] != 2500.0 {
			t.Fatalf("salary: %v", sal)
		}
		if c := j["coop"].(map[string]any); c["handle"] != "gcoop" || c["id"] != n.srv.URL+"/coops/gcoop" {
			t.Fatalf("coop: %v", c)
		}
		key := strings.TrimPrefix(id, n.srv.URL+"/jobs/")
		n.expect(n.do("GET", "/api/v1/jobs/"+key, "", nil), 200, "")
		r = n.do("GET", "/api/v1/jobs/"+url.PathEscape(id), "", nil)
		n.expect(r, 200, "")
		if r.json(t)["title"] != "Desarrolladora Go" {
			t.Fatalf("by escaped id: %s", r.body)
		}

		r = n.do("PATCH", "/api/v1/jobs/"+url.PathEscape(id), tok, map[string]any{"title": "Go developer", "salary": nil})
		n.expect(r, 200, "")
		if got := r.json(t); got["title"] != "Go developer" || got["salary"] != nil || got["updated"] == got["published"] {
			t.Fatalf("patched: %s", r.body)
		}
		n.expect(n.do("PATCH", "/api/v1/jobs/"+key, tok, map[string]any{"salary": map[string]any{"min": "lots"}}), 400, "salary.min")

		for i, spec := range []map[string]any{
			{"title": "Elixir developer", "skills": []string{"elixir"}, "remote": "hybrid", "country": "UY", "languages": []string{"en"}},
			{"title": "Rust developer", "skills": []string{"rust", "go"}, "remote": "onsite", "country": "AR", "languages": []string{"es", "en"}},
		} {
			job := goJob()
			for k, v := range spec {
				job[k] = v
			}
			job["salary"] = map[string]any{"min": 100 + i, "currency": "ARS", "period": "hour"}
			n.expect(n.do("POST", "/api/v1/coops/gcoop/jobs", n.admin, job), 201, "")
		}
		r = n.do("GET", "/api/v1/jobs?q=developer&skill=go&skill=elixir&country=ar&country=UY", "", nil)
		n.expect(r, 200, "")
		page := r.json(t)
		if page["total"] != 3.0 || len(page["items"].([]any)) != 3 {
			t.Fatalf("search: %s", r.body)
		}
		facets := page["facets"].(map[string]any)
		for _, f := range []string{"country", "skill", "remote", "language", "federation", "type", "currency"} {
			if _, ok := facets[f].([]any); !ok {
				t.Fatalf("facet %s missing: %v", f, facets)
			}
		}
		fed := facets["federation"].([]any)[0].(map[string]any)
		if fed["value"] != n.srv.URL+"/federation" || fed["count"] != 3.0 || fed["label"] != "EthiX" {
			t.Fatalf("federation facet: %v", fed)
		}
		r = n.do("GET", "/api/v1/jobs?currency=ars&remote=onsite", "", nil)
		if items := r.json(t)["items"].([]any); len(items) != 1 || items[0].(map[string]any)["title"] != "Rust developer" {
			t.Fatalf("currency+remote: %s", r.body)
		}
		r = n.do("GET", "/api/v1/jobs?type=full_time&currency=ARS", "", nil)
		if got := r.json(t); got["total"] != 2.0 || len(got["facets"].(map[string]any)["currency"].([]any)) != 1 {
			t.Fatalf("type+currency: %s", r.body)
		}
		n.expect(n.do("GET", "/api/v1/jobs?type=forever", "", nil), 400, "type")
		// Paging through the API.
		var seen []string
		next := "/api/v1/jobs?limit=2"
		for range 5 {
			page := n.do("GET", next, "", nil).json(t)
			for _, it := range page["items"].([]any) {
				seen = append(seen, it.(map[string]any)["title"].(string))
			}
			c, _ := page["next_cursor"].(string)
			if c == "" {
				break
			}
			next = "/api/v1/jobs?limit=2&cursor=" + url.QueryEscape(c)
		}
		if strings.Join(seen, ",") != "Rust developer,Elixir developer,Go developer" {
			t.Fatalf("paged: %v", seen)
		}
		n.expect(n.do("GET", "/api/v1/jobs?cursor=zzz", "", nil), 400, "cursor")
		n.expect(n.do("GET", "/api/v1/jobs?limit=1000", "", nil), 400, "limit")
		n.expect(n.do("GET", "/api/v1/jobs?remote=mars", "", nil), 400, "remote")
		n.expect(n.do("GET", "/api/v1/jobs?sort=pay", "", nil), 400, "sort")
		n.expect(n.do("GET", "/api/v1/jobs?posted_within=yesterday", "", nil), 400, "posted_within")
		if got := n.do("GET", "/api/v1/jobs?posted_within=7d", "", nil).json(t)["total"]; got != 3.0 {
			t.Fatalf("posted_within=7d: %v", got)
		}

		r = n.do("GET", "/api/v1/stats", "", nil)
		n.expect(r, 200, "")
		var st struct {
			Federations []struct {
				ID, Name       string
				Coops, Workers int
				AvgWorkers     float64 `json:"avg_workers"`
				Jobs           int
			}
			Countries []map[string]any
			Totals    map[string]int
		}
		if err := json.Unmarshal(r.body, &st); err != nil {
			t.Fatal(err)
		}
		if len(st.Federations) != 1 || st.Federations[0].Coops != 1 || st.Federations[0].Workers != 40 ||
			st.Federations[0].AvgWorkers != 40 || st.Federations[0].Jobs != 3 ||
			st.Totals["jobs"] != 3 || st.Totals["countries"] != 1 || st.Countries[0]["country"] != "AR" {
			t.Fatalf("stats: %s", r.body)
		}

		other, _ := n.svc.CreateToken(t.Context(), "", "")
		n.do("POST", "/api/v1/coops", other, map[string]any{"handle": "fiqus", "name": "Fiqus", "country": "AR", "workers": 12})
		fiqusTok, _ := n.svc.CreateToken(t.Context(), "fiqus", "")
		n.expect(n.do("DELETE", "/api/v1/jobs/"+key, fiqusTok, nil), 403, "")
		n.expect(n.do("POST", "/api/v1/coops/gcoop/jobs", fiqusTok, goJob()), 403, "")
		n.expect(n.do("DELETE", "/api/v1/jobs/"+key, tok, nil), 204, "")
		n.expect(n.do("GET", "/api/v1/jobs/"+key, "", nil), 404, "")
		n.expect(n.do("DELETE", "/api/v1/jobs/"+key, tok, nil), 404, "")
	})
}

func TestHealthMetricsAndErrors(t *testing.T) {
	n := newNode(t, engines()["sqlite"])
	r := n.do("GET", "/healthz", "", nil)
	n.expect(r, 200, "")
	n.do("GET", "/api/v1/jobs", "", nil)
	r = n.do("GET", "/metrics", "", nil)
	n.expect(r, 200, "")
	if !bytes.Contains(r.body, []byte(`colmena_http_requests_total{code="200",method="GET",route="/api/v1/jobs"} 1`)) {
		t.Fatalf("metrics lack the request count:\n%s", r.body)
	}
	n.expect(n.do("GET", "/api/v1/nothing", "", nil), 404, "nothing")
	n.expect(n.do("PUT", "/api/v1/jobs", "", nil), 405, "PUT")
	r = n.do("GET", "/", "", nil)
	n.expect(r, 200, "")
	if !bytes.Contains(r.body, []byte("EthiX")) || r.header.Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("home: %s %v", r.body, r.header)
	}
	n.do("POST", "/api/v1/coops", n.admin, gcoop)
	r = n.do("GET", "/coops", "", nil)
	n.expect(r, 200, "")
	if !bytes.Contains(r.body, []byte(">GCoop</a>")) {
		t.Fatalf("/coops: %s", r.body)
	}
	r = n.do("GET", "/stats", "", nil)
	n.expect(r, 200, "")
	if !bytes.Contains(r.body, []byte(`<th scope="row"><a href="/federation">EthiX</a></th><td class="num">1</td><td class="num">40</td><td class="num">40.0</td>`)) {
		t.Fatalf("/stats: %s", r.body)
	}
	n.store.Close()
	n.expect(n.do("GET", "/healthz", "", nil), 503, "")
}
