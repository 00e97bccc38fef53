package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

// The dashboard's questions (replies from the fediverse to the co-op's
// openings, with the co-op's answers) and the feed of the accounts the
// co-op follows.

// questionView is one reply to one of the co-op's openings.
type questionView struct {
	ID                    int64
	Name, Handle, Profile string
	When, Datetime        string
	Text, Link            string
	JobTitle, JobHref     string
	Answers               []answerView
}

type answerView struct {
	Text, When, Datetime string
}

// postView is a post of an account the co-op follows.
type postView struct {
	Name, Handle   string
	When, Datetime string
	Text, Link     string
}

// questionsLimit and feedLimit bound what the dashboard lists.
const questionsLimit, feedLimit = 50, 30

func (l *Locale) when(t time.Time) (string, string) {
	return l.Date(t) + " " + t.UTC().Format("15:04") + " UTC", t.UTC().Format(time.RFC3339)
}

// loadConversation fills in the dashboard's questions and feed.
func (s *Server) loadConversation(r *http.Request, v *viewer, c *directory.Coop, p *dashboardPage) error {
	ctx := r.Context()
	qs, err := s.svc.Questions(ctx, v.User.Principal(), c.Handle, questionsLimit)
	if err != nil {
		return err
	}
	for _, q := range qs {
		qv := questionView{ID: q.ID, Name: q.ActorName, Handle: q.ActorHandle, Profile: q.ActorURL, Text: q.Text, Link: q.URL,
			JobTitle: q.JobTitle, JobHref: q.JobAPID}
		qv.When, qv.Datetime = p.L.when(q.CreatedAt)
		for _, a := range q.Answers {
			av := answerView{Text: a.Text}
			av.When, av.Datetime = p.L.when(a.CreatedAt)
			qv.Answers = append(qv.Answers, av)
		}
		p.Questions = append(p.Questions, qv)
	}
	posts, err := s.svc.Feed(ctx, v.User.Principal(), c.Handle, feedLimit)
	if err != nil {
		return err
	}
	for _, fp := range posts {
		pv := postView{Name: fp.ActorName, Handle: fp.ActorHandle, Text: fp.Text, Link: fp.URL}
		pv.When, pv.Datetime = p.L.when(fp.Published)
		p.Posts = append(p.Posts, pv)
	}
	return nil
}

// answerQuestion sends the co-op's answer to a question.
func (s *Server) answerQuestion(w http.ResponseWriter, r *http.Request) error {
	v, c := s.dashboardCoop(w, r)
	if c == nil {
		return nil
	}
	if s.fed == nil {
		return directory.NotFoundf("this node does not federate")
	}
	id, _ := strconv.ParseInt(muxVar(r, "id"), 10, 64)
	p := &dashboardPage{Errors: formErrors{}, Form: "answer", AnswerFor: id, AnswerText: r.PostFormValue("text")}
	if _, err := s.fed.Answer(r.Context(), v.User.Principal(), c.Handle, id, r.PostFormValue("text")); err != nil {
		return s.dashboardFailed(w, r, v, c, p, err)
	}
	s.setFlash(w, r, "flash.answer_sent")
	http.Redirect(w, r, dashboardSection(v, c, "questions"), http.StatusSeeOther)
	return nil
}
