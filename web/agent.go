package web

import (
	"github.com/medama-io/go-useragent"
	"github.com/medama-io/go-useragent/agents"
)

// systemNames are the operating systems as people call them; the
// parser's names are otherwise shown as they are.
var systemNames = map[agents.OS]string{agents.OSMacOS: "macOS"}

// sessionDevice names the browser and system of a session from its
// User-Agent, "Firefox 133 on Windows", in the visitor's language. A
// string nothing is known of is called an unknown browser, never shown
// raw: it is whatever the client sent.
func (l *Locale) sessionDevice(p *useragent.Parser, raw string) string {
	if raw == "" || len(raw) > 1024 {
		return l.T("account.device_unknown")
	}
	ua := p.Parse(raw)
	browser := string(ua.Browser())
	if v := ua.BrowserVersionMajor(); browser != "" && v != "" {
		browser += " " + v
	}
	system := string(ua.OS())
	if name, ok := systemNames[ua.OS()]; ok {
		system = name
	}
	switch {
	case browser != "" && system != "":
		return l.T("account.device", "Browser", browser, "System", system)
	case browser != "":
		return browser
	case system != "":
		return l.T("account.device_on", "System", system)
	}
	return l.T("account.device_unknown")
}
