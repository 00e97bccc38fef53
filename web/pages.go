package web

import (
	"net/http"
	"strings"

	"github.com/gorilla/mux"
)

// pageRoutes are the pages people read, their feeds and assets. The
// co-op, job and federation pages share their URLs with ActivityPub and
// are mounted by the federation.
func (s *Server) pageRoutes(r *mux.Router) {
	get := []string{http.MethodGet, http.MethodHead}
	r.HandleFunc("/", s.page(s.searchPage)).Methods(get...)
	r.HandleFunc("/jobs.{format:atom|rss}", s.api(s.searchFeed)).Methods(get...)
	r.HandleFunc("/coops", s.page(s.coopsPage)).Methods(get...)
	r.HandleFunc("/coops/{handle}/follow", s.page(s.followCoop)).Methods(get...)
	r.HandleFunc("/coops/{handle}/logo", s.api(s.coopLogo)).Methods(get...)
	r.HandleFunc("/coops/{handle}/jobs.{format:atom|rss}", s.api(s.coopFeed)).Methods(get...)
	r.HandleFunc("/federation/follow", s.page(s.followFederation)).Methods(get...)
	r.HandleFunc("/follow", s.page(s.followSearchForm)).Methods(get...)
	r.HandleFunc("/searches/{handle}/follow", s.page(s.remoteFollowSearch)).Methods(get...)
	r.HandleFunc("/stats", s.page(s.statsPage)).Methods(get...)
	r.HandleFunc("/lang/{code:[a-z]{2}}", s.setLanguage).Methods(get...)
	r.HandleFunc("/static/{name}", s.assets.serve).Methods(get...)

	// Accounts. Forms post to the same origin only: see crossOrigin.
	post := http.MethodPost
	r.HandleFunc("/login", s.page(s.loginForm)).Methods(get...)
	r.HandleFunc("/login", s.page(s.login)).Methods(post)
	r.HandleFunc("/logout", s.page(s.logout)).Methods(post)
	r.HandleFunc("/password", s.page(s.passwordForm)).Methods(get...)
	r.HandleFunc("/password", s.page(s.setPassword)).Methods(post)
	r.HandleFunc("/password/forgot", s.page(s.forgotForm)).Methods(get...)
	r.HandleFunc("/password/forgot", s.page(s.forgot)).Methods(post)
	r.HandleFunc("/password/reset", s.page(s.resetForm)).Methods(get...)
	r.HandleFunc("/password/reset", s.page(s.reset)).Methods(post)
	r.HandleFunc("/account/email", s.page(s.changeEmail)).Methods(post)
	r.HandleFunc("/account", s.page(s.accountPage)).Methods(get...)
	r.HandleFunc("/account/password", s.page(s.changePassword)).Methods(post)
	r.HandleFunc("/account/sessions/{id:[0-9]+}/end", s.page(s.endSession)).Methods(post)
	r.HandleFunc("/account/tokens", s.page(s.issueToken)).Methods(post)
	r.HandleFunc("/account/tokens/{id:[0-9]+}/revoke", s.page(s.revokeToken)).Methods(post)
	r.HandleFunc("/dashboard", s.page(s.dashboard)).Methods(get...)
	r.HandleFunc("/dashboard/profile", s.page(s.updateProfile)).Methods(post)
	r.HandleFunc("/dashboard/jobs", s.page(s.publishJob)).Methods(post)
	r.HandleFunc("/dashboard/jobs/{key}/close", s.page(s.closeJob)).Methods(http.MethodGet, http.MethodHead, post)
	r.HandleFunc("/dashboard/closed/{id:[0-9]+}/reopen", s.page(s.reopenJob)).Methods(post)
	r.HandleFunc("/dashboard/{section:"+strings.Join(dashboardSections, "|")+"}", s.page(s.dashboard)).Methods(get...)
	r.HandleFunc("/dashboard/jobs/{key}/edit", s.page(s.editJobForm)).Methods(get...)
	r.HandleFunc("/dashboard/jobs/{key}", s.page(s.saveJob)).Methods(post)
	r.HandleFunc("/dashboard/invite", s.page(s.inviteColleague)).Methods(post)
	r.HandleFunc("/dashboard/logo", s.page(s.uploadLogo)).Methods(post)
	r.HandleFunc("/dashboard/drafts/{id:[0-9]+}", s.page(s.draftForm)).Methods(get...)
	r.HandleFunc("/dashboard/drafts/{id:[0-9]+}", s.page(s.saveDraftForm)).Methods(post)
	r.HandleFunc("/dashboard/drafts/{id:[0-9]+}/delete", s.page(s.deleteDraftForm)).Methods(post)
	r.HandleFunc("/dashboard/follow", s.page(s.followFromCoop)).Methods(post)
	r.HandleFunc("/dashboard/follows/{id:[0-9]+}/end", s.page(s.unfollowFromCoop)).Methods(post)
	r.HandleFunc("/dashboard/questions/{id:[0-9]+}/answer", s.page(s.answerQuestion)).Methods(post)
	r.HandleFunc("/admin", s.page(s.adminConsole)).Methods(get...)
	r.HandleFunc("/admin/coops", s.page(s.adminCreateCoop)).Methods(post)
	r.HandleFunc("/admin/invite", s.page(s.adminInvite)).Methods(post)
	r.HandleFunc("/admin/follows", s.page(s.adminFollow)).Methods(post)
	r.HandleFunc("/admin/follows/{id:[0-9]+}/renew", s.page(s.adminRenewFollow)).Methods(post)
	r.HandleFunc("/admin/follows/{id:[0-9]+}/end", s.page(s.adminUnfollow)).Methods(post)
	r.HandleFunc("/admin/{section:"+strings.Join(consoleSections, "|")+"}", s.page(s.adminConsole)).Methods(get...)
	r.HandleFunc("/admin/blocks", s.page(s.adminBlock)).Methods(post)
	r.HandleFunc("/admin/blocks/remove", s.page(s.adminUnblock)).Methods(post)
	r.HandleFunc("/admin/searches/remove", s.page(s.adminRemoveSearch)).Methods(post)
	r.HandleFunc("/admin/coops/{handle}/delete", s.page(s.adminDeleteCoop)).Methods(post)
	r.HandleFunc("/admin/coops/{handle}/suspend", s.page(s.adminSuspend)).Methods(post)
	r.HandleFunc("/admin/deliveries/retry", s.page(s.adminRetry)).Methods(post)
	r.HandleFunc("/admin/members", s.page(s.adminMember)).Methods(post)
	r.HandleFunc("/admin/rates", s.page(s.adminRates)).Methods(post)
	r.HandleFunc("/admin/settings", s.page(s.adminSettings)).Methods(post)
	r.HandleFunc("/admin/users/{id:[0-9]+}/role", s.page(s.adminSetRole)).Methods(post)
	r.HandleFunc("/admin/users/{id:[0-9]+}/disable", s.page(s.adminDisable)).Methods(post)
	r.HandleFunc("/admin/users/{id:[0-9]+}/link", s.page(s.adminPersonLink)).Methods(post)
	r.HandleFunc("/admin/users/{id:[0-9]+}/revoke", s.page(s.adminRevokeInvitation)).Methods(post)
	r.HandleFunc("/admin/users/{id:[0-9]+}/delete", s.page(s.adminDeletePerson)).Methods(post)
	r.HandleFunc("/dashboard/invitations/{id:[0-9]+}/revoke", s.page(s.revokeColleagueInvitation)).Methods(post)
	r.HandleFunc("/dashboard/leave", s.page(s.leaveCoop)).Methods(post)
	r.HandleFunc("/alerts", s.page(s.subscribeAlertForm)).Methods(post)
	r.HandleFunc("/alerts/confirm", s.page(s.confirmAlertForm)).Methods(get...)
	r.HandleFunc("/alerts/confirm", s.page(s.confirmAlert)).Methods(post)
	r.HandleFunc("/alerts/unsubscribe", s.page(s.unsubscribeAlertForm)).Methods(get...)
	r.HandleFunc("/alerts/unsubscribe", s.page(s.unsubscribeAlert)).Methods(post)
}
