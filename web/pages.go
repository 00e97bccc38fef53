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
	r.HandleFunc("/coops/{handle}/logo", s.coopLogo).Methods(get...)
	r.HandleFunc("/coops/{handle}/jobs.{format:atom|rss}", s.coopFeed).Methods(get...)
	r.HandleFunc("/federation/follow", s.followFederation).Methods(get...)
	r.HandleFunc("/stats", s.statsPage).Methods(get...)
	r.HandleFunc("/lang/{code:[a-z]{2}}", s.setLanguage).Methods(get...)
	r.HandleFunc("/static/{name}", s.assets.serve).Methods(get...)

	// Accounts. Forms post to the same origin only: see crossOrigin.
	post := http.MethodPost
	r.HandleFunc("/login", s.loginForm).Methods(get...)
	r.HandleFunc("/login", s.login).Methods(post)
	r.HandleFunc("/logout", s.logout).Methods(post)
	r.HandleFunc("/password", s.passwordForm).Methods(get...)
	r.HandleFunc("/password", s.setPassword).Methods(post)
	r.HandleFunc("/account", s.accountPage).Methods(get...)
	r.HandleFunc("/account/password", s.changePassword).Methods(post)
	r.HandleFunc("/account/sessions/{id:[0-9]+}/end", s.endSession).Methods(post)
	r.HandleFunc("/account/tokens", s.issueToken).Methods(post)
	r.HandleFunc("/account/tokens/{id:[0-9]+}/revoke", s.revokeToken).Methods(post)
	r.HandleFunc("/dashboard", s.dashboard).Methods(get...)
	r.HandleFunc("/dashboard/profile", s.updateProfile).Methods(post)
	r.HandleFunc("/dashboard/jobs", s.publishJob).Methods(post)
	r.HandleFunc("/dashboard/jobs/{key}/close", s.closeJob).Methods(post)
	r.HandleFunc("/dashboard/jobs/{key}/edit", s.editJobForm).Methods(get...)
	r.HandleFunc("/dashboard/jobs/{key}", s.saveJob).Methods(post)
	r.HandleFunc("/dashboard/invite", s.inviteColleague).Methods(post)
	r.HandleFunc("/dashboard/logo", s.uploadLogo).Methods(post)
	r.HandleFunc("/dashboard/drafts/{id:[0-9]+}", s.draftForm).Methods(get...)
	r.HandleFunc("/dashboard/drafts/{id:[0-9]+}", s.saveDraftForm).Methods(post)
	r.HandleFunc("/dashboard/drafts/{id:[0-9]+}/delete", s.deleteDraftForm).Methods(post)
	r.HandleFunc("/dashboard/follow", s.followFromCoop).Methods(post)
	r.HandleFunc("/dashboard/follows/{id:[0-9]+}/end", s.unfollowFromCoop).Methods(post)
	r.HandleFunc("/admin", s.adminConsole).Methods(get...)
	r.HandleFunc("/admin/coops", s.adminCreateCoop).Methods(post)
	r.HandleFunc("/admin/invite", s.adminInvite).Methods(post)
	r.HandleFunc("/admin/follows", s.adminFollow).Methods(post)
	r.HandleFunc("/admin/blocks", s.adminBlock).Methods(post)
	r.HandleFunc("/admin/blocks/remove", s.adminUnblock).Methods(post)
	r.HandleFunc("/admin/coops/{handle}/delete", s.adminDeleteCoop).Methods(post)
	r.HandleFunc("/admin/coops/{handle}/suspend", s.adminSuspend).Methods(post)
	r.HandleFunc("/admin/deliveries/retry", s.adminRetry).Methods(post)
	r.HandleFunc("/admin/members", s.adminMember).Methods(post)
	r.HandleFunc("/admin/settings", s.adminSettings).Methods(post)
}
