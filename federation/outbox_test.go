package federation

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/internal/teststore"
)

// TestSuspendedCoopNotSent: job events written before a co-op was
// suspended are dropped when the worker gets to them — no Create, Update
// or Announce of its jobs goes out — while the Delete of a job it closes
// still does; a new job of a suspended member hosted elsewhere is not
// boosted either.
func TestSuspendedCoopNotSent(t *testing.T) {
	teststore.Each(t, func(t *testing.T, open teststore.Opener) {
		ctx := t.Context()
		st := open(t)
		links, err := directory.NewLinks("https://ethix.example")
		if err != nil {
			t.Fatal(err)
		}
		svc := directory.NewService(st, links, time.Now)
		fed, err := svc.Init(ctx, directory.FederationSettings{Name: "EthiX", Handle: "ethix"})
		if err != nil {
			t.Fatal(err)
		}
		f := New(Config{Service: svc, Store: st})
		admin := directory.Principal{Admin: true}
		coop, err := svc.CreateCoop(ctx, admin, directory.Coop{Handle: "tacuara", Name: "Tacuara", Country: "AR", Workers: 5})
		if err != nil {
			t.Fatal(err)
		}
		// One follower of the co-op, another (on another server) of the
		// federation, so that both the Create and the Announce go out.
		for i, actor := range []string{coop.APID, fed.APID} {
			host := []string{"https://m.example", "https://n.example"}[i]
			if err := st.AddFollower(ctx, &directory.Follower{ActorAPID: actor, FollowerAPID: host + "/users/ana",
				Inbox: host + "/inbox", FollowID: host + "/follows/" + actor, CreatedAt: time.Now()}, nil); err != nil {
				t.Fatal(err)
			}
		}
		job, err := svc.CreateJob(ctx, admin, "tacuara", directory.Job{Title: "Go developer", Description: "x",
			Remote: directory.RemoteFull, EmploymentType: directory.FullTime, ApplyEmail: "jobs@tacuara.example"})
		if err != nil {
			t.Fatal(err)
		}
		title := "Senior Go developer"
		if _, err := svc.UpdateJob(ctx, admin, job.APID, directory.JobPatch{Title: &title}); err != nil {
			t.Fatal(err)
		}
		sent := func(kinds ...string) map[string]int {
			t.Helper()
			evs, err := st.PendingEvents(ctx, 100)
			if err != nil {
				t.Fatal(err)
			}
			out := map[string]int{}
			for _, ev := range evs {
				for _, k := range kinds {
					if ev.Kind == k {
						ds, err := f.deliveriesFor(ctx, ev)
						if err != nil {
							t.Fatalf("%s: %v", ev.Kind, err)
						}
						for _, d := range ds {
							var a struct{ Type string }
							_ = json.Unmarshal(d.Body, &a)
							out[a.Type]++
						}
					}
				}
			}
			return out
		}
		jobKinds := []string{directory.EventJobCreate, directory.EventJobUpdate, directory.EventJobDelete}
		if got := sent(jobKinds...); got["Create"] != 1 || got["Announce"] != 1 || got["Update"] != 2 {
			t.Fatalf("before the suspension: %v", got)
		}
		if _, err := svc.SetSuspended(ctx, admin, "tacuara", true); err != nil {
			t.Fatal(err)
		}
		if got := sent(jobKinds...); len(got) != 0 {
			t.Fatalf("after the suspension, the events written before it send %v", got)
		}
		if err := svc.DeleteJob(ctx, admin, job.APID); err != nil {
			t.Fatal(err)
		}
		if got := sent(jobKinds...); len(got) != 1 || got["Delete"] != 2 {
			t.Fatalf("closing a job of a suspended co-op sends %v", got)
		}

		// A member hosted elsewhere, suspended by its node: its new job
		// is stored, not boosted.
		remote := &directory.Coop{APID: "https://far.example/coops/lejana", Handle: "lejana", Host: "far.example", Name: "Lejana",
			Workers: 3, URL: "https://far.example/coops/lejana", Suspended: true, CreatedAt: time.Now(), UpdatedAt: time.Now()}
		if err := st.UpsertRemoteCoop(ctx, remote); err != nil {
			t.Fatal(err)
		}
		if err := st.AddMember(ctx, fed.APID, remote.APID, time.Now()); err != nil {
			t.Fatal(err)
		}
		note, _ := json.Marshal(map[string]any{"id": "https://far.example/jobs/1", "type": "Note", "attributedTo": remote.APID,
			"published": "2026-01-02T03:04:05Z", "content": "<p>x</p>", "jobPosting": &JobPosting{Title: "Rust developer",
				EmploymentType: "FULL_TIME", Remote: directory.RemoteFull, ApplyEmail: "jobs@far.example"}})
		before, err := claimAll(ctx, st)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.storeNote(ctx, remote.APID, note); err != nil {
			t.Fatal(err)
		}
		if _, err := st.JobByAPID(ctx, "https://far.example/jobs/1"); err != nil {
			t.Fatalf("the job of a suspended remote member was not stored: %v", err)
		}
		after, err := claimAll(ctx, st)
		if err != nil {
			t.Fatal(err)
		}
		if len(after) != 0 {
			t.Fatalf("%d deliveries queued (%d before) for the job of a suspended member", len(after), len(before))
		}
	})
}

// claimAll claims every delivery due within the hour, host by host.
func claimAll(ctx context.Context, st directory.Store) ([]directory.Delivery, error) {
	now := time.Now().Add(time.Hour)
	hosts, err := st.DueDeliveryHosts(ctx, now, 100)
	if err != nil {
		return nil, err
	}
	var all []directory.Delivery
	for _, h := range hosts {
		ds, err := st.ClaimDeliveries(ctx, h, now, time.Minute, 100)
		if err != nil {
			return nil, err
		}
		all = append(all, ds...)
	}
	return all, nil
}
