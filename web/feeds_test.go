package web_test

import (
	"encoding/xml"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/internal/nodetest"
	"github.com/colmena-coop/colmena/internal/teststore"
)

// hostile is text a co-op's own members or another node's server might
// put in names, places and titles.
const hostile = `Evil <script>alert(1)</script> & <img src=x onerror=alert(2)> ]]> <![CDATA[ x ]]> &amp; </p><p>`

// feedElements are the only HTML elements a feed's item text is made of.
var feedElements = map[string]bool{"p": true}

// TestFeedsHostileText: names, places, titles and descriptions of local
// and aggregated jobs reach Atom and RSS as text: each feed is
// well-formed XML, and its HTML item text, once read out of the XML, has
// no element or attribute the feed did not mean.
func TestFeedsHostileText(t *testing.T) {
	n := nodetest.New(t, teststore.SQLite, "SoberaniaX", "soberaniax")
	ctx := t.Context()
	n.Coop(t, directory.Coop{Handle: "hornero", Name: hostile, Country: "AR", City: hostile, Workers: 5})
	n.Job(t, "hornero", directory.Job{Title: hostile, Description: "APIs &lt;script&gt;alert(3)&lt;/script&gt; " + hostile,
		Remote: directory.RemoteHybrid, Country: "AR", City: hostile, EmploymentType: directory.Contract,
		ApplyURL: "https://hornero.example/apply"})
	// A job aggregated from another node, whose server wrote every field.
	remote := &directory.Coop{APID: "https://evil.example/coops/x", Handle: "x", Host: "evil.example", Name: hostile,
		Country: "AR", City: hostile, Workers: 3, URL: "https://evil.example/@x"}
	if err := n.Store.UpsertRemoteCoop(ctx, remote); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Second)
	if err := n.Store.UpsertRemoteJob(ctx, &directory.Job{APID: "https://evil.example/jobs/1",
		Coop: directory.CoopRef{ID: remote.ID, APID: remote.APID}, Title: hostile, Description: hostile,
		Remote: "<b>" + hostile, Country: "AR", City: hostile, EmploymentType: hostile,
		Published: now, Updated: now}); err != nil {
		t.Fatal(err)
	}

	for _, path := range []string{"/jobs.atom", "/jobs.rss", "/coops/hornero/jobs.atom", "/coops/hornero/jobs.rss",
		"/coops/x@evil.example/jobs.atom", "/coops/x@evil.example/jobs.rss", "/jobs.rss?q=" + url.QueryEscape(hostile)} {
		resp, body := page(t, n.URL, path)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d\n%s", path, resp.StatusCode, body)
		}
		var f struct {
			Title   string `xml:"title"`
			Entries []struct {
				Title   string `xml:"title"`
				Summary struct {
					Type string `xml:"type,attr"`
					Text string `xml:",chardata"`
				} `xml:"summary"`
			} `xml:"entry"`
			Channel struct {
				Description string `xml:"description"`
				Items       []struct {
					Title       string `xml:"title"`
					Description string `xml:"description"`
				} `xml:"item"`
			} `xml:"channel"`
		}
		d := xml.NewDecoder(strings.NewReader(body))
		d.Strict = true
		if err := d.Decode(&f); err != nil {
			t.Fatalf("%s is not well-formed XML: %v\n%s", path, err, body)
		}
		var htmls, texts []string
		for _, e := range f.Entries {
			if e.Summary.Type != "html" {
				t.Errorf("%s: summary of type %q", path, e.Summary.Type)
			}
			htmls, texts = append(htmls, e.Summary.Text), append(texts, e.Title)
		}
		// A channel's description is HTML to RSS readers too.
		checkFeedHTML(t, path, f.Channel.Description, strings.Contains(path, "?q="))
		for _, it := range f.Channel.Items {
			htmls, texts = append(htmls, it.Description), append(texts, it.Title)
		}
		if len(htmls) == 0 && !strings.Contains(path, "?q=") {
			t.Fatalf("%s: no items\n%s", path, body)
		}
		for _, h := range htmls {
			checkFeedHTML(t, path, h, true)
		}
		for _, tx := range texts {
			if !strings.Contains(tx, "<script>alert(1)</script>") {
				t.Errorf("%s: title %q lost the text it was given", path, tx)
			}
		}
	}
}

// checkFeedHTML parses h as an HTML fragment and fails on any element
// but feedElements, on any attribute, and, when hostileText, if the
// hostile text is not there as text.
func checkFeedHTML(t *testing.T, path, h string, hostileText bool) {
	t.Helper()
	body := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := html.ParseFragment(strings.NewReader(h), body)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var text strings.Builder
	var walk func(*html.Node)
	walk = func(x *html.Node) {
		switch x.Type {
		case html.ElementNode:
			if !feedElements[x.Data] || len(x.Attr) > 0 {
				t.Errorf("%s: item HTML has <%s %v>:\n%s", path, x.Data, x.Attr, h)
			}
		case html.TextNode:
			text.WriteString(x.Data)
		default:
			t.Errorf("%s: item HTML has a node of type %d (%q):\n%s", path, x.Type, x.Data, h)
		}
		for c := x.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, x := range nodes {
		walk(x)
	}
	if hostileText && !strings.Contains(text.String(), "<script>alert(1)</script>") {
		t.Errorf("%s: item text lost what it was given: %q", path, text.String())
	}
}
