package web

import (
	"net/http"

	"github.com/gorilla/mux"
)

// pageRoutes are the pages people read, their feeds and assets. The
// co-op, job and federation pages share their URLs with ActivityPub and
// are mounted by the federation.
func (s *Server) pageRoutes(r *mux.Router) {
	get := []string{http.MethodGet, http.MethodHead}
	r.HandleFunc("/", s.searchPage).Methods(get...)
	r.HandleFunc("/jobs.{format:atom|rss}", s.searchFeed).Methods(get...)
	r.HandleFunc("/coops", s.coopsPage).Methods(get...)
	r.HandleFunc("/coops/{handle}/follow", s.followCoop).Methods(get...)
	r.HandleFunc("/coops/{handle}/jobs.{format:atom|rss}", s.coopFeed).Methods(get...)
	r.HandleFunc("/federation/follow", s.followFederation).Methods(get...)
	r.HandleFunc("/stats", s.statsPage).Methods(get...)
	r.HandleFunc("/lang/{code:[a-z]{2}}", s.setLanguage).Methods(get...)
	r.HandleFunc("/static/{name}", s.assets.serve).Methods(get...)
}
