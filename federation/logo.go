package federation

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

// The logos of co-ops hosted elsewhere are fetched from their actor's
// icon through the outbound client (its address rules, blocked domains
// refused), checked as an uploaded logo is (PNG, JPEG or GIF, size and
// pixels), and cached in the store: pages serve them from this node, so
// no reader's browser asks another server, and the page's Content
// Security Policy stays 'self'.

// remoteLogoAge is how long a cached logo is kept before the icon is
// fetched again, when the co-op's actor is next refreshed.
const remoteLogoAge = 7 * 24 * time.Hour

// iconURL returns the URL of an actor document's icon: an Image (or a
// list of them, the first taken) whose url is a string or a Link, or a
// bare URL; "" when there is none.
func iconURL(doc []byte) string {
	var d struct {
		Icon json.RawMessage `json:"icon"`
	}
	if json.Unmarshal(doc, &d) != nil || len(d.Icon) == 0 {
		return ""
	}
	return imageURL(d.Icon, 2)
}

func imageURL(raw json.RawMessage, depth int) string {
	if depth < 0 {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) == nil {
		if len(list) == 0 {
			return ""
		}
		return imageURL(list[0], depth-1)
	}
	var obj struct {
		URL  json.RawMessage `json:"url"`
		Href string          `json:"href"`
	}
	if json.Unmarshal(raw, &obj) != nil {
		return ""
	}
	if obj.Href != "" {
		return obj.Href
	}
	if len(obj.URL) == 0 {
		return ""
	}
	return imageURL(obj.URL, depth-1)
}

// cacheLogo stores the logo of a remote co-op from its actor's icon,
// unless one fetched less than remoteLogoAge ago is cached and the actor
// did not say it changed (fresh). A logo is an ornament: failing to get
// one is logged and never fails the import.
func (f *Federation) cacheLogo(ctx context.Context, c *directory.Coop, a *directory.RemoteActor, fresh bool) {
	if c == nil || c.ID == 0 || c.Local || a == nil {
		return
	}
	if l, err := f.store.Logo(ctx, c.ID); err == nil && !fresh && f.now().Sub(l.UpdatedAt) < remoteLogoAge {
		return
	}
	u := iconURL(a.Document)
	if u == "" {
		return
	}
	fail := func(err error) {
		f.log.InfoContext(ctx, "no logo for a remote co-op", slog.String("coop", c.APID), slog.String("icon", u), slog.Any("error", err))
	}
	if err := f.refuseBlockedHosts(ctx, u); err != nil {
		fail(err)
		return
	}
	data, err := f.client.GetImage(ctx, u, directory.MaxLogoBytes)
	if err != nil {
		fail(err)
		return
	}
	ct, err := directory.CheckLogo(data)
	if err != nil {
		fail(err)
		return
	}
	if err := f.store.PutRemoteLogo(ctx, c.ID, &directory.Logo{ContentType: ct, Data: data, UpdatedAt: f.now()}); err != nil {
		fail(err)
	}
}

// refreshLogo fetches a remote co-op's logo again after its actor's
// Update: the icon may be new.
func (f *Federation) refreshLogo(ctx context.Context, apid string) {
	c, err := f.store.CoopByAPID(ctx, apid)
	if err != nil {
		return
	}
	a, err := f.store.RemoteActor(ctx, apid)
	if err != nil {
		return
	}
	f.cacheLogo(ctx, c, a, true)
}

// GetImage fetches an image of at most limit bytes, unsigned: avatars
// are public, and often served by a media host that checks no signature.
func (c *Client) GetImage(ctx context.Context, raw string, limit int) ([]byte, error) {
	u, err := checkURL(raw)
	if err != nil {
		return nil, &FetchError{URL: raw, Err: err}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, &FetchError{URL: raw, Err: err}
	}
	req.Header.Set("Accept", "image/png, image/jpeg, image/gif")
	req.Header.Set("User-Agent", c.ua)
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, &FetchError{URL: raw, Err: err}
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return nil, &FetchError{URL: raw, Status: resp.StatusCode, Err: fmt.Errorf("status %d", resp.StatusCode)}
	}
	if resp.ContentLength > int64(limit) {
		return nil, &FetchError{URL: raw, Err: fmt.Errorf("the image is %d bytes, more than %d", resp.ContentLength, limit)}
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, int64(limit)+1))
	if err != nil {
		return nil, &FetchError{URL: raw, Err: err}
	}
	if len(b) > limit {
		return nil, &FetchError{URL: raw, Err: fmt.Errorf("the image is larger than %d bytes", limit)}
	}
	return b, nil
}
