package federation_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/federation"
)

// TestShowWhatAFollowerReceives prints, for one published job, exactly
// what a follower's server receives: every signed HTTP request, headers
// and pretty JSON body. A node and a follower run on 127.0.0.1; the
// follower follows a co-op, the co-op publishes a job. It runs with -v
// or COLMENA_SHOW=1 (see README, "What a follower receives"):
//
//	go test ./federation -run TestShowWhatAFollowerReceives -v
func TestShowWhatAFollowerReceives(t *testing.T) {
	if !testing.Verbose() && os.Getenv("COLMENA_SHOW") == "" {
		t.Skip("prints what a follower receives; run with -v or COLMENA_SHOW=1")
	}
	n := newNode(t, engines()["sqlite"], "SoberaniaX", "soberaniax")
	coop := n.coop("gcoop")
	key, err := testKeys.Key()
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var got []string
	mux := http.NewServeMux()
	var srv *httptest.Server
	reader := func() string { return srv.URL + "/users/reader" }
	mux.HandleFunc("GET /users/reader", func(w http.ResponseWriter, r *http.Request) {
		pub, _ := federation.EncodePublicKey(&key.PublicKey)
		w.Header().Set("Content-Type", federation.ContentTypeAS)
		_ = json.NewEncoder(w).Encode(map[string]any{
			"@context": []any{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"},
			"id":       reader(), "type": "Person", "preferredUsername": "reader", "inbox": reader() + "/inbox",
			"publicKey": map[string]string{"id": reader() + "#main-key", "owner": reader(), "publicKeyPem": pub},
		})
	})
	mux.HandleFunc("POST /users/reader/inbox", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		var b strings.Builder
		fmt.Fprintf(&b, "%s %s\nHost: %s\n", r.Method, r.URL.RequestURI(), r.Host)
		var names []string
		for name := range r.Header {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			for _, v := range r.Header.Values(name) {
				fmt.Fprintf(&b, "%s: %s\n", name, v)
			}
		}
		var pretty bytes.Buffer
		if err := json.Indent(&pretty, body, "", "  "); err != nil {
			pretty.Write(body)
		}
		fmt.Fprintf(&b, "\n%s\n", pretty.String())
		mu.Lock()
		got = append(got, b.String())
		mu.Unlock()
		w.WriteHeader(http.StatusAccepted)
	})
	srv = httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	received := func() int { mu.Lock(); defer mu.Unlock(); return len(got) }

	// The follower follows the co-op, signed as Mastodon 4.5 signs.
	body, _ := json.Marshal(map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": srv.URL + "/follows/1",
		"type": "Follow", "actor": reader(), "object": coop.APID})
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, coop.APID+"/inbox", bytes.NewReader(body))
	req.Header.Set("Content-Type", federation.ContentTypeAS)
	if err := federation.SignMessage(req, body, reader()+"#main-key", key, time.Now()); err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("follow: %d", resp.StatusCode)
	}
	eventually(t, "the Accept", func() bool { return received() == 1 })

	if _, err := n.svc.CreateJob(t.Context(), n.admin, "gcoop", directory.Job{Title: "Desarrolladora Go",
		Description: "Buscamos una **desarrolladora** para nuestras APIs.\n\n- Go\n- PostgreSQL\n\nMás en [nuestro sitio](https://gcoop.example).",
		Skills:      []string{"go", "postgresql"}, Remote: "hybrid", Country: "AR", City: "Rosario", EmploymentType: "full_time",
		Languages: []string{"es", "en"}, Salary: &directory.Salary{Min: 2500, Max: 3500, Currency: "USD", Period: "month"},
		ApplyEmail: "empleo@gcoop.example", ValidThrough: time.Now().Add(30 * 24 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the Create", func() bool { return received() == 2 })
	mu.Lock()
	defer mu.Unlock()
	for i, r := range got {
		fmt.Printf("=== request %d of %d the follower %s received\n%s\n", i+1, len(got), reader(), r)
	}
}
