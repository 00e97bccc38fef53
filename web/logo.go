package web

import (
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/colmena-coop/colmena/directory"
)

// coopLogo serves a local co-op's logo.
func (s *Server) coopLogo(w http.ResponseWriter, r *http.Request) error {
	ref, err := pathVar(r, "handle")
	if err != nil {
		return err
	}
	c, err := s.svc.PublicCoop(r.Context(), ref)
	if err != nil {
		return err
	}
	l, err := s.svc.CoopLogo(r.Context(), c)
	if err != nil {
		return err
	}
	etag := `"` + strconv.FormatInt(l.UpdatedAt.UnixMicro(), 36) + `"`
	h := w.Header()
	h.Set("Content-Type", l.ContentType)
	h.Set("ETag", etag)
	h.Set("Cache-Control", "public, max-age=3600")
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	_, _ = w.Write(l.Data)
	return nil
}

// uploadLogo takes a new logo from the dashboard.
func (s *Server) uploadLogo(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, directory.MaxLogoBytes+64<<10)
	v, c := s.dashboardCoop(w, r)
	if c == nil {
		return nil
	}
	l := s.locales.forRequest(r)
	p := &dashboardPage{Errors: formErrors{}, Form: "logo"}
	file, _, err := r.FormFile("logo")
	var data []byte
	if err == nil {
		data, err = io.ReadAll(file)
		file.Close()
	}
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		p.Errors["logo"] = l.T("dashboard.logo_too_big", "KiB", directory.MaxLogoBytes>>10)
		s.renderDashboard(w, r, v, c, http.StatusRequestEntityTooLarge, p)
		return nil
	case err != nil && !errors.Is(err, http.ErrMissingFile):
		return s.dashboardFailed(w, r, v, c, p, directory.Invalid("logo", directory.CodeLogoUnreadable))
	}
	if err := s.svc.SetLogo(r.Context(), v.User.Principal(), c.Handle, data); err != nil {
		return s.dashboardFailed(w, r, v, c, p, err)
	}
	p.Notice = l.T("dashboard.logo_saved")
	s.renderDashboard(w, r, v, c, http.StatusOK, p)
	return nil
}
