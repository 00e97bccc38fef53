package federation

import (
	"context"
	"encoding/json"
	"log/slog"

	"github.com/colmena-coop/colmena/directory"
)

// Follow: another server follows one of this node's actors. Co-ops and the
// federation accept; the instance actor, which only signs, rejects.

// localActor tells which local actor an id names: the instance actor, the
// federation, a live search actor or a local co-op.
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
	if ok, err := f.isSearchActor(ctx, id); err != nil || ok {
		return "search", err
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

// onFollow records a follower of a local actor and queues the answer,
// which embeds the whole Follow; the worker delivers it.
func (f *Federation) onFollow(ctx context.Context, follower *directory.RemoteActor, followID string, obj *objectRef, raw []byte) error {
	kind, err := f.localActor(ctx, obj.ID)
	if err != nil {
		return err
	}
	if kind == "" {
		return directory.NotFoundf("%s is not an actor of this server", obj.ID)
	}
	// A follower whose inbox is on a blocked domain would get nothing.
	if err := f.refuseBlockedHosts(ctx, follower.DeliveryInbox()); err != nil {
		return err
	}
	reply := "Accept"
	if kind == "instance" {
		reply = "Reject" // the instance actor signs; it has no timeline to follow
	}
	answer := &Activity{
		Context: asContext, ID: f.answerID(obj.ID, reply, followID), Type: reply,
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
	if kind == "search" {
		f.touchSearch(ctx, obj.ID)
	}
	f.log.InfoContext(ctx, "follow", slog.String("follower", follower.APID), slog.String("followed", obj.ID), slog.String("answer", reply))
	f.Nudge()
	return nil
}
