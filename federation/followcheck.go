package federation

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gorilla/mux"

	"github.com/colmena-coop/colmena/directory"
)

// The follow check: a follow this node made can break without a word
// from the other side. A node set up afresh at the same address (a demo
// node run with --reset, a lost database) has new keys and no record of
// this node as a follower, so nothing arrives while the follow still
// reads "accepted". The check fetches each followed actor and marks the
// follow broken, with the reason and since when, when
//   - the actor's key is not the one it accepted the follow with,
//   - the actor answers 410 Gone or 404 Not Found, or
//   - the actor's node no longer counts this node's instance actor among
//     its followers, as its followers_synchronization collection says.
//
// A failure that says nothing of the follow (no answer, a timeout, 5xx,
// 429, a refusal to this node) changes nothing. The admin renews a broken
// follow in the console (RenewFollow).
//
// The followers_synchronization collection is FEP-8fcf's, as Mastodon
// serves it at the same place below each actor: asked with a signed GET,
// it lists only the actor's followers on the signer's own host, so a
// node learns whether it still follows without anyone learning others'
// followers. It is asked only of Colmena actors; a node that does not
// serve it (404) is not found wanting.

// Defaults and bounds of the follow check.
const (
	// DefaultFollowCheckEvery is how often each follow is checked.
	DefaultFollowCheckEvery = 24 * time.Hour
	// FollowCheckBatch bounds how many follows one run checks; the rest
	// wait for the next run, which comes soon when a run was full.
	FollowCheckBatch = 50
	// followCheckRun bounds one run's time in all.
	followCheckRun = 10 * time.Minute
	// followCheckAtStart: at start, follows checked longer ago than this
	// are checked again, so that replicas starting together, or a node
	// restarting in a loop, do not ask again and again.
	followCheckAtStart = time.Hour
	// followCheckSoon is the wait after a full run.
	followCheckSoon = time.Minute
	// MaxFollowersSync bounds the followers one followers_synchronization
	// answer lists, and the size this node reads of one.
	MaxFollowersSync     = 1000
	maxFollowersSyncBody = 256 << 10
)

func followersSyncOf(actor string) string { return collectionOf(actor, "followers_synchronization") }

// followCheckLoop checks follows at start and then each as it falls due,
// once every followCheckEvery. The store hands each due follow to one
// replica (ClaimFollowChecks).
func (f *Federation) followCheckLoop(ctx context.Context) {
	olderThan := min(f.followCheckEvery, followCheckAtStart)
	for {
		n, err := f.CheckFollows(ctx, f.now().Add(-olderThan))
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			f.log.Error("checking follows", slog.Any("error", err))
		}
		olderThan = f.followCheckEvery
		// Due follows are looked for often enough that each is checked
		// close to its time, and at once again after a full run.
		wait := min(f.followCheckEvery, time.Hour)
		if n == FollowCheckBatch {
			wait = min(wait, followCheckSoon)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}

// CheckFollows checks up to FollowCheckBatch pending or accepted follows
// last checked before the given time, and reports how many it took.
func (f *Federation) CheckFollows(ctx context.Context, before time.Time) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, followCheckRun)
	defer cancel()
	fs, err := f.store.ClaimFollowChecks(ctx, before, f.now(), FollowCheckBatch)
	if err != nil {
		return 0, err
	}
	for _, fl := range fs {
		if err := f.checkFollow(ctx, &fl); err != nil {
			if ctx.Err() != nil {
				return len(fs), ctx.Err()
			}
			f.log.Error("checking a follow", slog.String("target", fl.Target), slog.Any("error", err))
		}
	}
	return len(fs), nil
}

// checkFollow checks one follow and marks it broken when it is.
func (f *Federation) checkFollow(ctx context.Context, fl *directory.Follow) error {
	reason, err := f.followBroken(ctx, fl)
	if err != nil || reason == "" {
		return err
	}
	f.log.WarnContext(ctx, "a follow is broken", slog.String("target", fl.Target), slog.String("reason", reason))
	return f.store.MarkFollowBroken(ctx, fl.ID, reason, f.now())
}

// followBroken tells why a follow is broken, or "" when nothing says so.
func (f *Federation) followBroken(ctx context.Context, fl *directory.Follow) (string, error) {
	actx, cancel := context.WithTimeout(ctx, f.deliver.Timeout)
	a, err := f.FetchActor(actx, fl.Target)
	cancel()
	if err != nil {
		var fe *FetchError
		if errors.As(err, &fe) {
			switch fe.Status {
			case http.StatusGone:
				return directory.FollowGone, nil
			case http.StatusNotFound:
				return directory.FollowNotFound, nil
			}
		}
		// Down, slow, failing or refusing: that says nothing of the
		// follow. The next check asks again.
		f.log.InfoContext(ctx, "a follow could not be checked", slog.String("target", fl.Target), slog.Any("error", err))
		return "", nil
	}
	if fl.State != directory.FollowAccepted {
		return "", nil // nothing was accepted yet to compare with
	}
	if fl.AcceptedKey == "" {
		// Accepted before keys were recorded: the key now is the one to
		// compare with from now on.
		return "", f.store.SetFollowKey(ctx, fl.ID, a.PublicPEM)
	}
	if !sameKey(fl.AcceptedKey, a.PublicPEM) {
		return directory.FollowKeyChanged, nil
	}
	if !isFederationActor(a) && !isCoopActor(a) {
		return "", nil // not a Colmena actor: no synchronization collection to ask
	}
	sctx, cancel := context.WithTimeout(ctx, f.deliver.Timeout)
	defer cancel()
	following, known := f.stillFollower(sctx, fl.Target)
	if known && !following {
		return directory.FollowNotFollower, nil
	}
	return "", nil
}

// stillFollower asks the followed actor's node whether this node's
// instance actor is among its followers; known is false when it did not
// say.
func (f *Federation) stillFollower(ctx context.Context, actor string) (following, known bool) {
	u := followersSyncOf(actor)
	body, _, _, err := f.client.getActivity(ctx, u, "", maxFollowersSyncBody)
	if err != nil {
		f.log.InfoContext(ctx, "followers synchronization not read", slog.String("url", u), slog.Any("error", err))
		return false, false
	}
	var c struct {
		ID           string   `json:"id"`
		OrderedItems []string `json:"orderedItems"`
	}
	if err := json.Unmarshal(body, &c); err != nil || c.ID != u {
		f.log.InfoContext(ctx, "followers synchronization unreadable", slog.String("url", u), slog.Any("error", err))
		return false, false
	}
	return slices.Contains(c.OrderedItems, f.links.InstanceActor()), true
}

// sameKey reports whether two PEM texts hold the same public key.
func sameKey(a, b string) bool {
	ka, erra := ParsePublicKey(a)
	kb, errb := ParsePublicKey(b)
	if erra != nil || errb != nil {
		return strings.TrimSpace(a) == strings.TrimSpace(b)
	}
	return ka.Equal(kb)
}

// getFollowersSync answers a signed GET of an actor's
// followers_synchronization collection with the actor's followers on the
// signer's host, up to MaxFollowersSync; unsigned gets 401.
func (f *Federation) getFollowersSync(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	actor := f.links.Federation()
	if h, ok := mux.Vars(r)["handle"]; ok {
		c, err := f.store.LocalCoop(ctx, h)
		if err != nil {
			f.fail(w, r, err)
			return
		}
		actor = c.APID
	}
	signer, err := f.authenticate(ctx, r, nil, &Incoming{})
	if err != nil {
		f.fail(w, r, err)
		return
	}
	scheme, rest, _ := strings.Cut(signer.APID, "://")
	host, _, _ := strings.Cut(rest, "/")
	ids, err := f.store.FollowersOnHost(ctx, actor, scheme+"://"+host+"/", MaxFollowersSync)
	if err != nil {
		f.fail(w, r, err)
		return
	}
	if ids == nil {
		ids = []string{}
	}
	body, _ := json.Marshal(struct {
		Context      string   `json:"@context"`
		ID           string   `json:"id"`
		Type         string   `json:"type"`
		TotalItems   int      `json:"totalItems"`
		OrderedItems []string `json:"orderedItems"`
	}{asContext, followersSyncOf(actor), "OrderedCollection", len(ids), ids})
	h := w.Header()
	h.Set("Content-Type", ContentTypeAS)
	// The answer depends on who asked: no shared cache may keep it.
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}
