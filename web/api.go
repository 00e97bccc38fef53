package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/gorilla/mux"

	"github.com/colmena-coop/colmena/directory"
)

const apiPrefix = "/api/v1"

// apiRoutes is the JSON API's route table (DESIGN.md 5.3).
func (s *Server) apiRoutes(r *mux.Router) {
	r.HandleFunc(apiPrefix+"/coops", s.api(s.listCoops)).Methods(http.MethodGet)
	r.HandleFunc(apiPrefix+"/coops", s.authed(s.api(s.createCoop))).Methods(http.MethodPost)
	r.HandleFunc(apiPrefix+"/coops/{handle}", s.api(s.getCoop)).Methods(http.MethodGet)
	r.HandleFunc(apiPrefix+"/coops/{handle}", s.authed(s.api(s.updateCoop))).Methods(http.MethodPatch)
	r.HandleFunc(apiPrefix+"/coops/{handle}", s.authed(s.api(s.deleteCoop))).Methods(http.MethodDelete)
	r.HandleFunc(apiPrefix+"/coops/{handle}/jobs", s.authed(s.api(s.createJob))).Methods(http.MethodPost)
	r.HandleFunc(apiPrefix+"/jobs", s.api(s.searchJobs)).Methods(http.MethodGet)
	r.HandleFunc(apiPrefix+"/jobs/follow", s.api(s.followSearch)).Methods(http.MethodGet)
	r.HandleFunc(apiPrefix+"/alerts", s.api(s.createAlert)).Methods(http.MethodPost)
	r.HandleFunc(apiPrefix+"/jobs/{id}", s.api(s.getJob)).Methods(http.MethodGet)
	r.HandleFunc(apiPrefix+"/jobs/{id}", s.authed(s.api(s.updateJob))).Methods(http.MethodPatch)
	r.HandleFunc(apiPrefix+"/jobs/{id}", s.authed(s.api(s.deleteJob))).Methods(http.MethodDelete)
	r.HandleFunc(apiPrefix+"/stats", s.api(s.stats)).Methods(http.MethodGet)
	r.HandleFunc(apiPrefix+"/rates", s.api(s.getRates)).Methods(http.MethodGet)
	r.HandleFunc(apiPrefix+"/admin/rates", s.authed(s.api(s.putRates))).Methods(http.MethodPut)
	r.HandleFunc(apiPrefix+"/admin/deliveries", s.authed(s.api(s.deliveries))).Methods(http.MethodGet)
	r.HandleFunc(apiPrefix+"/admin/follows", s.authed(s.api(s.createFollow))).Methods(http.MethodPost)
	r.HandleFunc(apiPrefix+"/admin/follows", s.authed(s.api(s.listFollows))).Methods(http.MethodGet)
	r.HandleFunc(apiPrefix+"/admin/follows/{id}", s.authed(s.api(s.deleteFollow))).Methods(http.MethodDelete)
	r.HandleFunc(apiPrefix+"/admin/follows/{id}/renew", s.authed(s.api(s.renewFollow))).Methods(http.MethodPost)
	r.HandleFunc(apiPrefix+"/admin/members", s.authed(s.api(s.createMember))).Methods(http.MethodPost)
	r.HandleFunc(apiPrefix+"/admin/members", s.authed(s.api(s.deleteMember))).Methods(http.MethodDelete)
	r.HandleFunc(apiPrefix+"/admin/members/{coop}", s.authed(s.api(s.deleteMember))).Methods(http.MethodDelete)
	r.HandleFunc(apiPrefix+"/admin/blocks", s.authed(s.api(s.createBlock))).Methods(http.MethodPost)
	r.HandleFunc(apiPrefix+"/admin/blocks", s.authed(s.api(s.listBlocks))).Methods(http.MethodGet)
	r.HandleFunc(apiPrefix+"/admin/blocks/{domain}", s.authed(s.api(s.deleteBlock))).Methods(http.MethodDelete)
	r.HandleFunc(apiPrefix+"/admin/searches", s.authed(s.api(s.listSearchActors))).Methods(http.MethodGet)
	r.HandleFunc(apiPrefix+"/admin/searches/{handle}", s.authed(s.api(s.deleteSearchActor))).Methods(http.MethodDelete)
}

type principalKey struct{}

// authed requires a valid bearer token and passes on its principal.
func (s *Server) authed(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		raw, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || strings.TrimSpace(raw) == "" {
			s.fail(w, r, directory.Unauthorizedf("send an API token as Authorization: Bearer TOKEN"))
			return
		}
		p, err := s.svc.Authenticate(r.Context(), strings.TrimSpace(raw))
		if err != nil {
			s.fail(w, r, err)
			return
		}
		h(w, r.WithContext(context.WithValue(r.Context(), principalKey{}, p)))
	}
}

func principal(r *http.Request) directory.Principal {
	p, _ := r.Context().Value(principalKey{}).(directory.Principal)
	return p
}

// pathVar returns a path variable, unescaped (the router keeps paths
// encoded so that an escaped URL stays one segment).
func pathVar(r *http.Request, name string) (string, error) {
	v, err := url.PathUnescape(mux.Vars(r)[name])
	if err != nil {
		return "", directory.Invalid(name, directory.CodePathSegment)
	}
	return v, nil
}

// muxVar is a path variable as the router matched it.
func muxVar(r *http.Request, name string) string { return mux.Vars(r)[name] }
