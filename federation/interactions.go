package federation

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"html"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/gorilla/mux"
	"github.com/microcosm-cc/bluemonday"
	xhtml "golang.org/x/net/html"

	"github.com/colmena-coop/colmena/directory"
)

// What fediverse accounts do with local jobs: replies (questions about an
// opening), favourites (Like) and boosts (Announce), with their Undo,
// Update and Delete; a co-op's answers to replies; and the posts of the
// accounts local co-ops follow. The inbox (inbox.go) hands these
// activities here before the handlers of the aggregating side.

// Bounds of remote text.
const (
	// maxRemoteHTML is how much of a remote post's HTML is read.
	maxRemoteHTML = 64 << 10
	// maxRemoteText is how long a stored post or reply is, in runes;
	// a longer one is kept as its plain text, cut.
	maxRemoteText = 5000
)

// remotePost is what is read of a remote Note that is a reply to a local
// job or a post of a followed account.
type remotePost struct {
	ID           string       `json:"id"`
	Type         stringOrList `json:"type"`
	AttributedTo idRef        `json:"attributedTo"`
	InReplyTo    idRef        `json:"inReplyTo"`
	Content      string       `json:"content"`
	URL          idRef        `json:"url"`
	Published    string       `json:"published"`
	To           stringOrList `json:"to"`
	Cc           stringOrList `json:"cc"`
	JobPosting   any          `json:"jobPosting"`
}

// public reports whether a Note is addressed to everyone (public or
// unlisted).
func (p *remotePost) public() bool {
	for _, a := range append(append([]string{}, p.To...), p.Cc...) {
		if a == PublicURI || a == "as:Public" || a == "Public" {
			return true
		}
	}
	return false
}

// readPost reads an embedded Note of actor: its id must be obj's and it
// must be attributed to actor.
func readPost(actor *directory.RemoteActor, obj *objectRef) (*remotePost, bool) {
	if obj.Type != "Note" || obj.ID == "" {
		return nil, false
	}
	var p remotePost
	if json.Unmarshal(obj.Raw, &p) != nil || p.ID != obj.ID || string(p.AttributedTo) != actor.APID {
		return nil, false
	}
	return &p, true
}

// replyPolicy is the allow-list of remote HTML: what Mastodon keeps of a
// post (paragraphs, line breaks, links, emphasis, lists, code, quotes)
// and the spans its mentions and hashtags are made of.
var replyPolicy = sync.OnceValue(func() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "br", "span", "strong", "em", "b", "i", "ul", "ol", "li", "code", "pre", "blockquote", "del", "s")
	p.AllowAttrs("href").OnElements("a")
	p.AllowURLSchemes("http", "https")
	p.RequireParseableURLs(true)
	p.RequireNoFollowOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(true)
	return p
})

// sanitisePost returns a remote post's HTML through the allow-list and
// its plain text, both bounded: a text over maxRemoteText runes is cut,
// and its HTML is the cut text.
func sanitisePost(content string) (safe, text string) {
	if len(content) > maxRemoteHTML {
		content = content[:maxRemoteHTML]
	}
	safe = strings.TrimSpace(replyPolicy().Sanitize(content))
	text = plainText(safe)
	if utf8.RuneCountInString(text) > maxRemoteText {
		text = string([]rune(text)[:maxRemoteText]) + "…"
		safe = paragraphsOf(text)
	}
	return safe, text
}

// plainText is HTML as text: paragraphs apart by a blank line, line
// breaks kept, entities decoded.
func plainText(h string) string {
	var b strings.Builder
	z := xhtml.NewTokenizer(strings.NewReader(h))
	for {
		switch z.Next() {
		case xhtml.ErrorToken:
			out := strings.TrimSpace(b.String())
			for strings.Contains(out, "\n\n\n") {
				out = strings.ReplaceAll(out, "\n\n\n", "\n\n")
			}
			return out
		case xhtml.TextToken:
			b.Write(z.Text())
		case xhtml.StartTagToken, xhtml.SelfClosingTagToken:
			if name, _ := z.TagName(); string(name) == "br" {
				b.WriteString("\n")
			}
		case xhtml.EndTagToken:
			switch name, _ := z.TagName(); string(name) {
			case "p", "blockquote", "pre", "li":
				b.WriteString("\n\n")
			}
		}
	}
}

// paragraphsOf is plain text as HTML paragraphs, escaped, line breaks
// kept.
func paragraphsOf(text string) string {
	var b strings.Builder
	for _, para := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		if para = strings.TrimSpace(para); para == "" {
			continue
		}
		lines := strings.Split(para, "\n")
		for i := range lines {
			lines[i] = html.EscapeString(lines[i])
		}
		b.WriteString("<p>" + strings.Join(lines, "<br>") + "</p>")
	}
	return b.String()
}

// publishedOr is a post's publication time, not later than now; now when
// it has none.
func publishedOr(s string, now time.Time) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil || t.After(now) {
		return now
	}
	return t.UTC()
}

// accountOf names a remote actor: its name (its username when it has
// none), its handle @user@host and its profile page.
func accountOf(a *directory.RemoteActor) (name, handle, profile string) {
	handle = "@" + a.Username + "@" + a.Host
	name = strings.TrimSpace(a.Name)
	if name == "" {
		name = a.Username
	}
	if utf8.RuneCountInString(name) > 100 {
		name = string([]rune(name)[:100])
	}
	profile = a.APID
	var doc struct {
		URL idRef `json:"url"`
	}
	if json.Unmarshal(a.Document, &doc) == nil && doc.URL != "" && hostOf(string(doc.URL)) == a.Host {
		if _, err := checkURL(string(doc.URL)); err == nil {
			profile = string(doc.URL)
		}
	}
	return name, handle, profile
}

// Account is what the node knows of a remote account, for pages: its
// name, handle and profile page. ok is false when it is not known.
func (f *Federation) Account(ctx context.Context, apid string) (name, handle, profile string, ok bool) {
	a, err := f.store.RemoteActor(ctx, apid)
	if err != nil || a.Username == "" {
		return "", "", "", false
	}
	name, handle, profile = accountOf(a)
	return name, handle, profile, true
}

// localJob is the local job id names, or nil.
func (f *Federation) localJob(ctx context.Context, id string) *directory.Job {
	if id == "" || hostOf(id) != f.links.Host() {
		return nil
	}
	j, err := f.store.JobByAPID(ctx, id)
	if err != nil || !j.Local {
		return nil
	}
	return j
}

// onCreateInteraction stores a Note replying to a local job (handled:
// nothing else is done with it) or a public post of an account a local
// co-op follows (not handled: it may also be a job of an aggregated
// co-op).
func (f *Federation) onCreateInteraction(ctx context.Context, actor *directory.RemoteActor, act *Incoming) (bool, error) {
	p, ok := readPost(actor, act.Object)
	if !ok {
		return false, nil
	}
	now := f.now()
	safe, text := sanitisePost(p.Content)
	name, handle, profile := accountOf(actor)
	if j := f.localJob(ctx, string(p.InReplyTo)); j != nil {
		u := string(p.URL)
		if _, err := checkURL(u); err != nil || hostOf(u) != actor.Host {
			u = p.ID
		}
		i := &directory.Interaction{JobID: j.ID, Kind: directory.InteractionReply, ActivityID: act.ID, ObjectID: p.ID,
			Actor: actor.APID, ActorName: name, ActorHandle: handle, ActorURL: profile, Content: safe, Text: text, URL: u,
			Public: p.public(), CreatedAt: publishedOr(p.Published, now), UpdatedAt: now}
		stored, err := f.store.AddInteraction(ctx, i)
		if err != nil {
			return true, err
		}
		f.log.InfoContext(ctx, "reply to a job", slog.String("job", j.APID), slog.String("from", actor.APID), slog.Bool("stored", stored))
		return true, nil
	}
	if !p.public() || p.JobPosting != nil {
		return false, nil
	}
	if r := string(p.InReplyTo); r != "" && !strings.HasPrefix(r, actor.APID+"/") {
		return false, nil // a reply to someone else: not for the feed
	}
	if followed, err := f.store.FollowedByCoop(ctx, actor.APID); err != nil || !followed {
		return false, err
	}
	u := string(p.URL)
	if _, err := checkURL(u); err != nil || hostOf(u) != actor.Host {
		u = p.ID
	}
	return false, f.store.AddFollowedPost(ctx, &directory.FollowedPost{ObjectID: p.ID, Actor: actor.APID, ActorName: name,
		ActorHandle: handle, Content: safe, Text: text, URL: u, Published: publishedOr(p.Published, now), ReceivedAt: now})
}

// onUpdateInteraction applies an edit to a stored reply or followed post,
// or an account's suspension (Mastodon's Update of the actor with
// "suspended": true): the account leaves what local co-ops follow, as
// when it deletes itself. A co-op aggregated here is left to update.go,
// which hides it until it is reinstated.
func (f *Federation) onUpdateInteraction(ctx context.Context, actor *directory.RemoteActor, obj *objectRef) error {
	if obj.ID == actor.APID && obj.ID != "" {
		var doc struct {
			Suspended bool `json:"suspended"`
		}
		if json.Unmarshal(obj.Raw, &doc) != nil || !doc.Suspended {
			return nil
		}
		if _, err := f.store.CoopByAPID(ctx, actor.APID); err == nil {
			return nil
		}
		f.log.InfoContext(ctx, "a followed account is suspended", slog.String("account", actor.APID))
		return f.store.ForgetAccount(ctx, actor.APID)
	}
	p, ok := readPost(actor, obj)
	if !ok {
		return nil
	}
	safe, text := sanitisePost(p.Content)
	if _, err := f.store.UpdateReply(ctx, actor.APID, p.ID, safe, text, f.now()); err != nil {
		return err
	}
	if ok, err := f.store.FollowedByCoop(ctx, actor.APID); err != nil || !ok || !p.public() {
		return err
	}
	// AddFollowedPost updates a stored post; one not stored is not
	// added by an edit.
	n, err := f.store.RemoveFollowedPost(ctx, actor.APID, p.ID)
	if err != nil || n == 0 {
		return err
	}
	name, handle, _ := accountOf(actor)
	u := string(p.URL)
	if _, err := checkURL(u); err != nil || hostOf(u) != actor.Host {
		u = p.ID
	}
	return f.store.AddFollowedPost(ctx, &directory.FollowedPost{ObjectID: p.ID, Actor: actor.APID, ActorName: name, ActorHandle: handle,
		Content: safe, Text: text, URL: u, Published: publishedOr(p.Published, f.now()), ReceivedAt: f.now()})
}

// onDeleteInteraction applies a Delete of a reply or post (by its id or
// a Tombstone of it), or an account's own Delete: its interactions and
// posts go, and local co-ops no longer follow it.
func (f *Federation) onDeleteInteraction(ctx context.Context, actor *directory.RemoteActor, obj *objectRef) error {
	if obj.ID == "" {
		return nil
	}
	if obj.ID == actor.APID {
		return f.store.ForgetAccount(ctx, actor.APID)
	}
	if _, err := f.store.RemoveInteraction(ctx, actor.APID, obj.ID); err != nil {
		return err
	}
	_, err := f.store.RemoveFollowedPost(ctx, actor.APID, obj.ID)
	return err
}

// onLike stores a favourite of a local job; others are ignored.
func (f *Federation) onLike(ctx context.Context, actor *directory.RemoteActor, act *Incoming) error {
	return f.addReaction(ctx, actor, act, directory.InteractionLike)
}

// onBoost stores a boost of a local job; handled is false for anything
// else, which the federation's Announce handler takes.
func (f *Federation) onBoost(ctx context.Context, actor *directory.RemoteActor, act *Incoming) (bool, error) {
	if f.localJob(ctx, act.Object.ID) == nil {
		return false, nil
	}
	return true, f.addReaction(ctx, actor, act, directory.InteractionBoost)
}

func (f *Federation) addReaction(ctx context.Context, actor *directory.RemoteActor, act *Incoming, kind string) error {
	j := f.localJob(ctx, act.Object.ID)
	if j == nil {
		return nil
	}
	now := f.now()
	name, handle, profile := accountOf(actor)
	_, err := f.store.AddInteraction(ctx, &directory.Interaction{JobID: j.ID, Kind: kind, ActivityID: act.ID, ObjectID: j.APID,
		Actor: actor.APID, ActorName: name, ActorHandle: handle, ActorURL: profile, CreatedAt: now, UpdatedAt: now})
	return err
}

// onUndoInteraction applies an Undo of a Like or Announce of a local job:
// by the activity's id, or by its account and object when it names no
// id. An Undo naming only an id is handled when that id was a favourite
// or boost. Undoing another account's activity is refused.
func (f *Federation) onUndoInteraction(ctx context.Context, actor *directory.RemoteActor, obj *objectRef) (bool, error) {
	kind := map[string]string{"Like": directory.InteractionLike, "Announce": directory.InteractionBoost}[obj.Type]
	if obj.Type != "" && kind == "" {
		return false, nil
	}
	if obj.Actor != "" && obj.Actor != actor.APID {
		return true, directory.Forbiddenf("only %s can undo its %s", obj.Actor, obj.Type)
	}
	n := 0
	if obj.ID != "" {
		var err error
		if n, err = f.store.RemoveInteraction(ctx, actor.APID, obj.ID); err != nil {
			return true, err
		}
	}
	if kind == "" {
		return n > 0, nil // a bare id: a Follow's, perhaps
	}
	if n == 0 && obj.Object != "" {
		if _, err := f.store.RemoveInteractionOf(ctx, actor.APID, kind, obj.Object); err != nil {
			return true, err
		}
	}
	// An Undo of an Announce that was not of a local job is the
	// federation's business (announce.go ignores it today).
	return kind == directory.InteractionLike || n > 0 || f.localJob(ctx, obj.Object) != nil, nil
}

// Answer sends a co-op's answer to a reply to one of its jobs: a Note
// from the co-op in reply to it, addressed to the asker and mentioning
// them, delivered (signed by the co-op) to the asker's inbox. A public
// question gets an unlisted answer (to the asker, cc Public): it shows in
// the conversation without filling public timelines; a question that was
// not public gets an answer only the asker is addressed in. The answer is
// not sent to the co-op's followers: it is a conversation, not news.
func (f *Federation) Answer(ctx context.Context, p directory.Principal, handle string, questionID int64, text string) (*directory.Answer, error) {
	c, err := f.svc.ManagedCoop(ctx, p, handle)
	if err != nil {
		return nil, err
	}
	text = strings.TrimSpace(strings.ReplaceAll(text, "\r\n", "\n"))
	if text == "" {
		return nil, directory.Invalidf("text", "write an answer")
	}
	if n := utf8.RuneCountInString(text); n > directory.MaxAnswerText {
		return nil, directory.Invalidf("text", "the answer is %d characters long; at most %d fit", n, directory.MaxAnswerText)
	}
	q, err := f.store.Question(ctx, c.ID, questionID)
	if err != nil {
		if directory.KindOf(err) == directory.KindNotFound {
			return nil, directory.NotFoundf("%s has no such question", c.Handle)
		}
		return nil, err
	}
	asker, err := f.store.RemoteActor(ctx, q.Actor)
	if err != nil || asker.Inbox == "" {
		if asker, err = f.FetchActor(ctx, q.Actor); err != nil {
			if fe := (*FetchError)(nil); errors.As(err, &fe) && fe.Status == http.StatusGone {
				// The account is gone: so are its questions and follows.
				if ferr := f.store.ForgetAccount(ctx, q.Actor); ferr != nil {
					return nil, ferr
				}
				return nil, directory.Invalidf("text", "the asker's account is gone")
			}
			return nil, directory.Invalidf("text", "the asker's account could not be reached: %v", err)
		}
	}
	_, mention, profile := accountOf(asker)
	key := make([]byte, 16)
	_, _ = rand.Read(key)
	now := f.now()
	note := &Note{ID: c.APID + "/replies/" + hex.EncodeToString(key), Type: "Note", AttributedTo: c.APID, InReplyTo: q.ObjectID,
		Published: asTime(now), To: []string{asker.APID}, Cc: []string{},
		Tag: []Tag{{Type: "Mention", Name: mention, Href: asker.APID}}}
	note.URL = note.ID
	if q.Public {
		note.Cc = []string{PublicURI}
	}
	link := `<span class="h-card" translate="no"><a href="` + html.EscapeString(profile) + `" class="u-url mention">@<span>` +
		html.EscapeString(asker.Username) + `</span></a></span> `
	body := paragraphsOf(text)
	note.Content = "<p>" + link + strings.TrimPrefix(body, "<p>")
	if body == "" {
		note.Content = "<p>" + link + "</p>"
	}
	note.Context = asContext
	doc, _ := json.Marshal(note)
	note.Context = nil
	create := &Activity{Context: asContext, ID: note.ID + "/create", Type: "Create", Actor: c.APID, Published: note.Published,
		To: note.To, Cc: note.Cc, Object: note}
	out, _ := json.Marshal(create)
	a := &directory.Answer{CoopID: c.ID, InteractionID: q.ID, NoteID: note.ID, InReplyTo: q.ObjectID, To: asker.APID, Document: doc,
		Text: text, CreatedAt: now}
	d := &directory.Delivery{Inbox: asker.DeliveryInbox(), Signer: c.APID, ActivityID: create.ID, Body: out, NextAttemptAt: now, CreatedAt: now}
	if err := f.store.AddAnswer(ctx, a, d); err != nil {
		return nil, err
	}
	f.Nudge()
	f.svc.Audit(ctx, p, "coop.answer", c.Handle, q.ObjectID)
	f.log.InfoContext(ctx, "answer sent", slog.String("coop", c.APID), slog.String("to", asker.APID))
	return a, nil
}

// mountAnswers serves the co-ops' answers, and the Create that carried
// each, as ActivityStreams.
func (f *Federation) mountAnswers(r *mux.Router) {
	get := []string{http.MethodGet, http.MethodHead}
	r.HandleFunc("/coops/{handle}/replies/{key:[0-9a-f]{32}}", f.getAnswer(false)).Methods(get...)
	r.HandleFunc("/coops/{handle}/replies/{key:[0-9a-f]{32}}/create", f.getAnswer(true)).Methods(get...)
}

func (f *Federation) getAnswer(create bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v := mux.Vars(r)
		c, err := f.store.LocalCoop(r.Context(), v["handle"])
		if err != nil {
			f.fail(w, r, directory.NotFoundf("no co-op has the handle %q here", v["handle"]))
			return
		}
		a, err := f.store.AnswerByNoteID(r.Context(), c.APID+"/replies/"+v["key"])
		if err != nil {
			if directory.KindOf(err) == directory.KindNotFound {
				err = directory.NotFoundf("%s has no such answer", c.Handle)
			}
			f.fail(w, r, err)
			return
		}
		if !create {
			writeAS(w, r, http.StatusOK, json.RawMessage(a.Document))
			return
		}
		var note map[string]any
		if err := json.Unmarshal(a.Document, &note); err != nil {
			f.fail(w, r, directory.Internal("reading an answer", err))
			return
		}
		delete(note, "@context")
		writeAS(w, r, http.StatusOK, &Activity{Context: asContext, ID: a.NoteID + "/create", Type: "Create", Actor: c.APID,
			Published: asTime(a.CreatedAt), To: anyStrings(note["to"]), Cc: anyStrings(note["cc"]), Object: note})
	}
}

func anyStrings(v any) []string {
	l, _ := v.([]any)
	out := []string{}
	for _, s := range l {
		if s, ok := s.(string); ok {
			out = append(out, s)
		}
	}
	return out
}
