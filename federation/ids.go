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
// An activity about an object is named by a fragment of that object's
// id, as Mastodon names its own: #updates/TIME, #delete, #accepts/…,
// #follows/ID and its Undo #follows/ID/undo. Such ids need no route of
// their own. A job's Create and a federation's Announce are named by a
// path instead; they stay so, since other servers keep the ids they saw.

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

// newFollowID is the id of a new Follow sent by actor. It is random: an
// actor may follow, unfollow and follow the same account again.
func newFollowID(actor string) string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return actor + "#follows/" + hex.EncodeToString(b)
}

// undoID is the id of the Undo of a Follow this node sent.
func undoID(followID string) string { return followID + "/undo" }

// answerID is the id of actor's Accept or Reject (typ) of a Follow it
// received: the same Follow always gets the same answer id.
func answerID(actor, typ, followID string) string {
	sum := sha256.Sum256([]byte(followID))
	return actor + "#" + strings.ToLower(typ) + "s/" + hex.EncodeToString(sum[:8])
}

// createID is the id of the Create of a local job, as its co-op's outbox
// lists it.
func createID(job string) string { return job + "/activity" }

// updateID is the id of an Update of object (a job or an actor) as of at.
func updateID(object string, at time.Time) string {
	return fmt.Sprintf("%s#updates/%d", object, at.UnixMicro())
}

// deleteID is the id of the Delete of object (a job or an actor).
func deleteID(object string) string { return object + "#delete" }

// membershipID is the id of an Add or Remove (typ) of a member of the
// federation fed at a time.
func membershipID(fed, typ string, at time.Time) string {
	return fmt.Sprintf("%s#%s/%d", membersOf(fed), strings.ToLower(typ), at.UnixMicro())
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
