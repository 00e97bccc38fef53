package storetest

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/colmena-coop/colmena/directory"
)

// testAudit: every change made through the service is in the audit log,
// named by who made it (a person, an API token, the command line),
// however it was asked for; a failed audit write is logged and never
// undoes the change.
func testAudit(t *testing.T, open Opener) {
	e := NewEnv(t, open)
	gcoop := e.Coop(t, "gcoop", "AR", 40)
	raw, err := e.Svc.CreateToken(e.Context, "gcoop", "deploy bot")
	if err != nil {
		t.Fatal(err)
	}
	bot, err := e.Svc.Authenticate(e.Context, raw)
	if err != nil {
		t.Fatal(err)
	}
	if bot.TokenID == 0 || bot.CoopID != gcoop.ID || bot.Admin {
		t.Fatalf("token principal: %+v", bot)
	}
	e.Clock.Advance(1)
	j, err := e.Svc.CreateJob(e.Context, bot, "gcoop", directory.Job{Title: "Go developer", Description: "x",
		Remote: directory.RemoteFull, EmploymentType: directory.FullTime, ApplyEmail: "jobs@gcoop.example"})
	if err != nil {
		t.Fatal(err)
	}
	name := "Gcoop"
	if _, err := e.Svc.UpdateCoop(e.Context, bot, "gcoop", directory.CoopPatch{Name: &name}); err != nil {
		t.Fatal(err)
	}
	if err := e.Svc.DeleteJob(e.Context, bot, j.APID); err != nil {
		t.Fatal(err)
	}
	// Refused changes leave no entry.
	mustKind(t, errOf(e.Svc.CreateCoop(e.Context, bot, directory.Coop{Handle: "nope", Name: "Nope", Country: "AR"})), directory.KindForbidden)

	log, err := e.Svc.AuditLog(e.Context, e.Admin, 10)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range log {
		got = append(got, a.Action+" "+a.Target+" by "+a.Actor)
	}
	tokenActor := "API token " + strconv.FormatInt(bot.TokenID, 10)
	want := []string{
		"job.close " + j.APID + " by " + tokenActor,
		"coop.update gcoop by " + tokenActor,
		"job.publish " + j.APID + " by " + tokenActor,
		"coop.create gcoop by command line",
	}
	eq(t, "audit log", strings.Join(got, "\n"), strings.Join(want, "\n"))

	// The audit write fails: the change stands, and the failure is logged.
	var buf syncBuffer
	svc := directory.NewService(failingAudit{e.Store}, e.Links, e.Clock.Now)
	svc.SetLogger(slog.New(slog.NewTextHandler(&buf, nil)))
	if _, err := svc.CreateCoop(e.Context, e.Admin, directory.Coop{Handle: "fiqus", Name: "Fiqus", Country: "AR", Workers: 12}); err != nil {
		t.Fatalf("a failed audit write undid the change: %v", err)
	}
	if _, err := e.Svc.Coop(e.Context, "fiqus"); err != nil {
		t.Fatalf("the co-op is not there: %v", err)
	}
	if out := buf.String(); !strings.Contains(out, "could not write the audit log") || !strings.Contains(out, "coop.create") ||
		!strings.Contains(out, "disk full") {
		t.Errorf("the failed audit write was not logged: %q", out)
	}
}

type failingAudit struct{ directory.Store }

func (failingAudit) AddAudit(context.Context, *directory.AuditEntry) error {
	return errors.New("disk full")
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
