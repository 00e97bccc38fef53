package web

import (
	"context"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

// Paging of the search. The search pages by cursor, so the page's address
// carries the cursors of the pages before it (prev, the first page's
// being empty): Previous goes back to the last of them, and the page's
// number is how many there are, plus one.
const (
	// maxTrail is how many pages back the address remembers; a longer
	// trail is not trusted and the page shows no number.
	maxTrail = 200
	// maxCursorLen bounds one remembered cursor.
	maxCursorLen = 256
)

// pageTrail returns the cursors of the pages before this one, and false
// when the address carries none that can be trusted.
func pageTrail(v url.Values) ([]string, bool) {
	trail := v["prev"]
	if len(trail) == 0 || len(trail) > maxTrail {
		return nil, false
	}
	for _, c := range trail {
		if len(c) > maxCursorLen {
			return nil, false
		}
		if c != "" {
			if _, err := directory.DecodeCursor(c); err != nil {
				return nil, false
			}
		}
	}
	return trail, true
}

// fillPager adds Previous, "page N of M" and a Next that remembers the
// way back. With a cursor and no trail (an address made by hand or by
// an older page) the page has no number, only First and Next.
func (s *Server) fillPager(p *searchPage, v url.Values, next *directory.Cursor, limit int) {
	if limit <= 0 {
		limit = directory.DefaultLimit
	}
	pages := (p.Total + limit - 1) / limit
	cursor := v.Get("cursor")
	trail, ok := pageTrail(v)
	number := 0
	switch {
	case cursor == "":
		trail, number = nil, 1
	case ok:
		number = len(trail) + 1
		back := cloneValues(v)
		back["prev"] = trail[:len(trail)-1]
		if last := trail[len(trail)-1]; last != "" {
			back.Set("cursor", last)
		} else {
			back.Del("cursor")
		}
		p.PrevHref = searchHref(back)
	}
	if number > 0 && pages > 1 {
		p.PageText = p.L.T("pager.page_of", "Page", p.L.Num(number), "Pages", p.L.Num(max(pages, number)))
	}
	if next != nil {
		fwd := cloneValues(v)
		if number > 0 {
			fwd["prev"] = append(append([]string(nil), trail...), cursor)
		} else {
			fwd.Del("prev")
		}
		fwd.Set("cursor", next.Encode())
		p.NextHref = searchHref(fwd)
	}
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

func searchHref(v url.Values) string {
	for k, vs := range v {
		if len(vs) == 0 {
			delete(v, k)
		}
	}
	if len(v) == 0 {
		return "/"
	}
	return "/?" + v.Encode()
}

// logoURL is where this node serves a co-op's logo stored at updated:
// a local co-op's own, or the cached copy of a remote one's icon.
func logoURL(handle, host string, local bool, updated time.Time) string {
	return coopHref(handle, host, local) + "/logo?v=" + strconv.FormatInt(updated.UnixMicro(), 36)
}

// addLogos gives job cards their co-op's logo, with one query for the
// page. A failure leaves the cards without logos: they are ornaments.
func (s *Server) addLogos(ctx context.Context, jobs []jobView) {
	ids := make([]int64, 0, len(jobs))
	for _, j := range jobs {
		ids = append(ids, j.Job.Coop.ID)
	}
	times, err := s.svc.LogoTimes(ctx, ids)
	if err != nil {
		s.log.WarnContext(ctx, "logos of job cards", slog.Any("error", err))
		return
	}
	for i := range jobs {
		c := jobs[i].Job.Coop
		if at, ok := times[c.ID]; ok {
			jobs[i].LogoURL = logoURL(c.Handle, c.Host, jobs[i].Job.Local, at)
		}
	}
}

// coopChips are the removable chips of the coop= filter, each naming its
// co-op; a co-op not known here is named as it was asked for.
func (s *Server) coopChips(ctx context.Context, l *Locale, v url.Values) []activeFilter {
	var out []activeFilter
	for _, raw := range v["coop"] {
		ref := strings.TrimSpace(raw)
		if ref == "" {
			continue
		}
		label := ref
		var c *directory.Coop
		var err error
		if strings.Contains(ref, "://") {
			c, err = s.svc.CoopByAPID(ctx, ref)
		} else {
			c, err = s.svc.PublicCoop(ctx, ref)
		}
		if err == nil && !c.Suspended {
			label = c.Name
		}
		out = append(out, activeFilter{Legend: l.T("filter.coop"), Label: label, RemoveHref: without(v, "coop", raw)})
	}
	return out
}
