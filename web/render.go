package web

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/colmena-coop/colmena/directory"
)

//go:embed templates/*.html
var templateFS embed.FS

// pageNames are the pages, each a template file that defines "main" and
// is parsed with the layout and the shared parts.
var pageNames = []string{"search", "job", "coops", "coop", "federation", "stats", "error",
	"login", "password", "account", "dashboard", "admin", "forgot", "reset", "followsearch", "alerts"}

// parseTemplates parses every page once, at start-up.
func parseTemplates() (map[string]*template.Template, error) {
	out := map[string]*template.Template{}
	funcs := template.FuncMap{
		// dict builds the data of a shared part from name/value pairs.
		"dict": func(kv ...any) map[string]any { return pairs(kv) },
		"list": func(v ...string) []string { return v },
		// urlkey escapes a job id for a path segment.
		"urlkey": func(id string) string { return url.PathEscape(id) },
		// options renders a select's options: the long lists (countries,
		// time zones) cost much less written directly than ranged over.
		"options": optionsHTML,
		// checks renders a field's choices as checkboxes (choices.go).
		"checks": checksHTML,
	}
	for _, name := range pageNames {
		t, err := template.New(name).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/parts.html", "templates/sections.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("parsing the %s page: %w", name, err)
		}
		out[name] = t
	}
	return out, nil
}

// link is a <link rel="alternate"> of a page.
type link struct {
	Type, Href, Title string
}

// TypeAttr is the link's type attribute, written as is: html/template
// would escape the "+" of a media type, which some readers compare as
// bytes. Types are constants of this package, never input.
func (l link) TypeAttr() template.HTMLAttr { return template.HTMLAttr(`type="` + l.Type + `"`) }

// metaProp is an OpenGraph <meta property>.
type metaProp struct {
	Property, Content string
}

// langLink switches the page to another language.
type langLink struct {
	Code, Name, Href string
}

// pageBase is what every page's layout needs. Each page's data embeds it.
type pageBase struct {
	L           *Locale
	Site        *directory.Federation
	Title       string
	Description string
	// Section marks the current item of the navigation.
	Section    string
	Assets     *assets
	Alternates []link
	Meta       []metaProp
	Langs      []langLink
	// Canonical is the page's absolute address, for OpenGraph.
	Canonical string
	// Viewer is who is logged in, if anyone.
	Viewer *viewer
	// Flash says what the change that led here did, shown once; Summary
	// lists the mistakes of the form sent, at the top of the page.
	Flash   string
	Summary *errorSummary
}

func (p *pageBase) base() *pageBase { return p }

type page interface{ base() *pageBase }

// newBase fills in the layout's data for a request.
func (s *Server) newBase(r *http.Request, section, title string) (pageBase, error) {
	site, err := s.svc.LocalFederation(r.Context())
	if err != nil {
		return pageBase{}, err
	}
	l := s.locales.forRequest(r)
	b := pageBase{L: l, Site: site, Title: title, Section: section, Assets: s.assets,
		Canonical: s.svc.Links().Base() + withoutLang(r), Viewer: s.viewerOf(r)}
	next := withoutLang(r)
	for _, t := range uiLanguages {
		base, _ := t.Base()
		if base.String() == l.Lang {
			continue
		}
		b.Langs = append(b.Langs, langLink{Code: base.String(), Name: s.locales.locale(t).T("lang.name"),
			Href: "/lang/" + base.String() + "?next=" + url.QueryEscape(next)})
	}
	return b, nil
}

// describe fills in what a page about one ActivityPub object tells link
// previews (OpenGraph) and search engines, and its ActivityStreams
// alternate.
func (s *Server) describe(b *pageBase, ogType, title, id, summary string) {
	b.Description = s.summary(summary, 200)
	b.Alternates = append(b.Alternates, link{Type: "application/activity+json", Href: id})
	b.Meta = []metaProp{{"og:type", ogType}, {"og:title", title}, {"og:url", id},
		{"og:description", b.Description}, {"og:site_name", b.Site.Name}, {"og:locale", b.L.Lang}}
}

// asLink names, in a Link header, the ActivityStreams form of a page.
func asLink(w http.ResponseWriter, id string) {
	w.Header().Set("Link", `<`+id+`>; rel="alternate"; type="application/activity+json"`)
}

// render writes a page. It renders into a buffer first so that a template
// error becomes a clean 500 rather than half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, data page) {
	s.renderKept(w, r, status, name, data)
}

// renderedPage is a page as rendered: its body and its language.
type renderedPage struct {
	body []byte
	lang string
}

// renderKept renders like render and returns what it sent, or nil when
// rendering failed.
func (s *Server) renderKept(w http.ResponseWriter, r *http.Request, status int, name string, data page) *renderedPage {
	b := data.base()
	if fp, ok := data.(formErrorsOf); ok {
		form, suffix, errs := fp.formErrorsOf()
		b.Summary = b.L.summarize(form, suffix, errs)
	}
	b.Flash = s.takeFlash(w, r, b.L)
	var buf bytes.Buffer
	if err := s.tmpl[name].ExecuteTemplate(&buf, "layout", data); err != nil {
		if clientGone(r) {
			s.abandoned(w, r, err)
			return nil
		}
		s.log.ErrorContext(r.Context(), "rendering a page", "page", name, "error", err)
		http.Error(w, "Internal error", http.StatusInternalServerError)
		return nil
	}
	if len(b.L.missing) > 0 {
		s.log.WarnContext(r.Context(), "untranslated messages", "page", name, "lang", b.L.Lang, "ids", strings.Join(b.L.missing, ","))
	}
	p := &renderedPage{body: buf.Bytes(), lang: b.L.Lang}
	s.writePage(w, r, status, p)
	return p
}

// writePage sends a rendered page. A page asked for with ?lang remembers
// that language, as the language switcher does.
func (s *Server) writePage(w http.ResponseWriter, r *http.Request, status int, p *renderedPage) {
	if t, ok := s.locales.queryLang(r); ok {
		base, _ := t.Base()
		s.setLangCookie(w, base.String())
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Language", p.lang)
	h.Add("Vary", "Accept-Language, Cookie")
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(p.body)
	}
}

type errorPage struct {
	pageBase
	Status  int
	Heading string
	Message string
}

// pageError shows an error as a page in the visitor's language, with the
// status its kind calls for; internal details go to the log only.
func (s *Server) pageError(w http.ResponseWriter, r *http.Request, err error) {
	if clientGone(r) {
		s.abandoned(w, r, err)
		return
	}
	kind := directory.KindOf(err)
	status := statusOf(kind)
	if status >= 500 {
		s.log.ErrorContext(r.Context(), "page failed", "path", r.URL.Path, "error", err)
	}
	l := s.locales.forRequest(r)
	switch kind {
	case directory.KindNotFound:
		s.showError(w, r, status, l.T("error.notfound.heading"), l.T("error.notfound.body"))
	case directory.KindInvalid:
		s.showError(w, r, status, l.T("error.invalid.heading"), invalidMessage(l, err))
	case directory.KindForbidden:
		body := l.T("error.forbidden.body")
		if de := (*directory.Error)(nil); errors.As(err, &de) && de.Code != "" {
			body = l.fieldMessage(err)
		}
		s.showError(w, r, status, l.T("error.forbidden.heading"), body)
	default:
		s.showError(w, r, status, l.T("error.internal.heading"), l.T("error.internal.body"))
	}
}

// invalidMessage says what is wrong with a request's input in l's
// language, naming the parameter when the error does.
func invalidMessage(l *Locale, err error) string {
	var de *directory.Error
	if !errors.As(err, &de) {
		return directory.SafeMessage(err)
	}
	msg := l.fieldMessage(err)
	if label, ok := paramLabels[de.Field]; ok {
		return l.T("form.error_item", "Label", l.T(label), "Message", msg)
	}
	return msg
}

// paramLabels name the parameters of the pages' addresses (the search
// filters) by the label of their control, for the error page.
var paramLabels = map[string]string{
	"country": "filter.country", "skill": "filter.skill", "skills": "filter.skill", "remote": "filter.remote",
	"type": "filter.type", "employment_type": "filter.type", "lang": "filter.language", "language": "filter.language",
	"languages": "filter.language", "currency": "filter.currency", "federation": "filter.federation",
	"seniority": "filter.seniority", "pay": "filter.pay", "pay_currency": "filter.pay_currency",
	"pay_period": "filter.pay_period", "view_currency": "filter.currency",
	"handle": "admin.handle", "acct": "follow.label", "account": "follow.label", "email": "login.email",
	"password": "login.password",
}

// page adapts a page handler: the error it returns, if any, is shown
// by pageError.
func (s *Server) page(h func(w http.ResponseWriter, r *http.Request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.pageError(w, r, err)
		}
	}
}

// showError renders the error page.
func (s *Server) showError(w http.ResponseWriter, r *http.Request, status int, heading, message string) {
	b, err := s.newBase(r, "", heading)
	if err != nil && clientGone(r) {
		s.abandoned(w, r, err)
		return
	}
	if err != nil {
		s.log.ErrorContext(r.Context(), "page failed", "path", r.URL.Path, "error", err)
		http.Error(w, "Internal error", http.StatusInternalServerError)
		return
	}
	s.render(w, r, status, "error", &errorPage{pageBase: b, Status: status, Heading: heading, Message: message})
}

// setLanguage remembers a visitor's language and returns to the page.
func (s *Server) setLanguage(w http.ResponseWriter, r *http.Request) {
	code := strings.TrimPrefix(r.URL.Path, "/lang/")
	if _, ok := s.locales.byCode[code]; !ok {
		s.pageError(w, r, directory.NotFoundf("no language %q", code))
		return
	}
	s.setLangCookie(w, code)
	http.Redirect(w, r, localNext(r.URL.Query().Get("next"), "/"), http.StatusSeeOther)
}

// setLangCookie sets the cookie that keeps a visitor's language.
func (s *Server) setLangCookie(w http.ResponseWriter, code string) {
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: code, Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: strings.HasPrefix(s.svc.Links().Base(), "https:")})
}

// optionsHTML writes options as <option> elements, their values and
// labels escaped as html/template escapes them in a quoted attribute and
// in text.
func optionsHTML(opts []option) template.HTML {
	var b strings.Builder
	for _, o := range opts {
		b.WriteString(`<option value="`)
		b.WriteString(template.HTMLEscapeString(o.Value))
		b.WriteString(`"`)
		if o.Selected {
			b.WriteString(` selected`)
		}
		b.WriteString(`>`)
		b.WriteString(template.HTMLEscapeString(o.Label))
		b.WriteString(`</option>`)
	}
	return template.HTML(b.String())
}
