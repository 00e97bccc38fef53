package e2e

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/colmena-coop/colmena/demo"
	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/internal/nodetest"
	"github.com/colmena-coop/colmena/internal/teststore"
)

// demoScale is the fraction of the demo's federations these tests seed:
// enough for every federation to have jobs a seeker in Rosario can take.
const demoScale = 0.2

// rosario is the search of a seeker in Rosario, Argentina: remote jobs
// open to Argentina, a region around it or anywhere, with at least 4
// hours of overlap with a working day in Buenos Aires, best paid first in
// US dollars a month.
var rosario = url.Values{
	"live_in": {"AR"}, "city": {"Rosario"}, "tz": {"America/Argentina/Buenos_Aires"}, "overlap": {"4"},
	"remote": {"remote"}, "sort": {"salary"}, "view_currency": {"USD"},
}

// demoNode is a node seeded with one of the demo's federations.
type demoNode struct {
	*nodetest.Node
	seed demo.Federation
}

// demoFederations runs the demo's three federations on stores that open
// makes, each seeded as `colmena demo` seeds it (co-ops, jobs and the
// demo's dated exchange rates, its own currency), each following the
// other two, and waits until every node lists every job.
func demoFederations(t testing.TB, open teststore.Opener) []demoNode {
	t.Helper()
	return demoFederationsAt(t, open, demoScale)
}

// demoFederationsAt is demoFederations with the demo shrunk to scale.
func demoFederationsAt(t testing.TB, open teststore.Opener, scale float64) []demoNode {
	t.Helper()
	keys := &nodetest.KeyPool{Size: 4}
	seeds := demo.Federations(scale)
	nodes := make([]demoNode, len(seeds))
	total := 0
	for i, f := range seeds {
		n := nodetest.NewWith(t, open, f.Name, f.Handle, nodetest.Options{Keys: keys, Currency: f.Currency})
		if err := demo.SeedRates(t.Context(), n.Store); err != nil {
			t.Fatal(err)
		}
		clock := demo.NewClock(time.Now().Add(-28 * 24 * time.Hour))
		if err := demo.Seed(t.Context(), directory.NewService(n.Store, n.Svc.Links(), clock.Now), &f, clock); err != nil {
			t.Fatalf("seeding %s: %v", f.Name, err)
		}
		nodes[i] = demoNode{Node: n, seed: f}
		total += f.JobCount()
	}
	for _, a := range nodes {
		for _, b := range nodes {
			if a.Node != b.Node {
				a.Follow(t, b.Acct())
			}
		}
	}
	for _, n := range nodes {
		nodetest.EventuallyWithin(t, 2*time.Minute, n.Name+" to list every job of the three federations", func() bool {
			res, err := n.Svc.SearchJobs(t.Context(), directory.JobQuery{Limit: 1})
			if err != nil {
				t.Fatal(err)
			}
			return n.Accepted(t) && res.Total == total
		})
	}
	return nodes
}

// seekerJob is a job as the seeker sees it: whose it is, its title, and
// the top of its pay range in US dollars a month (-1 without a salary).
type seekerJob struct {
	Federation, Coop, Title string
	USDMonth                int64
}

func (j seekerJob) String() string {
	return fmt.Sprintf("%s/%s %q USD %d", j.Federation, j.Coop, j.Title, j.USDMonth)
}

// rosarioJobs is what the seeker in Rosario should find among the seeded
// jobs, worked out from the seed rather than from any store: remote jobs
// whose eligibility meets Argentina's codes (Argentina, its regions,
// anywhere) and whose window, if any, overlaps 09:00–18:00 in Buenos
// Aires by 4 hours today, best paid first in US dollars a month.
func rosarioJobs(t testing.TB, nodes []demoNode) []seekerJob {
	t.Helper()
	ba, err := time.LoadLocation("America/Argentina/Buenos_Aires")
	if err != nil {
		t.Fatal(err)
	}
	codes := directory.SeekerCodes("AR")
	rates := demo.Rates()
	var out []seekerJob
	for _, n := range nodes {
		for _, c := range n.seed.Coops {
			for _, j := range c.Jobs {
				if j.Remote != directory.RemoteFull || !slices.ContainsFunc(j.Eligible, func(e string) bool { return slices.Contains(codes, e) }) {
					continue
				}
				if j.Hours != nil && directory.Overlap(*j.Hours, ba, time.Now(), directory.DefaultDayStart, directory.DefaultDayEnd) < 4*time.Hour {
					continue
				}
				sj := seekerJob{Federation: n.Handle, Coop: c.Handle, Title: j.Title, USDMonth: -1}
				if j.Salary != nil {
					p, ok := rates.Normalize(&j, "USD", demo.RatesDate)
					if !ok {
						t.Fatalf("%v: no rate for %s", sj, j.Salary.Currency)
					}
					sj.USDMonth = p.MonthMax
				}
				out = append(out, sj)
			}
		}
	}
	slices.SortStableFunc(out, func(a, b seekerJob) int { return cmp.Compare(b.USDMonth, a.USDMonth) })
	return out
}

// jobItem is the part of an API job this test reads.
type jobItem struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Remote string `json:"remote"`
	Coop   struct {
		Handle string `json:"handle"`
	} `json:"coop"`
	Salary *struct {
		Currency   string `json:"currency"`
		Normalized *struct {
			Currency  string `json:"currency"`
			Month     int64  `json:"month"`
			RatesDate string `json:"rates_date"`
		} `json:"normalized"`
	} `json:"salary"`
}

// apiSearch runs a search through n's API and returns its items in order.
func apiSearch(t testing.TB, n *nodetest.Node, q url.Values) []jobItem {
	t.Helper()
	q = maps(q)
	q.Set("limit", "100")
	resp, err := http.Get(n.URL + "/api/v1/jobs?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Items []jobItem `json:"items"`
		Total int       `json:"total"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: searching %s: %d %v", n.Name, q.Encode(), resp.StatusCode, err)
	}
	if body.Total != len(body.Items) {
		t.Fatalf("%s: %d items of %d", n.Name, len(body.Items), body.Total)
	}
	return body.Items
}

func maps(q url.Values) url.Values {
	out := url.Values{}
	for k, v := range q {
		out[k] = slices.Clone(v)
	}
	return out
}

// seekerView turns API items into seekerJobs, naming the federation
// whose node published each job.
func seekerView(t testing.TB, nodes []demoNode, items []jobItem) []seekerJob {
	t.Helper()
	var out []seekerJob
	for _, it := range items {
		sj := seekerJob{Coop: it.Coop.Handle, Title: it.Title, USDMonth: -1}
		if i := strings.IndexByte(sj.Coop, '@'); i >= 0 {
			sj.Coop = sj.Coop[:i]
		}
		for _, n := range nodes {
			if strings.HasPrefix(it.ID, n.URL+"/") {
				sj.Federation = n.Handle
			}
		}
		if s := it.Salary; s != nil && s.Normalized != nil {
			sj.USDMonth = s.Normalized.Month
		}
		out = append(out, sj)
	}
	return out
}

// sameJobs compares two lists as sets, each sorted by pay then by name.
func sameJobs(a, b []seekerJob) bool {
	order := func(x, y seekerJob) int {
		return cmp.Or(cmp.Compare(y.USDMonth, x.USDMonth), cmp.Compare(x.Federation, y.Federation),
			cmp.Compare(x.Coop, y.Coop), cmp.Compare(x.Title, y.Title))
	}
	a, b = slices.Clone(a), slices.Clone(b)
	slices.SortFunc(a, order)
	slices.SortFunc(b, order)
	return slices.Equal(a, b)
}

// TestSeekerInRosarioAPI is the seeker's search through /api/v1/jobs on
// nodes seeded as the demo is, each having aggregated the other two's
// jobs, on both stores: every node finds exactly the jobs the seed says,
// from the three federations, in the same order, best paid first in US
// dollars a month with the rates' date, jobs without a salary last.
func TestSeekerInRosarioAPI(t *testing.T) {
	teststore.Each(t, func(t *testing.T, open teststore.Opener) {
		nodes := demoFederations(t, open)
		want := rosarioJobs(t, nodes)
		feds := map[string]bool{}
		for _, j := range want {
			feds[j.Federation] = true
		}
		if len(feds) != 3 {
			t.Fatalf("the seed gives the seeker jobs of %v only: %v", feds, want)
		}
		var first []string
		for _, n := range nodes {
			items := apiSearch(t, n.Node, rosario)
			got := seekerView(t, nodes, items)
			if !sameJobs(got, want) {
				t.Errorf("%s finds\n%v\nwant\n%v", n.Name, got, want)
			}
			var ids []string
			seenNone := false
			for k, it := range items {
				ids = append(ids, it.ID)
				if it.Remote != directory.RemoteFull {
					t.Errorf("%s: %q is %s", n.Name, it.Title, it.Remote)
				}
				if it.Salary == nil {
					seenNone = true
					continue
				}
				nz := it.Salary.Normalized
				if seenNone || nz == nil || nz.Currency != "USD" || nz.RatesDate != demo.RatesDate.Format("2006-01-02") {
					t.Errorf("%s: %q: salary %+v after a job without one: %v", n.Name, it.Title, it.Salary, seenNone)
					continue
				}
				if k > 0 && items[k-1].Salary != nil && items[k-1].Salary.Normalized.Month < nz.Month {
					t.Errorf("%s: %q (USD %d) after %q (USD %d)", n.Name, it.Title, nz.Month, items[k-1].Title, items[k-1].Salary.Normalized.Month)
				}
			}
			if first == nil {
				first = ids
			} else if !slices.Equal(ids, first) {
				t.Errorf("%s orders the jobs\n%q\nunlike %s\n%q", n.Name, ids, nodes[0].Name, first)
			}
		}
	})
}

// TestBrowserSeekerInRosario is the seeker in Rosario, with a browser in
// Spanish in Argentina's time zone, filling in the search form of a node
// seeded as the demo is: every remote job open to Argentina or anywhere
// with 4 hours of overlap, of the three federations, best paid first, each
// with its pay in its own currency and about how much that is in US
// dollars a month, as of the rates' date.
func TestBrowserSeekerInRosario(t *testing.T) {
	ctx := newBrowser(t)
	nodes := demoFederations(t, teststore.SQLite)
	want := rosarioJobs(t, nodes)
	node := nodes[0]

	ua := evalJS[string](t, ctx, `navigator.userAgent`)
	err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := cdp.Call(ctx, tg, emulation.SetUserAgentOverride, emulation.SetUserAgentOverrideParams{UserAgent: ua, AcceptLanguage: "es-AR,es"}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, tg, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: "America/Argentina/Buenos_Aires"})
		return err
	}))
	if err != nil {
		t.Fatal(err)
	}

	open(t, ctx, node.URL+"/")
	if lang := evalJS[string](t, ctx, `document.documentElement.lang`); lang != "es" {
		t.Fatalf("a Spanish browser gets the page in %q", lang)
	}
	// choose picks an option of a select as a person does, which submits
	// the search when the select does so by itself.
	choose := func(sel, value string) {
		t.Helper()
		evalJS[bool](t, ctx, fmt.Sprintf(`(e => { e.value = %q; e.dispatchEvent(new Event("change", {bubbles: true})); return e.value === %[1]q })(document.querySelector(%q))`, value, sel))
	}
	inAddress := func(param, value string) {
		t.Helper()
		q := url.Values{param: {value}}.Encode()
		waitJS(t, ctx, q+" in the address", fmt.Sprintf(`location.search.includes(%q)`, q))
	}
	choose("#live-in", "AR")
	inAddress("live_in", "AR")
	if label := evalJS[string](t, ctx, `document.querySelector("label[for=live-in]").textContent`); label != "Vivo en" {
		t.Errorf("the country's label: %q", label)
	}
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("#city"), "Rosario")); err != nil {
		t.Fatal(err)
	}
	// The browser's zone is chosen already.
	if tz := evalJS[string](t, ctx, `document.querySelector("#tz").value`); tz != "America/Argentina/Buenos_Aires" {
		t.Errorf("the zone guessed from the browser: %q", tz)
	}
	choose("#overlap", "4")
	inAddress("overlap", "4")
	inAddress("city", "Rosario")
	inAddress("tz", "America/Argentina/Buenos_Aires")
	click(t, ctx, `input[name="remote"][value="remote"]`)
	inAddress("remote", "remote")
	choose("#sort", "salary")
	inAddress("sort", "salary")
	choose("#view_currency", "USD")
	inAddress("view_currency", "USD")
	screenshot(t, ctx, "seeker-rosario-es")

	// The search in the address is the seeker's, nothing more.
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(loc)
	if err != nil {
		t.Fatal(err)
	}
	if got := u.Query(); got.Encode() != rosario.Encode() {
		t.Errorf("the search is %s, want %s", got.Encode(), rosario.Encode())
	}

	// Every result, page after page.
	type card struct{ Title, Coop, Fed, Salary, Note string }
	var cards []card
	for page := 0; page < 10; page++ {
		raw := evalJS[string](t, ctx, `JSON.stringify(Array.from(document.querySelectorAll(".job-list .job")).map(c => ({
			Title: c.querySelector("h3 a").textContent.trim(),
			Coop: c.querySelector(".org a").getAttribute("href"),
			Fed: (c.querySelector(".org .fed") || {}).textContent || "",
			Salary: ((c.querySelector(".salary") || {}).textContent || "").trim(),
			Note: ((c.querySelector(".salary .pay-note") || {}).textContent || "").trim()})))`)
		var cs []card
		if err := json.Unmarshal([]byte(raw), &cs); err != nil {
			t.Fatal(err)
		}
		cards = append(cards, cs...)
		next := evalJS[string](t, ctx, `(document.querySelector(".pager a.next") || {}).href || ""`)
		if next == "" {
			break
		}
		open(t, ctx, next)
	}

	// The same jobs, in the same order, as the API gives, and those the
	// seed says.
	items := apiSearch(t, node.Node, rosario)
	if len(cards) != len(items) {
		t.Fatalf("%d results on the page, %d in the API", len(cards), len(items))
	}
	if got := seekerView(t, nodes, items); !sameJobs(got, want) {
		t.Errorf("the seeker finds\n%v\nwant\n%v", got, want)
	}
	feds := map[string]bool{}
	for k, c := range cards {
		it := items[k]
		feds[c.Fed] = true
		if c.Title != it.Title {
			t.Errorf("result %d is %q, want %q", k+1, c.Title, it.Title)
			continue
		}
		if it.Salary == nil {
			if c.Salary != "" {
				t.Errorf("%q: pay %q without a salary", c.Title, c.Salary)
			}
			continue
		}
		if !strings.HasPrefix(c.Salary, it.Salary.Currency+" ") {
			t.Errorf("%q: pay %q is not in its own currency %s", c.Title, c.Salary, it.Salary.Currency)
		}
		// Pay in dollars a month needs no conversion; any other says about
		// how much that is, and as of when.
		monthlyUSD := it.Salary.Currency == "USD" && strings.Contains(c.Salary, "por mes")
		if monthlyUSD {
			continue
		}
		if !strings.HasPrefix(c.Note, "· unos USD ") || !strings.Contains(c.Note, "por mes") || !strings.Contains(c.Note, "cotización del 28") || !strings.Contains(c.Note, "2026") {
			t.Errorf("%q: pay %q: no figure in USD a month with the rates' date: %q", c.Title, c.Salary, c.Note)
		}
	}
	for _, n := range nodes {
		if !feds[n.Name] {
			t.Errorf("no job of %s among the results (%v)", n.Name, feds)
		}
	}
	heading := evalJS[string](t, ctx, `document.querySelector("#results-heading").textContent`)
	if !strings.Contains(heading, fmt.Sprint(len(want))) {
		t.Errorf("results heading %q, want %d jobs", heading, len(want))
	}
}
