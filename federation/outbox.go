package federation

import (
	"context"
	"encoding/json"
	"log/slog"
	"slices"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

// The activities the node sends: outbox events (a job or co-op created,
// changed or deleted, a membership changed) become signed activities, one
// delivery per follower inbox.

// deliveriesFor turns an outbox event into one delivery per inbox.
func (f *Federation) deliveriesFor(ctx context.Context, ev directory.Event) ([]directory.Delivery, error) {
	fed, err := f.store.LocalFederation(ctx)
	if err != nil {
		return nil, err
	}
	type send struct {
		signer   string
		activity *Activity
		to       []string // actors whose followers receive it
		// once skips the inboxes an earlier send of this event reaches:
		// a follower of both a co-op and its federation gets a new job's
		// Create, not also its Announce.
		once bool
	}
	var sends []send
	switch ev.Kind {
	case directory.EventJobCreate, directory.EventJobUpdate:
		j, err := f.store.JobByAPID(ctx, ev.ObjectID)
		if directory.KindOf(err) == directory.KindNotFound {
			return nil, nil // deleted since; its job.delete event follows
		} else if err != nil {
			return nil, err
		}
		// A co-op suspended since the job was written publishes nothing,
		// nor is it boosted; closing its jobs still goes out.
		if c, err := f.store.CoopByAPID(ctx, j.Coop.APID); directory.KindOf(err) == directory.KindNotFound {
			return nil, nil
		} else if err != nil {
			return nil, err
		} else if c.Suspended {
			f.log.InfoContext(ctx, "not sending a job of a suspended co-op", slog.String("job", j.APID))
			return nil, nil
		}
		// The search actors that find it boost it (once each).
		if err := f.announceToSearches(ctx, j.APID); err != nil {
			return nil, err
		}
		note := f.note(j)
		if ev.Kind == directory.EventJobCreate {
			sends = append(sends,
				send{j.Coop.APID, f.wrap("Create", createID(j.APID), j.Coop.APID, j.Published, note), []string{j.Coop.APID}, false},
				send{fed.APID, f.announce(fed.APID, j), []string{fed.APID}, true})
		} else {
			sends = append(sends, send{j.Coop.APID, f.wrap("Update", f.updateID(j.APID, j.Updated), j.Coop.APID, j.Updated, note), []string{j.Coop.APID, fed.APID}, false})
		}
	case directory.EventJobDelete, directory.EventCoopJobDelete:
		if err := f.undoSearchAnnounces(ctx, ev.ObjectID, ev.CreatedAt); err != nil {
			return nil, err
		}
		ts := &Tombstone{ID: ev.ObjectID, Type: "Tombstone", FormerType: "Note", Deleted: asTime(ev.CreatedAt)}
		act := f.wrap("Delete", f.deleteID(ev.ObjectID), ev.ActorID, ev.CreatedAt, ts)
		sends = append(sends, send{ev.ActorID, act, []string{ev.ActorID, fed.APID}, false})
		if ev.Kind == directory.EventCoopJobDelete {
			// The co-op goes with its jobs: the federation takes back its
			// boost, since a server that hears only the co-op's Delete
			// may keep the boosted Note in timelines.
			sends = append(sends, send{fed.APID, f.undoAnnounce(fed.APID, ev.ObjectID, ev.CreatedAt), []string{fed.APID}, false})
		}
	case directory.EventCoopCreate:
		// A new co-op has no followers yet; its federation's followers
		// learn of the new member.
		add := &Activity{Context: f.objectContext(), ID: f.membershipID(fed.APID, "Add", ev.ObjectID, ev.CreatedAt),
			Type: "Add", Actor: fed.APID, Published: asTime(ev.CreatedAt), To: []string{PublicURI},
			Cc: []string{followersOf(fed.APID)}, Object: ev.ObjectID, Target: membersOf(fed.APID)}
		sends = append(sends, send{fed.APID, add, []string{fed.APID}, false})
	case directory.EventMemberAdd, directory.EventMemberRemove:
		typ := "Add"
		if ev.Kind == directory.EventMemberRemove {
			typ = "Remove"
		}
		act := &Activity{Context: f.objectContext(), ID: f.membershipID(ev.ActorID, typ, ev.ObjectID, ev.CreatedAt),
			Type: typ, Actor: ev.ActorID, Published: asTime(ev.CreatedAt), To: []string{PublicURI},
			Cc: []string{followersOf(ev.ActorID)}, Object: ev.ObjectID, Target: membersOf(ev.ActorID)}
		sends = append(sends, send{ev.ActorID, act, []string{ev.ActorID}, false})
	case directory.EventCoopUpdate:
		c, err := f.store.CoopByAPID(ctx, ev.ObjectID)
		if directory.KindOf(err) == directory.KindNotFound {
			return nil, nil
		} else if err != nil {
			return nil, err
		}
		actor, err := f.coopActor(ctx, c)
		if err != nil {
			return nil, err
		}
		actor.Context = nil
		sends = append(sends, send{c.APID, f.wrapActor("Update", f.updateID(c.APID, c.UpdatedAt), c.APID, c.UpdatedAt, actor), []string{c.APID, fed.APID}, false})
	case directory.EventFederationUpdate:
		actor, err := f.federationActor(ctx)
		if err != nil {
			return nil, err
		}
		actor.Context = nil
		sends = append(sends, send{actor.ID, f.wrapActor("Update", f.updateID(actor.ID, ev.CreatedAt), actor.ID, ev.CreatedAt, actor), []string{actor.ID}, false})
	case directory.EventCoopDelete:
		act := &Activity{Context: f.actorContext(), ID: f.deleteID(ev.ObjectID), Type: "Delete", Actor: ev.ActorID,
			Published: asTime(ev.CreatedAt), To: []string{PublicURI}, Object: ev.ObjectID}
		sends = append(sends, send{ev.ActorID, act, []string{ev.ActorID, fed.APID}, false})
	default:
		f.log.Warn("unknown outbox event", slog.String("kind", ev.Kind))
		return nil, nil
	}
	var out []directory.Delivery
	reached := map[string]bool{}
	for _, s := range sends {
		inboxes, err := f.store.FollowerInboxes(ctx, s.to)
		if err == nil {
			inboxes, err = f.unblockedInboxes(ctx, inboxes)
		}
		if err != nil {
			return nil, err
		}
		if s.once {
			inboxes = slices.DeleteFunc(inboxes, func(in string) bool { return reached[in] })
		}
		for _, in := range inboxes {
			reached[in] = true
		}
		if len(inboxes) == 0 {
			continue
		}
		body, err := json.Marshal(s.activity)
		if err != nil {
			return nil, err
		}
		for _, inbox := range inboxes {
			out = append(out, directory.Delivery{Inbox: inbox, Signer: s.signer, ActivityID: s.activity.ID, Body: body,
				NextAttemptAt: f.now(), CreatedAt: f.now()})
		}
	}
	return out, nil
}

// wrap makes a public activity around a Note or Tombstone.
func (f *Federation) wrap(typ, id, actor string, at time.Time, object any) *Activity {
	if n, ok := object.(*Note); ok {
		c := *n
		c.Context = nil
		object = &c
	}
	return &Activity{Context: f.objectContext(), ID: id, Type: typ, Actor: actor, Published: asTime(at),
		To: []string{PublicURI}, Cc: []string{followersOf(actor)}, Object: object}
}

func (f *Federation) wrapActor(typ, id, actor string, at time.Time, object *Actor) *Activity {
	return &Activity{Context: f.actorContext(), ID: id, Type: typ, Actor: actor, Published: asTime(at),
		To: []string{PublicURI}, Cc: []string{followersOf(actor)}, Object: object}
}

// undoAnnounce is the federation taking back its Announce of a job.
func (f *Federation) undoAnnounce(fedID, job string, at time.Time) *Activity {
	ann := f.announceID(fedID, job)
	return &Activity{Context: asContext, ID: f.undoID(ann), Type: "Undo", Actor: fedID, Published: asTime(at),
		To: []string{PublicURI}, Cc: []string{followersOf(fedID)},
		Object: &Activity{ID: ann, Type: "Announce", Actor: fedID, Object: job}}
}

// announce is the federation boosting a member's job, so that following
// the federation shows every member's openings.
func (f *Federation) announce(fedID string, j *directory.Job) *Activity {
	return &Activity{Context: f.objectContext(), ID: f.announceID(fedID, j.APID), Type: "Announce", Actor: fedID,
		Published: asTime(j.Published), To: []string{PublicURI}, Cc: []string{followersOf(fedID), j.Coop.APID}, Object: j.APID}
}
