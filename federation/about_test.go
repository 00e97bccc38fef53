package federation_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/federation"
)

// TestCoopActorAboutMarkdown: a co-op's About is Markdown, rendered into
// its actor's summary through the job description's Markdown and
// sanitiser: emphasis and links kept, script and event handlers dropped.
func TestCoopActorAboutMarkdown(t *testing.T) {
	g := newGoldenNode(t)
	about := "We write **free software**.\n\n- [Our code](https://gcoop.example/code)\n- <script>alert(1)</script><b onclick=x()>hi</b>"
	if _, err := g.svc.UpdateCoop(t.Context(), directory.Principal{Admin: true}, "gcoop", directory.CoopPatch{Summary: &about}); err != nil {
		t.Fatal(err)
	}
	status, _, body := g.get(t, "/coops/gcoop", federation.ContentTypeAS)
	if status != 200 {
		t.Fatalf("actor: %d", status)
	}
	var actor struct {
		Summary string `json:"summary"`
	}
	if err := json.Unmarshal(body, &actor); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<p>We write <strong>free software</strong>.</p><ul><li>`,
		`<a href="https://gcoop.example/code" rel="nofollow noopener" target="_blank">Our code</a>`} {
		if !strings.Contains(actor.Summary, want) {
			t.Errorf("summary lacks %s:\n%s", want, actor.Summary)
		}
	}
	for _, never := range []string{"<script", "alert", "onclick"} {
		if strings.Contains(actor.Summary, never) {
			t.Errorf("summary keeps %s:\n%s", never, actor.Summary)
		}
	}
}
