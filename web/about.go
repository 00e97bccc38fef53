package web

import (
	"html/template"
	"strings"
)

// aboutHTML renders a co-op's About (Markdown) through the job
// description's Markdown and sanitiser.
func (s *Server) aboutHTML(src string) template.HTML {
	if strings.TrimSpace(src) == "" {
		return ""
	}
	if s.fed != nil {
		return template.HTML(s.fed.DescriptionHTML(src))
	}
	return template.HTML("<p>" + template.HTMLEscapeString(src) + "</p>")
}
