package web

import (
	"context"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

// maxAlertQuery bounds an alert's query string.
const maxAlertQuery = 2000

// alertRequestJSON is POST /api/v1/alerts's body.
type alertRequestJSON struct {
	Email     string `json:"email"`
	Query     string `json:"query"`
	Frequency string `json:"frequency"`
}

// alertAnswerJSON is its answer, the same whether or not the address
// already follows the search.
type alertAnswerJSON struct {
	Status string `json:"status"`
	// Search is the search's readable name ("All jobs on …" for an
	// empty query), Query its canonical form.
	Search  string `json:"search"`
	Query   string `json:"query"`
	Message string `json:"message"`
}

// errTooManyAlerts is an alert request beyond the limits; wait is how
// long until the next may go.
type errTooManyAlerts struct{ wait time.Duration }

func (e *errTooManyAlerts) Error() string { return "too many alert requests" }

// startAlert checks an alert request, counts it against the limits of
// its client and address, finds (or makes) the saved search of query and
// starts the double opt-in, in lang.
func (s *Server) startAlert(ctx context.Context, r *http.Request, email, query, frequency, lang string) (*directory.SavedSearch, error) {
	if s.fed == nil {
		return nil, directory.NotFoundf("this node does not federate, so searches cannot be followed")
	}
	if !s.svc.Mailing() {
		return nil, directory.Invalidf("email", "this node sends no e-mail, so it cannot send alerts; follow the search from the fediverse or by its feed")
	}
	email, frequency, err := directory.CheckAlert(email, frequency)
	if err != nil {
		return nil, err
	}
	if len(query) > maxAlertQuery {
		return nil, directory.Invalidf("query", "is longer than %d characters", maxAlertQuery)
	}
	v, err := url.ParseQuery(strings.TrimPrefix(strings.TrimSpace(query), "?"))
	if err != nil {
		return nil, directory.Invalidf("query", "is not a search's query string, such as remote=remote&skill=go")
	}
	if wait := s.alertLimits.allow(addrKey(s.proxies.clientAddr(r)), email, s.now()); wait > 0 {
		return nil, &errTooManyAlerts{wait: wait}
	}
	ss, err := s.fed.FollowSearch(ctx, v, s.currency)
	if err != nil {
		if directory.KindOf(err) == directory.KindInvalid {
			return nil, &directory.Error{Kind: directory.KindInvalid, Field: "query", Message: directory.SafeMessage(err)}
		}
		return nil, err
	}
	// The search's name in the subscriber's language, for the mails and
	// the answer.
	name := ss.Name
	if n, _, err := s.fed.SearchName(ctx, v, s.currency, lang); err == nil {
		name = n
	}
	if err := s.svc.SubscribeAlert(ctx, email, frequency, lang, name, ss); err != nil {
		return nil, err
	}
	named := *ss
	named.Name = name
	return &named, nil
}

// createAlert: POST /api/v1/alerts {"email", "query", "frequency"}
// starts an e-mail alert's double opt-in: 202, and a mail with a link to
// confirm it, in the language of the request (Accept-Language).
func (s *Server) createAlert(w http.ResponseWriter, r *http.Request) error {
	var in alertRequestJSON
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	l := s.locales.forRequest(r)
	ss, err := s.startAlert(r.Context(), r, in.Email, in.Query, in.Frequency, l.Lang)
	if tm, ok := err.(*errTooManyAlerts); ok {
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(tm.wait.Seconds()))))
		return &httpError{status: http.StatusTooManyRequests, msg: "too many alert requests from this address or for this e-mail; try again later"}
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusAccepted, alertAnswerJSON{Status: "pending", Search: ss.Name, Query: ss.Query,
		Message: "If this address can receive mail, a link to confirm the alert is on its way to it; nothing is sent until it is opened. The link works for 7 days."})
	return nil
}
