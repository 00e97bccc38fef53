package directory

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// TestCleanRemoteCoop: a co-op from another server is held to the rules
// of local ones: text storable and within limits, optional fields that
// break their rule cleared, a handle that is not a username refused.
func TestCleanRemoteCoop(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	c := &Coop{APID: "https://evil.example/coops/gcoop", Handle: "gcoop", Host: "evil.example",
		Name: "Evil\x00 Coop\xff", Summary: strings.Repeat("ж", MaxSummary+50) + "\x00", City: " Ro\x00sario ",
		Governance: "one worker,\x00 one vote", Country: "ZZ", Founded: 1200, Workers: 0,
		Website: "javascript:alert(1)", Email: "javascript:alert(1)@x.example", URL: "javascript://evil.example/%0aalert(1)",
		Skills: []string{"Go", "<script>", "x\x00y", "go", "rust"}, Languages: []string{"es", "not a language!", "EN-gb"}}
	if err := CleanRemoteCoop(c, now); err != nil {
		t.Fatal(err)
	}
	if err := checkText("summary", c.Summary, MaxSummary, false); err != nil || utf8.RuneCountInString(c.Summary) != MaxSummary {
		t.Errorf("summary: %d characters, %v", utf8.RuneCountInString(c.Summary), err)
	}
	got := []any{c.Name, c.City, c.Governance, c.Country, c.Founded, c.Workers, c.Website, c.Email, c.URL,
		strings.Join(c.Skills, ","), strings.Join(c.Languages, ",")}
	want := []any{"Evil Coop", "Rosario", "one worker, one vote", "", 0, 1, "", "", c.APID, "go,rust", "es,en-GB"}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("field %d: got %q, want %q", i, got[i], want[i])
		}
	}
	// Good values stay as they are.
	ok := &Coop{APID: "https://ethix.example/coops/tacuara", Handle: "Tacuara.Coop", Name: "", Country: "ar", Founded: 2004,
		Workers: 12, Website: "https://tacuara.example", Email: "hola@tacuara.example", URL: "https://ethix.example/@tacuara"}
	if err := CleanRemoteCoop(ok, now); err != nil {
		t.Fatal(err)
	}
	if ok.Name != "Tacuara.Coop" || ok.Country != "AR" || ok.Founded != 2004 || ok.Workers != 12 ||
		ok.Website != "https://tacuara.example" || ok.Email != "hola@tacuara.example" || ok.URL != "https://ethix.example/@tacuara" {
		t.Errorf("a good co-op changed: %+v", ok)
	}
	for _, h := range []string{"", "gcoop@soberaniax.example", "g coop", "../gcoop", "g\x00coop", ".gcoop", "gcoop-",
		"<b>", strings.Repeat("a", MaxRemoteHandle+1)} {
		c := &Coop{APID: "https://evil.example/u", Handle: h, Name: "x", Workers: 1}
		if err := CleanRemoteCoop(c, now); KindOf(err) != KindInvalid {
			t.Errorf("handle %q: %v", h, err)
		}
	}
}

// TestCleanRemoteJob: a job from another server is held to the rules of
// local ones; what is optional is cleared, a job without what is
// required is refused.
func TestCleanRemoteJob(t *testing.T) {
	base := func() *Job {
		return &Job{APID: "https://ethix.example/jobs/1", Title: "Go\x00 developer", Description: strings.Repeat("d", MaxDescription+10),
			Remote: RemoteFull, EmploymentType: FullTime, City: "Ro\x00sario", Country: "XX",
			ApplyURL: "javascript:alert(1)", ApplyEmail: "not an address", Skills: []string{"go", "<b>"},
			Salary: &Salary{Min: 10, Max: 5, Currency: "GBP", Period: PerYear}}
	}
	j := base()
	if err := CleanRemoteJob(j); err != nil {
		t.Fatal(err)
	}
	if j.Title != "Go developer" || utf8.RuneCountInString(j.Description) != MaxDescription || j.City != "Rosario" ||
		j.Country != "" || j.Salary != nil || j.ApplyURL != j.APID || j.ApplyEmail != "" || strings.Join(j.Skills, ",") != "go" {
		t.Errorf("cleaned job: %+v", j)
	}
	for name, spoil := range map[string]func(*Job){
		"no title":            func(j *Job) { j.Title = "\x00 " },
		"no description":      func(j *Job) { j.Description = "" },
		"unknown remote mode": func(j *Job) { j.Remote = "moon" },
		"onsite, no country":  func(j *Job) { j.Remote = RemoteOnsite },
		"unknown employment":  func(j *Job) { j.EmploymentType = "slavery" },
	} {
		j := base()
		spoil(j)
		if err := CleanRemoteJob(j); KindOf(err) != KindInvalid {
			t.Errorf("%s: %v", name, err)
		}
	}
}
