package federation

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
)

// The IRIs this node mints, all built here: its actors' collections and
// keys, and the ids of the activities it sends. Actors, jobs and logos
// are named by directory.Links.
//
// Every activity this node sends has an id of its own that answers a GET
// (activities.go): a job's Create is its id plus /activity and the
// federation's Announce of a job is below /federation/announces, as
// other servers have kept them; every other activity (Follow, Accept,
// Reject, Undo, Update, Delete, Add, Remove) is
// /activities/{type}/{key}, with no fragment, since a server that checks
// an Undo by fetching its id needs a URL it can fetch. Ids sent in the
// older fragment form (#follows/…, #delete) are not answered.

// collectionOf is one of an actor's collections (outbox, followers, …),
// which all hang below its id.
func collectionOf(actor, name string) string { return actor + "/" + name }

func inboxOf(actor string) string     { return collectionOf(actor, "inbox") }
func outboxOf(actor string) string    { return collectionOf(actor, "outbox") }
func followersOf(actor string) string { return collectionOf(actor, "followers") }
func followingOf(actor string) string { return collectionOf(actor, "following") }
func featuredOf(actor string) string  { return collectionOf(actor, "featured") }
func membersOf(actor string) string   { return collectionOf(actor, "members") }

// keyIDOf is the id of an actor's signing key.
func keyIDOf(actor string) string { return actor + "#main-key" }

// sharedInbox is the inbox every actor of the node shares.
func (f *Federation) sharedInbox() string { return f.links.Base() + "/inbox" }

// nsIRI is the IRI of Colmena's own JSON-LD terms (the colmena: prefix),
// the same for every node: Namespace.
func (f *Federation) nsIRI() string { return Namespace }

// pageOf is a page of a collection: the first without a cursor, else
// the page after it.
func pageOf(collection, cursor string) string {
	if cursor == "" {
		return collection + "?page=true"
	}
	return collection + "?page=true&cursor=" + cursor
}

// activityID is the id of an activity of type typ named key.
func (f *Federation) activityID(typ, key string) string {
	return f.links.Base() + "/activities/" + strings.ToLower(typ) + "/" + key
}

// activityKey names an activity by what it is about, so that the same
// activity made twice (an event worked again) gets the same id.
func activityKey(parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\n")))
	return hex.EncodeToString(sum[:16])
}

// newFollowID is the id of a new Follow sent by actor. It is random: an
// actor may follow, unfollow and follow the same account again.
func (f *Federation) newFollowID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return f.activityID("Follow", hex.EncodeToString(b))
}

// undoID is the id of the Undo of an activity this node sent (a Follow,
// an Announce).
func (f *Federation) undoID(activity string) string {
	return f.activityID("Undo", activityKey(activity))
}

// answerID is the id of actor's Accept or Reject (typ) of a Follow it
// received: the same Follow always gets the same answer id.
func (f *Federation) answerID(actor, typ, followID string) string {
	return f.activityID(typ, activityKey(actor, followID))
}

// createID is the id of the Create of a local job, as its co-op's outbox
// lists it.
func createID(job string) string { return job + "/activity" }

// updateID is the id of an Update of object (a job or an actor) as of at.
func (f *Federation) updateID(object string, at time.Time) string {
	return f.activityID("Update", activityKey(object, fmt.Sprint(at.UnixMicro())))
}

// deleteID is the id of the Delete of object (a job or an actor).
func (f *Federation) deleteID(object string) string {
	return f.activityID("Delete", activityKey(object))
}

// membershipID is the id of an Add or Remove (typ) of the member coop of
// the federation fed at a time.
func (f *Federation) membershipID(fed, typ, coop string, at time.Time) string {
	return f.activityID(typ, activityKey(fed, coop, fmt.Sprint(at.UnixMicro())))
}

// announceID is the id of the federation fed's Announce of a job: named
// by the job's key for a local job, by a hash of its id for a job hosted
// elsewhere.
func (f *Federation) announceID(fed, job string) string {
	key, _ := f.links.JobKey(job)
	if key == "" {
		sum := sha256.Sum256([]byte(job))
		key = hex.EncodeToString(sum[:12])
	}
	return fed + "/announces/" + key
}
