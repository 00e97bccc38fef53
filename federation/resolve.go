package federation

import (
	"context"
	"encoding/json"
	"net"
	"net/url"
	"strings"

	"golang.org/x/net/idna"

	"github.com/colmena-coop/colmena/directory"
)

// Turning a handle or URL someone typed into an actor: the WebFinger
// client, beside discovery.go's WebFinger server.

// ResolveActor turns handle@host[:port] (with or without a leading @) or
// an actor URL into an actor id, by WebFinger for handles.
func (f *Federation) ResolveActor(ctx context.Context, target string) (string, error) {
	target = strings.TrimPrefix(strings.TrimSpace(target), "@")
	if strings.Contains(target, "://") {
		if _, err := checkURL(target); err != nil {
			return "", directory.Invalid("target", directory.CodeBadURL, err)
		}
		return target, nil
	}
	jrd, err := f.lookup(ctx, "target", target)
	if err != nil {
		return "", err
	}
	for _, l := range jrd.Links {
		if l.Rel == "self" && (l.Type == ContentTypeAS || IsASContentType(l.Type)) && l.Href != "" {
			return l.Href, nil
		}
	}
	return "", directory.Invalid("target", directory.CodeNoActor, target)
}

// subscribeRel is the WebFinger link whose template is a server's "follow
// this account" page (Mastodon's authorize_interaction).
const subscribeRel = "http://ostatus.org/schema/1.0/subscribe"

// SubscribeURL finds, by WebFinger, the page on account's own server where
// that person confirms following uri (an acct: address or actor id):
// remote follow, as Mastodon's profile pages offer it. The node sends the
// visitor there, so only an http(s) page on the account's own host, with
// no user name or password in it, is taken; any other answer is refused
// (KindInvalid on "account").
func (f *Federation) SubscribeURL(ctx context.Context, account, uri string) (string, error) {
	acct := strings.TrimPrefix(strings.TrimSpace(account), "@")
	jrd, err := f.lookup(ctx, "account", acct)
	if err != nil {
		return "", err
	}
	_, host, _ := strings.Cut(acct, "@")
	for _, l := range jrd.Links {
		if l.Rel == subscribeRel && strings.Contains(l.Template, "{uri}") {
			u, err := checkURL(strings.Replace(l.Template, "{uri}", url.QueryEscape(uri), 1))
			if err != nil || canonicalHost(u.Scheme, u.Host) != canonicalHost(u.Scheme, host) {
				return "", directory.Invalid("account", directory.CodeNoFollowPage, account)
			}
			return u.String(), nil
		}
	}
	return "", directory.Invalid("account", directory.CodeNoRemoteFollow, account)
}

// canonicalHost is host[:port] as a URL of scheme names it: lower case,
// an international name in ASCII, the scheme's default port dropped.
func canonicalHost(scheme, host string) string {
	name, port := host, ""
	if h, p, err := net.SplitHostPort(host); err == nil {
		name, port = h, p
	}
	if a, err := idna.Lookup.ToASCII(strings.TrimSuffix(name, ".")); err == nil {
		name = a
	}
	name = strings.ToLower(name)
	if port == "" || scheme == "https" && port == "443" || scheme == "http" && port == "80" {
		return name
	}
	return net.JoinHostPort(name, port)
}

// lookup asks the WebFinger of user@host's server about it; field names
// the input at fault in errors.
func (f *Federation) lookup(ctx context.Context, field, target string) (*JRD, error) {
	user, host, ok := strings.Cut(target, "@")
	if !ok || user == "" || host == "" || strings.ContainsAny(host, "/?#@ ") {
		return nil, directory.Invalid(field, directory.CodeAcctForm, target)
	}
	schemes := []string{"https"}
	if f.allowPrivate {
		schemes = append(schemes, "http")
	}
	var lastErr error
	for _, scheme := range schemes {
		u := scheme + "://" + host + "/.well-known/webfinger?resource=" + url.QueryEscape("acct:"+user+"@"+host)
		body, err := f.client.GetJSON(ctx, u, "application/jrd+json, application/json")
		if err != nil {
			lastErr = err
			continue
		}
		var jrd JRD
		if err := json.Unmarshal(body, &jrd); err != nil {
			return nil, directory.Invalid(field, directory.CodeWebfingerJSON, host)
		}
		return &jrd, nil
	}
	return nil, directory.Invalid(field, directory.CodeLookupFailed, target, lastErr)
}
