package directory

import (
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Links mints the public URLs of this node's things. An actor's or object's
// id is also its page: one URL per thing, HTML or ActivityStreams by the
// Accept header.
type Links struct {
	base string // scheme://host[:port], no trailing slash
	host string // host[:port]
}

// NewLinks takes the public URL the world sees, such as https://node.example.
func NewLinks(publicURL string) (Links, error) {
	u, err := url.Parse(strings.TrimSpace(publicURL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
		(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.User != nil {
		return Links{}, Invalid("public-url", CodePublicURL, publicURL)
	}
	host := strings.ToLower(u.Host)
	return Links{base: u.Scheme + "://" + host, host: host}, nil
}

// Base is the node's root URL without a trailing slash.
func (l Links) Base() string { return l.base }

// Host is the host (and port, when not the default) in @handle@host.
func (l Links) Host() string { return l.host }

// InstanceActor is the id of the node's own Application actor.
func (l Links) InstanceActor() string { return l.base + "/actor" }

// Federation is the id of the local federation's actor.
func (l Links) Federation() string { return l.base + "/federation" }

// Coop is the id of a local co-op's actor.
func (l Links) Coop(handle string) string { return l.base + "/coops/" + handle }

// SearchActor is the actor id of the saved search with handle.
func (l Links) SearchActor(handle string) string { return l.base + "/searches/" + handle }

// LogoPath is the path of a local co-op's logo. It carries the time the
// logo changed, so caches see every new one.
func LogoPath(handle string, updated time.Time) string {
	return "/coops/" + handle + "/logo?v=" + strconv.FormatInt(updated.UnixMicro(), 36)
}

// Logo is the URL of a local co-op's logo (the actor's icon).
func (l Links) Logo(handle string, updated time.Time) string {
	return l.base + LogoPath(handle, updated)
}

// Job is the id of a local job.
func (l Links) Job(key string) string { return l.base + "/jobs/" + key }

// JobKey returns the key of a local job id, and false for other URLs.
func (l Links) JobKey(apid string) (string, bool) {
	key, ok := strings.CutPrefix(apid, l.base+"/jobs/")
	if !ok || key == "" || strings.ContainsAny(key, "/?#") {
		return "", false
	}
	return key, true
}
