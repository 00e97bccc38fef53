package federation

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/dunglas/httpsfv"

	"github.com/colmena-coop/colmena/directory"
)

// RFC 9421 HTTP Message Signatures, as Mastodon sends them since 4.5
// beside draft-cavage (signature.go). A request carrying Signature-Input
// is verified here; one without it as draft-cavage. Signature-Input,
// Signature and Content-Digest are RFC 8941 structured fields, parsed with
// github.com/dunglas/httpsfv.

// maxSignatureFields bounds the Signature-Input and Signature headers.
const maxSignatureFields = 8192

// MessageSignature is one labelled signature of Signature-Input and
// Signature.
type MessageSignature struct {
	Label string
	// Components are the covered component identifiers, in order.
	Components []httpsfv.Item
	KeyID      string
	Alg        string // empty when the signer did not say
	Created    time.Time
	Expires    time.Time // zero when absent
	Signature  []byte
	// params is the serialized inner list, the @signature-params value.
	params string
}

// ErrNoMessageSignature is returned for a request without RFC 9421
// signatures.
var ErrNoMessageSignature = errors.New("the request has no RFC 9421 signature: Signature-Input and Signature are required")

// ParseMessageSignatures parses the Signature-Input and Signature field
// values into the signatures both name, in Signature-Input's order.
func ParseMessageSignatures(input, signature []string) ([]*MessageSignature, error) {
	if len(input) == 0 || len(signature) == 0 {
		return nil, ErrNoMessageSignature
	}
	if fieldLen(input) > maxSignatureFields || fieldLen(signature) > maxSignatureFields {
		return nil, errors.New("the Signature-Input or Signature header is too long")
	}
	in, err := httpsfv.UnmarshalDictionary(input)
	if err != nil {
		return nil, errors.New("the Signature-Input header is not a structured dictionary")
	}
	sigs, err := httpsfv.UnmarshalDictionary(signature)
	if err != nil {
		return nil, errors.New("the Signature header is not a structured dictionary")
	}
	var out []*MessageSignature
	for _, label := range in.Names() {
		m, _ := in.Get(label)
		il, ok := m.(httpsfv.InnerList)
		if !ok {
			return nil, fmt.Errorf("the signature %q of Signature-Input is not an inner list", label)
		}
		sm, ok := sigs.Get(label)
		if !ok {
			continue // a signature input without its signature
		}
		si, ok := sm.(httpsfv.Item)
		if !ok {
			return nil, fmt.Errorf("the signature %q is not a byte sequence", label)
		}
		raw, ok := si.Value.([]byte)
		if !ok {
			return nil, fmt.Errorf("the signature %q is not a byte sequence", label)
		}
		s, err := parseSignatureInput(label, il)
		if err != nil {
			return nil, err
		}
		s.Signature = raw
		out = append(out, s)
	}
	if len(out) == 0 {
		return nil, errors.New("no label of Signature-Input has a signature in Signature")
	}
	return out, nil
}

func fieldLen(v []string) int {
	n := 0
	for _, s := range v {
		n += len(s)
	}
	return n
}

func parseSignatureInput(label string, il httpsfv.InnerList) (*MessageSignature, error) {
	s := &MessageSignature{Label: label, Components: il.Items}
	for _, c := range il.Items {
		if _, ok := c.Value.(string); !ok {
			return nil, fmt.Errorf("the signature %q covers a component that is not a string", label)
		}
	}
	for _, name := range il.Params.Names() {
		v, _ := il.Params.Get(name)
		switch name {
		case "created", "expires":
			n, ok := v.(int64)
			if !ok {
				return nil, fmt.Errorf("the signature %q has a %s that is not an integer", label, name)
			}
			if name == "created" {
				s.Created = time.Unix(n, 0)
			} else {
				s.Expires = time.Unix(n, 0)
			}
		case "keyid", "alg":
			str, ok := v.(string)
			if !ok {
				return nil, fmt.Errorf("the signature %q has a %s that is not a string", label, name)
			}
			if name == "keyid" {
				s.KeyID = str
			} else {
				s.Alg = str
			}
		}
	}
	p, err := httpsfv.Marshal(il)
	if err != nil {
		return nil, fmt.Errorf("the signature %q cannot be serialized: %w", label, err)
	}
	s.params = p
	return s, nil
}

// covers reports whether the signature covers the component name, with no
// parameters.
func (s *MessageSignature) covers(name string) bool {
	for _, c := range s.Components {
		if v, _ := c.Value.(string); v == name && len(c.Params.Names()) == 0 {
			return true
		}
	}
	return false
}

// checkCoverage says what the signature lacks to be accepted for a
// request: @method, @target-uri or @authority and @path, created and
// keyid, and content-digest when there is a body.
func (s *MessageSignature) checkCoverage(hasBody bool) error {
	if !s.covers("@method") {
		return errors.New("the signature must cover @method")
	}
	if !s.covers("@target-uri") && !(s.covers("@authority") && s.covers("@path")) {
		return errors.New("the signature must cover @target-uri, or @authority and @path")
	}
	if hasBody && !s.covers("content-digest") {
		return errors.New("the signature must cover content-digest")
	}
	if s.Created.IsZero() {
		return errors.New("the signature must have a created parameter")
	}
	if s.KeyID == "" {
		return errors.New("the signature must have a keyid parameter")
	}
	return nil
}

// ChooseMessageSignature picks the first signature that covers what a
// request must have signed, or tells what the first one lacks.
func ChooseMessageSignature(sigs []*MessageSignature, hasBody bool) (*MessageSignature, error) {
	var first error
	for _, s := range sigs {
		err := s.checkCoverage(hasBody)
		if err == nil {
			return s, nil
		}
		if first == nil {
			first = err
		}
	}
	if first == nil {
		first = ErrNoMessageSignature
	}
	return nil, first
}

// CheckMessageSigned checks, before any key is fetched, what the chosen
// signature says beside the signature itself: created within ClockSkew of
// now, as Date is for draft-cavage, expires not passed, and Content-Digest
// matching the body when there is one.
func CheckMessageSigned(r *http.Request, s *MessageSignature, body []byte, now time.Time) error {
	if err := s.checkCoverage(len(body) > 0); err != nil {
		return err
	}
	if d := now.Sub(s.Created); d > ClockSkew || d < -ClockSkew {
		return fmt.Errorf("the signature was created %v away from this server's clock; at most %v is accepted", d.Round(time.Second), ClockSkew)
	}
	if !s.Expires.IsZero() && now.After(s.Expires) {
		return errors.New("the signature has expired")
	}
	if len(body) > 0 {
		return CheckContentDigest(r.Header.Values("Content-Digest"), body)
	}
	return nil
}

// CheckContentDigest checks an RFC 9530 Content-Digest against the body:
// every sha-256 and sha-512 digest it gives must match, and it must give
// one of them.
func CheckContentDigest(values []string, body []byte) error {
	if len(values) == 0 {
		return errors.New("a Content-Digest header is required")
	}
	d, err := httpsfv.UnmarshalDictionary(values)
	if err != nil {
		return errors.New("the Content-Digest header is not a structured dictionary")
	}
	found := false
	for _, alg := range d.Names() {
		var sum []byte
		switch alg {
		case "sha-256":
			s := sha256.Sum256(body)
			sum = s[:]
		case "sha-512":
			s := sha512.Sum512(body)
			sum = s[:]
		default:
			continue
		}
		m, _ := d.Get(alg)
		it, ok := m.(httpsfv.Item)
		got, isBytes := it.Value.([]byte)
		if !ok || !isBytes || subtle.ConstantTimeCompare(got, sum) != 1 {
			return errors.New("the Content-Digest does not match the body")
		}
		found = true
	}
	if !found {
		return errors.New("the Content-Digest header must give sha-256 or sha-512")
	}
	return nil
}

// MessageSignatureBase builds the signature base of RFC 9421 section 2.5
// for a request whose target URI is target: each covered component on its
// line, then @signature-params.
func MessageSignatureBase(r *http.Request, target *url.URL, s *MessageSignature) (string, error) {
	var b strings.Builder
	seen := map[string]bool{}
	for _, c := range s.Components {
		id, err := httpsfv.Marshal(c)
		if err != nil {
			return "", fmt.Errorf("a covered component cannot be serialized: %w", err)
		}
		if seen[id] {
			return "", fmt.Errorf("the component %s is covered twice", id)
		}
		seen[id] = true
		v, err := componentValue(r, target, c)
		if err != nil {
			return "", err
		}
		if strings.ContainsAny(v, "\r\n") {
			return "", fmt.Errorf("the component %s has a line break", id)
		}
		b.WriteString(id)
		b.WriteString(": ")
		b.WriteString(v)
		b.WriteByte('\n')
	}
	b.WriteString(`"@signature-params": `)
	b.WriteString(s.params)
	return b.String(), nil
}

// componentValue is a covered component's value: a derived component of
// section 2.2, or a header field's values trimmed and joined by ", ".
func componentValue(r *http.Request, target *url.URL, c httpsfv.Item) (string, error) {
	name := c.Value.(string)
	params := c.Params.Names()
	if name == "@query-param" {
		if len(params) != 1 || params[0] != "name" {
			return "", errors.New("@query-param must have exactly a name parameter")
		}
		pv, _ := c.Params.Get("name")
		pname, ok := pv.(string)
		if !ok {
			return "", errors.New("the name of @query-param is not a string")
		}
		q, err := url.ParseQuery(target.RawQuery)
		if err != nil {
			return "", errors.New("the query cannot be parsed")
		}
		vals := q[pname]
		if len(vals) != 1 {
			return "", fmt.Errorf("the query parameter %q must appear once", pname)
		}
		return strings.ReplaceAll(url.QueryEscape(vals[0]), "+", "%20"), nil
	}
	if len(params) != 0 {
		return "", fmt.Errorf("the component %q has parameters, which are not supported", name)
	}
	switch name {
	case "@method":
		return r.Method, nil
	case "@target-uri":
		return target.Scheme + "://" + target.Host + target.RequestURI(), nil
	case "@authority":
		return canonicalHost(target.Scheme, target.Host), nil
	case "@scheme":
		return strings.ToLower(target.Scheme), nil
	case "@request-target":
		return target.RequestURI(), nil
	case "@path":
		if p := target.EscapedPath(); p != "" {
			return p, nil
		}
		return "/", nil
	case "@query":
		return "?" + target.RawQuery, nil
	}
	if strings.HasPrefix(name, "@") {
		return "", fmt.Errorf("the derived component %q is not supported for a request", name)
	}
	if name != strings.ToLower(name) {
		return "", fmt.Errorf("the component %q is not in lower case", name)
	}
	var vals []string
	if name == "host" {
		vals = []string{r.Host}
	} else {
		vals = r.Header.Values(name)
	}
	if len(vals) == 0 {
		return "", fmt.Errorf("the covered header %q is not in the request", name)
	}
	for i, v := range vals {
		vals[i] = strings.Trim(v, " \t")
	}
	return strings.Join(vals, ", "), nil
}

// VerifyMessageSignature checks a signature over base with key. The
// algorithm is the signature's alg, or else the key's: rsa-v1_5-sha256
// for an RSA key, ed25519 for an Ed25519 key. rsa-pss-sha512 is accepted
// when alg names it.
func VerifyMessageSignature(s *MessageSignature, base string, key crypto.PublicKey) error {
	alg := s.Alg
	if alg == "" {
		switch key.(type) {
		case *rsa.PublicKey:
			alg = "rsa-v1_5-sha256"
		case ed25519.PublicKey:
			alg = "ed25519"
		}
	}
	bad := errors.New("the signature does not verify")
	switch alg {
	case "rsa-v1_5-sha256":
		k, ok := key.(*rsa.PublicKey)
		if !ok {
			return fmt.Errorf("the algorithm %s needs an RSA key", alg)
		}
		h := sha256.Sum256([]byte(base))
		if rsa.VerifyPKCS1v15(k, crypto.SHA256, h[:], s.Signature) != nil {
			return bad
		}
	case "rsa-pss-sha512":
		k, ok := key.(*rsa.PublicKey)
		if !ok {
			return fmt.Errorf("the algorithm %s needs an RSA key", alg)
		}
		h := sha512.Sum512([]byte(base))
		if rsa.VerifyPSS(k, crypto.SHA512, h[:], s.Signature, &rsa.PSSOptions{SaltLength: 64, Hash: crypto.SHA512}) != nil {
			return bad
		}
	case "ed25519":
		k, ok := key.(ed25519.PublicKey)
		if !ok {
			return fmt.Errorf("the algorithm %s needs an Ed25519 key", alg)
		}
		if !ed25519.Verify(k, []byte(base), s.Signature) {
			return bad
		}
	default:
		return fmt.Errorf("the signature algorithm %q is not supported; use rsa-v1_5-sha256, rsa-pss-sha512 or ed25519", alg)
	}
	return nil
}

// authenticateMessageSignature is authenticate (inbox.go) for a request
// signed as RFC 9421: the same checks in the same order, and the key found
// the same way, through actorForKey and fetchKey.
func (f *Federation) authenticateMessageSignature(ctx context.Context, r *http.Request, body []byte, act *Incoming) (*directory.RemoteActor, error) {
	sigs, err := ParseMessageSignatures(r.Header.Values("Signature-Input"), r.Header.Values("Signature"))
	if err != nil {
		return nil, directory.Unauthorizedf("%v", err)
	}
	s, err := ChooseMessageSignature(sigs, len(body) > 0)
	if err != nil {
		return nil, directory.Unauthorizedf("%v", err)
	}
	if len(s.KeyID) > MaxIDLength {
		return nil, directory.Invalidf("", "the signature's keyid is longer than %d bytes", MaxIDLength)
	}
	if err := CheckMessageSigned(r, s, body, f.now()); err != nil {
		return nil, directory.Unauthorizedf("%v", err)
	}
	// The signature covers the authority, as the request's Host gives it:
	// it must name this node, or a request signed for another server
	// could be replayed here.
	if !f.isOwnHost(r.Host) {
		return nil, directory.Unauthorizedf("the request was signed for the host %q, not this server's %q", r.Host, f.links.Host())
	}
	scheme, _, _ := strings.Cut(f.links.Base(), "://")
	target := &url.URL{Scheme: scheme, Host: r.Host, Path: r.URL.Path, RawPath: r.URL.RawPath, RawQuery: r.URL.RawQuery}
	base, err := MessageSignatureBase(r, target, s)
	if err != nil {
		return nil, directory.Unauthorizedf("%v", err)
	}
	if err := f.refuseBlockedHosts(ctx, activityHosts(act, s.KeyID)...); err != nil {
		return nil, err
	}
	if hostOf(s.KeyID) == f.links.Host() {
		return nil, directory.Unauthorizedf("the key %s is this server's own", s.KeyID)
	}
	verify := func(a *directory.RemoteActor) error {
		key, err := signingKey(a, s.KeyID)
		if err != nil {
			return err
		}
		return VerifyMessageSignature(s, base, key)
	}
	return f.actorVerifying(ctx, s.KeyID, verify)
}

// actorVerifying finds the actor owning keyID and checks a signature with
// its key; when it does not verify, the key may have been rotated, so it
// is fetched again, once, unless it was fetched a moment ago.
func (f *Federation) actorVerifying(ctx context.Context, keyID string, verify func(*directory.RemoteActor) error) (*directory.RemoteActor, error) {
	actor, err := f.actorForKey(ctx, keyID, false)
	if err != nil {
		return nil, err
	}
	verr := verify(actor)
	if verr == nil {
		return actor, nil
	}
	if f.now().Sub(actor.FetchedAt) < keyRefetchAfter {
		return nil, directory.Unauthorizedf("%v", verr)
	}
	if actor, err = f.actorForKey(ctx, keyID, true); err != nil {
		if directory.KindOf(err) == directory.KindForbidden {
			return nil, err // the key is another actor's, or its domain blocked
		}
		return nil, directory.Unauthorizedf("%v", verr)
	}
	if err := verify(actor); err != nil {
		return nil, directory.Unauthorizedf("%v", err)
	}
	return actor, nil
}

// SignMessage signs r as RFC 9421, as Mastodon does: label sig1 over
// @method and @target-uri, and content-digest when there is a body (its
// Content-Digest, RFC 9530 sha-256, is set here), with created and keyid
// and no alg, the algorithm being rsa-v1_5-sha256 for an RSA key. An
// Ed25519 key signs with alg ed25519, as Fedify does. The signature base
// is MessageSignatureBase's, the one inboxes verify with.
func SignMessage(r *http.Request, body []byte, keyID string, key crypto.Signer, now time.Time) error {
	if k, ok := key.(*rsa.PrivateKey); key == nil || ok && k == nil {
		return errors.New("no key to sign with")
	}
	r.Host = r.URL.Host
	r.Header.Set("Date", now.UTC().Format(http.TimeFormat))
	names := []string{"@method", "@target-uri"}
	if body != nil {
		sum := sha256.Sum256(body)
		d := httpsfv.NewDictionary()
		d.Add("sha-256", httpsfv.NewItem(sum[:]))
		v, err := httpsfv.Marshal(d)
		if err != nil {
			return fmt.Errorf("writing the Content-Digest: %w", err)
		}
		r.Header.Set("Content-Digest", v)
		names = append(names, "content-digest")
	}
	il := httpsfv.InnerList{Params: httpsfv.NewParams()}
	for _, n := range names {
		il.Items = append(il.Items, httpsfv.NewItem(n))
	}
	il.Params.Add("created", now.Unix())
	il.Params.Add("keyid", keyID)
	if _, ok := key.(ed25519.PrivateKey); ok {
		il.Params.Add("alg", "ed25519")
	}
	s, err := parseSignatureInput("sig1", il)
	if err != nil {
		return err
	}
	base, err := MessageSignatureBase(r, r.URL, s)
	if err != nil {
		return err
	}
	var sig []byte
	switch k := key.(type) {
	case *rsa.PrivateKey:
		h := sha256.Sum256([]byte(base))
		if sig, err = rsa.SignPKCS1v15(nil, k, crypto.SHA256, h[:]); err != nil {
			return fmt.Errorf("signing: %w", err)
		}
	case ed25519.PrivateKey:
		sig = ed25519.Sign(k, []byte(base))
	default:
		return fmt.Errorf("signing with a %T key is not supported", key)
	}
	in := httpsfv.NewDictionary()
	in.Add("sig1", il)
	sv := httpsfv.NewDictionary()
	sv.Add("sig1", httpsfv.NewItem(sig))
	inputField, err := httpsfv.Marshal(in)
	if err != nil {
		return err
	}
	sigField, err := httpsfv.Marshal(sv)
	if err != nil {
		return err
	}
	r.Header.Set("Signature-Input", inputField)
	r.Header.Set("Signature", sigField)
	return nil
}
