package directory_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/colmena-coop/colmena/directory"
)

func TestCanonicalSearch(t *testing.T) {
	canon := func(raw string) string {
		t.Helper()
		v, err := url.ParseQuery(raw)
		if err != nil {
			t.Fatal(err)
		}
		c, err := directory.CanonicalSearch(v, "USD")
		if err != nil {
			t.Fatalf("%s: %v", raw, err)
		}
		return c.Encode()
	}
	want := "live_in=AR&remote=remote&salary_currency=USD&salary_min=1500&skill=go"
	for _, raw := range []string{
		"remote=remote&skill=go&live_in=AR&salary_min=1500&salary_currency=USD",
		"skill=Go&skill=go&live_in=ar&remote=remote&salary_min=1500&sort=salary&limit=5&cursor=&page=2",
		"skill=golang&live_in=AR&remote=remote&salary_min=1500&salary_period=month&view_currency=USD&q=++",
		"skill=go&live_in=AR&remote=remote&salary_min=1500",
	} {
		if got := canon(raw); got != want {
			t.Errorf("%s: got %s, want %s", raw, got, want)
		}
	}
	for raw, want := range map[string]string{
		"":                                       "",
		"sort=newest&limit=20":                   "",
		"q=rust++embedded&country=es":            "country=ES&q=rust+embedded",
		"posted_within=168h":                     "posted_within=7d",
		"tz=America/Argentina/Cordoba&overlap=4": "overlap=4&tz=America%2FArgentina%2FCordoba",
		"salary_min=30000&salary_currency=eur&salary_period=year": "salary_currency=EUR&salary_min=30000&salary_period=year",
	} {
		if got := canon(raw); got != want {
			t.Errorf("%s: got %s, want %s", raw, got, want)
		}
	}
	for _, raw := range []string{"remote=sometimes", "live_in=XX", "salary_min=-3", "city=Rosario"} {
		v, _ := url.ParseQuery(raw)
		if _, err := directory.CanonicalSearch(v, "USD"); directory.KindOf(err) != directory.KindInvalid {
			t.Errorf("%s: got %v, want invalid", raw, err)
		}
	}
}

func TestSearchHandle(t *testing.T) {
	h := func(raw string) string {
		v, _ := url.ParseQuery(raw)
		c, err := directory.CanonicalSearch(v, "USD")
		if err != nil {
			t.Fatal(err)
		}
		return directory.SearchHandle(c)
	}
	for raw, want := range map[string]string{
		"remote=remote&skill=go&live_in=AR&salary_min=1500": "remote-go-ar",
		"":                          "all-jobs",
		"skill=go":                  "go-jobs",
		"skill=c%2B%2B&skill=c%23":  "csharp-cpp",
		"q=Programación&country=ES": "programacion-es",
	} {
		if got := h(raw); got != want {
			t.Errorf("%s: got %q, want %q", raw, got, want)
		}
	}
	long := h("skill=go&skill=rust&skill=python&skill=elixir&skill=kubernetes&skill=postgresql")
	if len(long) > 40 || !strings.HasPrefix(long, "elixir-go-kubernetes-postgresql-") || long != h("skill=postgresql&skill=go&skill=rust&skill=python&skill=elixir&skill=kubernetes") {
		t.Errorf("long handle %q", long)
	}
	if a, b := directory.HandleWithHash("go-jobs", "skill=go"), directory.HandleWithHash("go-jobs", "skill=go&remote=remote"); a == b || !strings.HasPrefix(a, "go-jobs-") {
		t.Errorf("hashed handles %q %q", a, b)
	}
}
