package federation

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"

	"github.com/go-fed/activity/streams"
	"github.com/gorilla/mux"

	"github.com/colmena-coop/colmena/directory"
)

// inboxError is a refusal with its status.
type inboxError struct {
	status int
	msg    string
}

func (e *inboxError) Error() string { return e.msg }

func refuse(status int, format string, args ...any) error {
	return &inboxError{status: status, msg: fmt.Sprintf(format, args...)}
}

// Activity as received: what the inbox reads before dispatching.
type Incoming struct {
	ID     string
	Type   string
	Actor  string
	Object *objectRef
	Raw    []byte
}

// incoming is the raw shape of an activity.
type incoming struct {
	Context json.RawMessage `json:"@context"`
	ID      string          `json:"id"`
	Type    stringOrList    `json:"type"`
	Actor   json.RawMessage `json:"actor"`
	Object  json.RawMessage `json:"object"`
}

// objectRef is an object given by id or embedded.
type objectRef struct {
	ID     string
	Type   string
	Actor  string
	Object string
	Raw    json.RawMessage
}

func parseRef(raw json.RawMessage) (*objectRef, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, errors.New("missing")
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return &objectRef{ID: s, Raw: raw}, nil
	}
	var o struct {
		ID     string          `json:"id"`
		Type   stringOrList    `json:"type"`
		Actor  json.RawMessage `json:"actor"`
		Object json.RawMessage `json:"object"`
	}
	if err := json.Unmarshal(raw, &o); err != nil {
		return nil, errors.New("neither an id nor an object")
	}
	ref := &objectRef{ID: o.ID, Raw: raw}
	if len(o.Type) > 0 {
		ref.Type = o.Type[0]
	}
	if a, err := parseRef(o.Actor); err == nil {
		ref.Actor = a.ID
	}
	if b, err := parseRef(o.Object); err == nil {
		ref.Object = b.ID
	}
	return ref, nil
}

// knownTypes are the activity types this node understands; go-fed checks
// their vocabulary. Others are accepted with 202 and ignored.
var knownTypes = map[string]bool{
	"Follow": true, "Undo": true, "Accept": true, "Reject": true, "Create": true, "Update": true,
	"Delete": true, "Announce": true, "Add": true, "Remove": true,
}

// postInbox is the shared and every per-actor inbox. Refusals: 415 for a
// wrong content type, 413 over 1 MiB, 401 unsigned or wrongly signed, 403
// when the signer is not the activity's actor or objects are not on the
// actor's host, 400 for malformed activities. Accepted activities get 202.
func (f *Federation) postInbox(w http.ResponseWriter, r *http.Request) {
	if err := f.receive(w, r); err != nil {
		var ie *inboxError
		if errors.As(err, &ie) {
			if ie.status == http.StatusUnauthorized || ie.status == http.StatusForbidden {
				f.log.InfoContext(r.Context(), "inbox refused", slog.Int("status", ie.status), slog.String("reason", ie.msg),
					slog.String("remote", r.RemoteAddr))
			}
			writeJSONError(w, ie.status, ie.msg)
			return
		}
		f.serverError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusAccepted)
}

func (f *Federation) receive(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if !IsASContentType(r.Header.Get("Content-Type")) {
		return refuse(http.StatusUnsupportedMediaType, "send application/activity+json")
	}
	if r.ContentLength > MaxDocument {
		return refuse(http.StatusRequestEntityTooLarge, "the activity is larger than 1 MiB")
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxDocument))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return refuse(http.StatusRequestEntityTooLarge, "the activity is larger than 1 MiB")
		}
		return refuse(http.StatusBadRequest, "the body could not be read")
	}
	// A per-actor inbox must belong to an actor of this node.
	if h, ok := mux.Vars(r)["handle"]; ok {
		if _, err := f.store.LocalCoop(ctx, h); err != nil {
			if directory.KindOf(err) == directory.KindNotFound {
				return refuse(http.StatusNotFound, "no co-op has the handle %q here", h)
			}
			return err
		}
	}
	signer, err := f.authenticate(ctx, r, body)
	if err != nil {
		return err
	}

	act, err := DecodeActivity(ctx, body)
	if err != nil {
		return err
	}
	if act.Actor != signer.APID {
		return refuse(http.StatusForbidden, "the activity's actor %s is not the signer %s", act.Actor, signer.APID)
	}
	if hostOf(act.ID) != signer.Host {
		return refuse(http.StatusForbidden, "the activity id %s is not on the actor's host", act.ID)
	}
	typ, obj := act.Type, act.Object
	if !knownTypes[typ] {
		f.log.DebugContext(ctx, "ignoring an activity of unknown type", slog.String("type", typ), slog.String("actor", signer.APID))
		return nil
	}
	if (typ == "Create" || typ == "Update" || typ == "Delete") && obj.ID != "" && hostOf(obj.ID) != signer.Host {
		return refuse(http.StatusForbidden, "the object %s is not on the actor's host", obj.ID)
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

// apply does what an accepted activity asks.
func (f *Federation) apply(ctx context.Context, signer *directory.RemoteActor, act *Incoming, body []byte) error {
	obj := act.Object
	switch act.Type {
	case "Follow":
		return f.onFollow(ctx, signer, act.ID, obj, body)
	case "Undo":
		return f.onUndo(ctx, signer, obj)
	case "Accept", "Reject":
		return f.onAcceptOrReject(ctx, signer, act.Type, obj)
	case "Delete":
		if obj.ID == signer.APID {
			return f.forgetActor(ctx, signer.APID)
		}
		return f.onRemoteContent(ctx, signer, act)
	default:
		return f.onRemoteContent(ctx, signer, act)
	}
}

// DecodeActivity parses an activity from a remote server: JSON with the
// ActivityStreams @context, an id, a type, an actor and, for the types
// this node acts on, an object and vocabulary go-fed accepts. Errors are
// refusals with status 400.
func DecodeActivity(ctx context.Context, body []byte) (*Incoming, error) {
	var act incoming
	if err := json.Unmarshal(body, &act); err != nil {
		return nil, refuse(http.StatusBadRequest, "the activity is not valid JSON")
	}
	if !hasASContext(act.Context) {
		return nil, refuse(http.StatusBadRequest, "the activity lacks the ActivityStreams @context")
	}
	if len(act.Type) == 0 || act.Type[0] == "" {
		return nil, refuse(http.StatusBadRequest, "the activity has no type")
	}
	if act.ID == "" {
		return nil, refuse(http.StatusBadRequest, "the activity has no id")
	}
	if _, err := checkURL(act.ID); err != nil {
		return nil, refuse(http.StatusBadRequest, "the activity id is not an http(s) URL")
	}
	actorRef, err := parseRef(act.Actor)
	if err != nil || actorRef.ID == "" {
		return nil, refuse(http.StatusBadRequest, "the activity has no actor")
	}
	in := &Incoming{ID: act.ID, Type: act.Type[0], Actor: actorRef.ID, Raw: body, Object: &objectRef{}}
	if !knownTypes[in.Type] {
		return in, nil
	}
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, refuse(http.StatusBadRequest, "the activity is not a JSON object")
	}
	if _, err := streams.ToType(ctx, m); err != nil {
		return nil, refuse(http.StatusBadRequest, "the %s activity is malformed: %v", in.Type, err)
	}
	if in.Object, err = parseRef(act.Object); err != nil {
		return nil, refuse(http.StatusBadRequest, "the activity's object is %v", err)
	}
	return in, nil
}

// authenticate checks the HTTP signature and returns the signing actor.
func (f *Federation) authenticate(ctx context.Context, r *http.Request, body []byte) (*directory.RemoteActor, error) {
	params, err := ParseSignature(r.Header.Get("Signature"))
	if err != nil {
		return nil, refuse(http.StatusUnauthorized, "%v", err)
	}
	if err := CheckSigned(r, params, body, f.now()); err != nil {
		return nil, refuse(http.StatusUnauthorized, "%v", err)
	}
	if blocked, err := f.store.Blocked(ctx, hostOf(params.KeyID)); err != nil {
		return nil, err
	} else if blocked {
		return nil, refuse(http.StatusForbidden, "%s is blocked here", hostOf(params.KeyID))
	}
	if hostOf(params.KeyID) == f.links.Host() {
		return nil, refuse(http.StatusUnauthorized, "the key %s is this server's own", params.KeyID)
	}
	actor, err := f.actorForKey(ctx, params.KeyID, false)
	if err != nil {
		return nil, refuse(http.StatusUnauthorized, "the signing key %s could not be fetched: %v", params.KeyID, err)
	}
	if verr := f.verifyWith(r, actor); verr != nil {
		// The key may have been rotated: fetch it again, once.
		if actor, err = f.actorForKey(ctx, params.KeyID, true); err != nil {
			return nil, refuse(http.StatusUnauthorized, "%v", verr)
		}
		if err := f.verifyWith(r, actor); err != nil {
			return nil, refuse(http.StatusUnauthorized, "%v", err)
		}
	}
	return actor, nil
}

func (f *Federation) verifyWith(r *http.Request, a *directory.RemoteActor) error {
	key, err := ParsePublicKey(a.PublicPEM)
	if err != nil {
		return fmt.Errorf("the key of %s: %w", a.APID, err)
	}
	return VerifySignature(r, key)
}

// localActor tells which local actor an id names: the instance actor, the
// federation or a local co-op.
func (f *Federation) localActor(ctx context.Context, id string) (kind string, err error) {
	if id == f.links.InstanceActor() {
		return "instance", nil
	}
	fed, err := f.store.LocalFederation(ctx)
	if err != nil {
		return "", err
	}
	if id == fed.APID {
		return "federation", nil
	}
	c, err := f.store.CoopByAPID(ctx, id)
	if err == nil && c.Local {
		return "coop", nil
	}
	if err != nil && directory.KindOf(err) != directory.KindNotFound {
		return "", err
	}
	return "", nil
}

func (f *Federation) onFollow(ctx context.Context, follower *directory.RemoteActor, followID string, obj *objectRef, raw []byte) error {
	kind, err := f.localActor(ctx, obj.ID)
	if err != nil {
		return err
	}
	if kind == "" {
		return refuse(http.StatusNotFound, "%s is not an actor of this server", obj.ID)
	}
	reply := "Accept"
	if kind == "instance" {
		reply = "Reject" // the instance actor signs; it has no timeline to follow
	}
	sum := sha256.Sum256([]byte(followID))
	answer := &Activity{
		Context: asContext, ID: obj.ID + "#" + strings.ToLower(reply) + "s/" + hex.EncodeToString(sum[:8]), Type: reply,
		Actor: obj.ID, To: []string{follower.APID}, Object: json.RawMessage(raw),
	}
	body, err := json.Marshal(answer)
	if err != nil {
		return err
	}
	now := f.now()
	d := &directory.Delivery{Inbox: follower.Inbox, Signer: obj.ID, ActivityID: answer.ID, Body: body, NextAttemptAt: now, CreatedAt: now}
	if reply == "Reject" {
		err = f.store.EnqueueDeliveries(ctx, []directory.Delivery{*d})
	} else {
		err = f.store.AddFollower(ctx, &directory.Follower{ActorAPID: obj.ID, FollowerAPID: follower.APID,
			Inbox: follower.DeliveryInbox(), FollowID: followID, CreatedAt: now}, d)
	}
	if err != nil {
		return err
	}
	f.log.InfoContext(ctx, "follow", slog.String("follower", follower.APID), slog.String("followed", obj.ID), slog.String("answer", reply))
	f.Nudge()
	return nil
}

func (f *Federation) onUndo(ctx context.Context, actor *directory.RemoteActor, obj *objectRef) error {
	if obj.Type != "" && obj.Type != "Follow" {
		return nil
	}
	if obj.Actor != "" && obj.Actor != actor.APID {
		return refuse(http.StatusForbidden, "only the follower can undo a follow")
	}
	// Match the Follow by its id: an Undo of an older Follow must not end
	// a newer one (servers send both when a follow is retried).
	if obj.ID != "" {
		return f.store.RemoveFollowByID(ctx, actor.APID, obj.ID)
	}
	if obj.Object != "" {
		return f.store.RemoveFollower(ctx, obj.Object, actor.APID)
	}
	return nil
}
