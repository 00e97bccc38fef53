package federation

import (
	"net/http"
	"sync"
	"time"

	"github.com/hashicorp/golang-lru/v2/simplelru"
)

// Which signature scheme the client signs with, host by host. It signs as
// RFC 9421 first; a host that refuses such a request with 400, 401 or 403
// is asked again at once signed as draft-cavage, and when that one is
// taken, the host is remembered as a draft-cavage host for CavageFor:
// requests to it are signed as draft-cavage straight away until then, and
// RFC 9421 is tried again after. The memory is the client's, in memory
// and bounded: a host forgotten early is only tried as RFC 9421 again.

// CavageFor is how long a host that took draft-cavage after refusing RFC
// 9421 is sent draft-cavage before RFC 9421 is tried again.
const CavageFor = 24 * time.Hour

// maxSchemeHosts bounds the hosts remembered.
const maxSchemeHosts = 4096

type schemeMemory struct {
	mu     sync.Mutex
	cavage *simplelru.LRU[string, time.Time] // host -> draft-cavage until
}

func newSchemeMemory() *schemeMemory {
	l, err := simplelru.NewLRU[string, time.Time](maxSchemeHosts, nil)
	if err != nil {
		panic(err) // only for a size that is not positive
	}
	return &schemeMemory{cavage: l}
}

// useCavage reports whether requests to host are signed as draft-cavage
// now.
func (m *schemeMemory) useCavage(host string, now time.Time) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	until, ok := m.cavage.Get(host)
	if !ok {
		return false
	}
	if !now.Before(until) {
		m.cavage.Remove(host)
		return false
	}
	return true
}

// rememberCavage records that host took draft-cavage after refusing RFC
// 9421.
func (m *schemeMemory) rememberCavage(host string, now time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.cavage.Add(host, now.Add(CavageFor))
}

// refusedSignature reports whether a status to a request signed as RFC
// 9421 may be a refusal of its signature, worth asking again signed as
// draft-cavage: 400, 401 or 403. Other answers (404, 410, 429, a server
// error...) say nothing of the signature.
func refusedSignature(status int) bool {
	return status == http.StatusBadRequest || status == http.StatusUnauthorized || status == http.StatusForbidden
}
