package federation

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"

	"github.com/gorilla/mux"

	"github.com/colmena-coop/colmena/directory"
)

// The inbox: receiving an activity, checking its signature and origin,
// and handing it to the handler of its type.

// knownTypes are the activity types this node understands; go-fed checks
// their vocabulary. Others are accepted with 202 and ignored.
var knownTypes = map[string]bool{
	"Follow": true, "Undo": true, "Accept": true, "Reject": true, "Create": true, "Update": true,
	"Delete": true, "Announce": true, "Add": true, "Remove": true, "Like": true,
}

// postInbox is the shared and every per-actor inbox. Refusals: 415 for a
// wrong content type, 413 over 1 MiB, 400 for malformed activities, JSON
// nesting deeper than MaxDepth or ids longer than MaxIDLength, 401
// unsigned, wrongly signed or signed for another host, 403 when the
// signer is not the activity's actor, objects are not on the actor's host
// or a domain it names is blocked, 404 for an actor not here (statusOf,
// errors.go, says which). Accepted activities get 202.
func (f *Federation) postInbox(w http.ResponseWriter, r *http.Request) {
	if err := f.receive(w, r); err != nil {
		if st := statusOf(err); st == http.StatusUnauthorized || st == http.StatusForbidden {
			f.log.InfoContext(r.Context(), "inbox refused", slog.Int("status", st), slog.String("reason", safeMessage(err)),
				slog.String("remote", r.RemoteAddr))
		}
		f.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusAccepted)
}

func (f *Federation) receive(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if !IsASContentType(r.Header.Get("Content-Type")) {
		return refuse(kindMediaType, "send application/activity+json")
	}
	if r.ContentLength > MaxDocument {
		return refuse(kindTooLarge, "the activity is larger than 1 MiB")
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxDocument))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return refuse(kindTooLarge, "the activity is larger than 1 MiB")
		}
		return directory.Invalidf("", "the body could not be read")
	}
	// Refused before anything else is spent on it: a document nested
	// thousands of levels deep costs its decoder far more than its size.
	if err := checkDepth(body, MaxDepth); err != nil {
		return directory.Invalidf("", "the activity is refused: %v", err)
	}
	// A per-actor inbox must belong to an actor of this node.
	if h, ok := mux.Vars(r)["handle"]; ok {
		if _, err := f.store.LocalCoop(ctx, h); err != nil {
			if directory.KindOf(err) == directory.KindNotFound {
				return directory.NotFoundf("no co-op has the handle %q here", h)
			}
			return err
		}
	}
	// The activity is read before its signature is checked: what is
	// malformed or too large is refused before any key is fetched.
	act, err := DecodeActivity(ctx, body)
	if err != nil {
		return err
	}
	signer, err := f.authenticate(ctx, r, body, act)
	if err != nil {
		return err
	}
	if act.Actor != signer.APID {
		return directory.Forbiddenf("the activity's actor %s is not the signer %s", act.Actor, signer.APID)
	}
	if hostOf(act.ID) != signer.Host {
		return directory.Forbiddenf("the activity id %s is not on the actor's host", act.ID)
	}
	typ, obj := act.Type, act.Object
	if !knownTypes[typ] {
		f.log.DebugContext(ctx, "ignoring an activity of unknown type", slog.String("type", typ), slog.String("actor", signer.APID))
		return nil
	}
	if (typ == "Create" || typ == "Update" || typ == "Delete") && obj.ID != "" && hostOf(obj.ID) != signer.Host {
		return directory.Forbiddenf("the object %s is not on the actor's host", obj.ID)
	}
	if f.isJobCreate(ctx, signer, act) {
		return f.applyJobCreate(ctx, signer, act)
	}
	fresh, err := f.store.MarkSeen(ctx, act.ID, f.now())
	if err != nil {
		return err
	}
	if !fresh {
		return nil // already applied
	}
	if err := f.apply(ctx, signer, act, body); err != nil {
		// Let the sender's retry be applied: forget that it was seen.
		if ferr := f.store.ForgetSeen(context.WithoutCancel(ctx), act.ID); ferr != nil {
			f.log.ErrorContext(ctx, "forgetting a failed activity", slog.Any("error", ferr))
		}
		return err
	}
	return nil
}

// apply does what an accepted activity asks: each type is handled in the
// file named after it (follow.go, undo.go, accept_reject.go, create.go,
// update.go, delete.go, announce.go, add_remove.go); interactions.go
// takes replies, favourites and boosts of local jobs (Like among them).
func (f *Federation) apply(ctx context.Context, signer *directory.RemoteActor, act *Incoming, body []byte) error {
	obj := act.Object
	// Replies, favourites and boosts of local jobs and the posts of
	// followed accounts are taken first (interactions.go).
	switch act.Type {
	case "Follow":
		return f.onFollow(ctx, signer, act.ID, obj, body)
	case "Undo":
		if handled, err := f.onUndoInteraction(ctx, signer, obj); handled || err != nil {
			return err
		}
		return f.onUndo(ctx, signer, obj)
	case "Accept", "Reject":
		return f.onAcceptOrReject(ctx, signer, act.Type, obj)
	case "Create":
		if handled, err := f.onCreateInteraction(ctx, signer, act); handled || err != nil {
			return err
		}
		return f.onCreate(ctx, signer, obj)
	case "Update":
		if err := f.onUpdateInteraction(ctx, signer, obj); err != nil {
			return err
		}
		return f.onUpdate(ctx, signer, obj)
	case "Delete":
		if err := f.onDeleteInteraction(ctx, signer, obj); err != nil {
			return err
		}
		return f.onDelete(ctx, signer, obj)
	case "Like":
		return f.onLike(ctx, signer, act)
	case "Announce":
		if handled, err := f.onBoost(ctx, signer, act); handled || err != nil {
			return err
		}
		return f.onAnnounce(ctx, signer, obj)
	case "Add":
		return f.onAdd(ctx, signer, act)
	case "Remove":
		return f.onRemove(ctx, signer, act)
	}
	return nil
}

// authenticate checks the HTTP signature of an activity and returns the
// signing actor. Before any key is fetched, every host the signature and
// the activity name is checked against the domain blocks.
func (f *Federation) authenticate(ctx context.Context, r *http.Request, body []byte, act *Incoming) (*directory.RemoteActor, error) {
	if r.Header.Get("Signature-Input") != "" {
		return f.authenticateMessageSignature(ctx, r, body, act) // RFC 9421, rfc9421.go
	}
	params, err := ParseSignature(r.Header.Get("Signature"))
	if err != nil {
		return nil, directory.Unauthorizedf("%v", err)
	}
	if len(params.KeyID) > MaxIDLength {
		return nil, directory.Invalidf("", "the signature's keyId is longer than %d bytes", MaxIDLength)
	}
	if err := CheckSigned(r, params, body, f.now()); err != nil {
		return nil, directory.Unauthorizedf("%v", err)
	}
	// The Host the request arrived with must name this node, whether or
	// not the signature covers it: when it does, the signature verifies
	// only for that Host, so a request signed for another server cannot
	// be replayed here; when it does not, (request-target) and the Digest
	// tie it to this request, and the Host is checked as Mastodon's host
	// authorization checks it.
	if !f.isOwnHost(r.Host) {
		return nil, directory.Unauthorizedf("the request was signed for the host %q, not this server's %q", r.Host, f.links.Host())
	}
	if err := f.refuseBlockedHosts(ctx, activityHosts(act, params.KeyID)...); err != nil {
		return nil, err
	}
	if hostOf(params.KeyID) == f.links.Host() {
		return nil, directory.Unauthorizedf("the key %s is this server's own", params.KeyID)
	}
	// A key that verified a moment ago is used without reading its actor
	// again; when it does not verify, the stored actor is read, and the
	// key fetched again if it is old enough, as for any key.
	now := f.now()
	if a, key := f.keys.lookup(params.KeyID, now); a != nil {
		if VerifySignature(r, key) == nil {
			return a, nil
		}
		f.keys.forget(params.KeyID)
	}
	a, err := f.actorVerifying(ctx, params.KeyID, func(a *directory.RemoteActor) error { return f.verifyWith(r, a) })
	if err == nil {
		f.keys.remember(params.KeyID, a, now)
	}
	return a, err
}

func (f *Federation) verifyWith(r *http.Request, a *directory.RemoteActor) error {
	key, err := f.keys.parse(a.PublicPEM)
	if err != nil {
		return fmt.Errorf("the key of %s: %w", a.APID, err)
	}
	return VerifySignature(r, key)
}

// isOwnHost reports whether a request's Host names this node: its public
// host, in any case, with or without a final dot or the scheme's default
// port.
func (f *Federation) isOwnHost(host string) bool {
	scheme, _, _ := strings.Cut(f.links.Base(), "://")
	return canonicalHost(scheme, host) == canonicalHost(scheme, f.links.Host())
}
