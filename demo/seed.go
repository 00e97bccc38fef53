// Package demo makes the fictional but realistic data of Colmena's
// demonstration: three federations of tech worker co-operatives sized like
// the real ones they stand for. SoberaniaX is Argentine (about 35 co-ops
// of 26 workers on average, Spanish first), EthiX British (about 40 co-ops
// of 8 or 9 workers), Astrateq worldwide (about 65 co-ops in some 20
// countries, 800 workers, a few of them co-ops hosted by the other two).
// The data is the same on every run.
package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

// Federation is one demo federation: who it is and what it holds.
type Federation struct {
	Name, Handle, Summary string
	Languages             []string
	// Currency is the node's own: pay is shown in it by default.
	Currency string
	Coops    []Coop
	// Guests are co-ops of the other demo federations that are members of
	// this one too, as handle and the federation handle hosting them.
	Guests []Guest
}

// Guest names a co-op hosted by another demo node.
type Guest struct {
	Coop, Host string // co-op handle; handle of the federation hosting it
}

// Coop is a co-op with the jobs it publishes.
type Coop struct {
	directory.Coop
	Jobs []directory.Job
}

// Workers sums the worker-members of the federation's own co-ops.
func (f *Federation) Workers() int {
	n := 0
	for _, c := range f.Coops {
		n += c.Workers
	}
	return n
}

// JobCount counts the jobs of the federation's own co-ops.
func (f *Federation) JobCount() int {
	n := 0
	for _, c := range f.Coops {
		n += len(c.Jobs)
	}
	return n
}

// Federations returns the three federations. scale (0 < scale ≤ 1)
// shrinks the number of co-ops, for tests; 1 is the real size.
func Federations(scale float64) []Federation {
	if scale <= 0 || scale > 1 {
		scale = 1
	}
	n := func(full int) int { return max(3, int(float64(full)*scale+0.5)) }
	sob := build("soberaniax", soberaniax, n(35))
	eth := build("ethix", ethix, n(40))
	ast := build("astrateq", astrateq, n(57))
	sob.Currency, eth.Currency, ast.Currency = "ARS", "GBP", "USD"
	// Astrateq also counts co-ops hosted by the other two among its
	// members, as the worldwide federation does.
	guests := max(1, n(4)*1)
	for i := 0; i < guests && i < len(sob.Coops); i++ {
		ast.Guests = append(ast.Guests, Guest{Coop: sob.Coops[i*len(sob.Coops)/guests].Handle, Host: "soberaniax"})
	}
	for i := 0; i < guests && i < len(eth.Coops); i++ {
		ast.Guests = append(ast.Guests, Guest{Coop: eth.Coops[i*len(eth.Coops)/guests].Handle, Host: "ethix"})
	}
	return []Federation{sob, eth, ast}
}

// profile is what shapes one federation's data.
type profile struct {
	name, summary string
	languages     []string
	// places are the countries its co-ops are in, with cities, weighted by
	// repetition.
	places []place
	// names are the words co-op names are made of; suffixes by country.
	names    []string
	suffixes map[string][]string
	// workers draws a co-op's size.
	minWorkers, maxWorkers int
	// jobsPerCoop bounds how many openings a co-op has.
	jobsPerCoop int
}

type place struct {
	country  string
	cities   []string
	language string
	// currencies salaries are paid in, with the period.
	pay []pay
}

type pay struct {
	currency string
	period   string
	min, max int64 // the range a salary's minimum is drawn from
}

func build(handle string, p profile, coops int) Federation {
	r := rand.New(rand.NewPCG(uint64(len(handle)), uint64(handle[0])))
	// facts draws the jobs' facts (facts.go) apart from the rest.
	facts := rand.New(rand.NewPCG(uint64(len(handle)), uint64(handle[0])+1))
	f := Federation{Name: p.name, Handle: handle, Summary: p.summary, Languages: p.languages}
	used := map[string]bool{}
	for i := 0; i < coops; i++ {
		pl := p.places[i%len(p.places)]
		word := p.names[i%len(p.names)]
		suffixes := p.suffixes[pl.country]
		if suffixes == nil {
			suffixes = p.suffixes[""]
		}
		name := strings.TrimSpace(word + " " + suffixes[r.IntN(len(suffixes))])
		h := handleOf(word)
		for k := 2; used[h]; k++ {
			h = fmt.Sprintf("%s%d", handleOf(word), k)
		}
		used[h] = true
		// Sizes spread around the federation's average.
		workers := p.minWorkers + r.IntN(p.maxWorkers-p.minWorkers+1)
		skills := pick(r, skillSets[r.IntN(len(skillSets))], 3+r.IntN(3))
		langs := []string{pl.language}
		if pl.language != "en" && r.IntN(2) == 0 {
			langs = append(langs, "en")
		}
		city := pl.cities[r.IntN(len(pl.cities))]
		c := Coop{Coop: directory.Coop{
			Handle: h, Name: name, Country: pl.country, City: city, Workers: workers,
			Founded:   1995 + r.IntN(30),
			Website:   "https://" + strings.ReplaceAll(h, "_", "-") + ".coop.example",
			Email:     "hola@" + strings.ReplaceAll(h, "_", "-") + ".coop.example",
			Languages: langs, Skills: skills,
			Summary:    summary(r, pl.language, name, city, skills),
			Governance: governance[pl.language],
		}}
		for j := 0; j < r.IntN(p.jobsPerCoop+1); j++ {
			c.Jobs = append(c.Jobs, job(r, pl, &c.Coop))
		}
		// Co-ops abroad hire Go developers in Argentina, paying dollars
		// or their own pounds or euros: the search the demo suggests spans
		// federations and currencies.
		if pl.country != "AR" && i%12 == 4 {
			titles := []string{"Remote Go developer (Argentina)", "Go backend engineer, remote from Argentina",
				"Senior Go developer (remote, Argentina)", "Go and PostgreSQL developer, remote"}
			c.Jobs = append(c.Jobs, directory.Job{Title: titles[(i/12)%len(titles)],
				Description: fmt.Sprintf(descriptions["en"], "Go, PostgreSQL"), Skills: []string{"go", "postgresql"},
				Remote: directory.RemoteFull, Country: "AR", EmploymentType: directory.Contract, Languages: []string{"en", "es"},
				Salary:     hireInArgentina(2500+100*int64(i%10), 3200+100*int64(i%10), pl.pay[0]),
				ApplyEmail: "jobs@" + c.Email[strings.Index(c.Email, "@")+1:]})
		}
		for k := range c.Jobs {
			addFacts(facts, &c.Jobs[k], pl.country, pl.pay[0].currency)
		}
		f.Coops = append(f.Coops, c)
	}
	return f
}

// handleOf turns a name word into a handle: lower case, ASCII, underscores.
func handleOf(word string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(word) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '-':
			b.WriteRune('_')
		default:
			if a, ok := ascii[r]; ok {
				b.WriteRune(a)
			}
		}
	}
	h := b.String()
	if len(h) > 30 {
		h = h[:30]
	}
	return h
}

var ascii = map[rune]rune{'á': 'a', 'é': 'e', 'í': 'i', 'ó': 'o', 'ú': 'u', 'ñ': 'n', 'ü': 'u', 'ã': 'a', 'õ': 'o',
	'ç': 'c', 'â': 'a', 'ê': 'e', 'ô': 'o', 'à': 'a', 'è': 'e', 'ö': 'o', 'ä': 'a', 'ß': 's', 'ø': 'o', 'å': 'a', 'ł': 'l'}

func pick(r *rand.Rand, from []string, n int) []string {
	idx := r.Perm(len(from))
	out := make([]string, 0, n)
	for _, i := range idx[:min(n, len(from))] {
		out = append(out, from[i])
	}
	return out
}

func summary(r *rand.Rand, lang, name, city string, skills []string) string {
	list := strings.Join(skills, ", ")
	switch lang {
	case "es":
		return []string{
			fmt.Sprintf("%s es una cooperativa de trabajo de %s: desarrollamos software libre a medida (%s) para organizaciones sociales, pymes y clientes del exterior.", name, city, list),
			fmt.Sprintf("Somos una cooperativa de %s. Las decisiones se toman en asamblea y el excedente se reparte entre quienes trabajamos. Especialidades: %s.", city, list),
		}[r.IntN(2)]
	case "pt":
		return fmt.Sprintf("%s é uma cooperativa de trabalho de %s que desenvolve software livre (%s).", name, city, list)
	default:
		return []string{
			fmt.Sprintf("%s is a worker-owned tech co-op in %s. We build and run software for charities, unions and the public sector (%s).", name, city, list),
			fmt.Sprintf("A worker co-operative from %s: every member owns the business and has an equal vote. We work in %s.", city, list),
		}[r.IntN(2)]
	}
}

var governance = map[string]string{
	"es": "Asamblea mensual; consejo de administración rotativo",
	"en": "One member, one vote; monthly general meeting",
	"pt": "Assembleia geral mensal",
	"de": "Generalversammlung, ein Mitglied eine Stimme",
	"fr": "Une personne, une voix ; assemblée générale mensuelle",
	"it": "Assemblea dei soci; una testa, un voto",
	"nl": "Ledenvergadering, één lid één stem",
	"sv": "Föreningsstämma, en medlem en röst",
	"pl": "Walne zgromadzenie, jeden członek jeden głos",
}

// skillSets group skills a co-op would offer together.
var skillSets = [][]string{
	{"go", "postgresql", "kubernetes", "linux", "grpc", "devops"},
	{"python", "django", "postgresql", "data", "react", "celery"},
	{"javascript", "typescript", "react", "node.js", "ux", "design"},
	{"elixir", "phoenix", "postgresql", "erlang", "liveview"},
	{"rust", "c++", "embedded", "linux", "go"},
	{"php", "laravel", "wordpress", "drupal", "javascript"},
	{"java", "kotlin", "android", "spring", "postgresql"},
	{"ruby", "rails", "postgresql", "javascript", "devops"},
	{"swift", "ios", "kotlin", "android", "ux"},
	{"data", "python", "machine-learning", "sql", "dbt"},
	{"devops", "terraform", "kubernetes", "security", "linux", "go"},
}

// roles are job titles for a main skill, by language.
var roles = map[string]map[string][]string{
	"es": {"": {"Desarrolladora %s", "Desarrollador/a %s backend", "Programador/a %s semi-senior", "Referente técnico %s"}},
	"pt": {"": {"Desenvolvedora %s", "Pessoa desenvolvedora %s pleno"}},
	"en": {"": {"%s developer", "Senior %s engineer", "%s backend developer", "Junior %s developer", "Lead %s engineer"}},
	"de": {"": {"%s-Entwickler:in", "Senior %s Engineer"}},
	"fr": {"": {"Développeur·se %s", "Ingénieur·e %s"}},
	"it": {"": {"Sviluppatrice/tore %s"}},
	"nl": {"": {"%s-ontwikkelaar"}},
	"sv": {"": {"%s-utvecklare"}},
	"pl": {"": {"Programista/ka %s"}},
}

var internTitle = map[string]string{
	"es": "Pasantía %s", "pt": "Estágio %s", "en": "%s intern", "de": "Praktikum %s", "fr": "Stage %s",
	"it": "Tirocinio %s", "nl": "Stage %s", "sv": "Praktik %s", "pl": "Staż %s",
}

var descriptions = map[string]string{
	"es": "Sumate a una cooperativa donde cada persona es socia y tiene voto. Trabajamos con %s en proyectos de largo plazo, con horarios flexibles y retiros equitativos. Buscamos alguien con ganas de aprender y de participar en la gestión de la cooperativa.",
	"pt": "Venha para uma cooperativa onde cada pessoa é sócia e tem voto. Trabalhamos com %s em projetos de longo prazo.",
	"en": "Join a co-op where every worker is a member with an equal say. You will work with %s on long-running projects for organisations we believe in, with flexible hours and equal pay. No ninjas or rockstars: kind colleagues who share the work of running the business.",
	"de": "Werde Teil einer Genossenschaft, in der alle Mitglieder mitbestimmen. Wir arbeiten mit %s an langfristigen Projekten.",
	"fr": "Rejoignez une coopérative où chaque salarié·e est associé·e. Nous travaillons avec %s sur des projets au long cours.",
	"it": "Entra in una cooperativa dove ogni socia e socio ha voce. Lavoriamo con %s su progetti di lunga durata.",
	"nl": "Word lid van een coöperatie waarin iedereen meebeslist. We werken met %s aan langlopende projecten.",
	"sv": "Bli medlem i ett kooperativ där alla har en röst. Vi arbetar med %s i långsiktiga projekt.",
	"pl": "Dołącz do spółdzielni, w której każdy ma głos. Pracujemy z %s przy długoterminowych projektach.",
}

var skillTitle = map[string]string{
	"go": "Go", "python": "Python", "rust": "Rust", "elixir": "Elixir", "javascript": "JavaScript", "typescript": "TypeScript",
	"react": "React", "django": "Django", "php": "PHP", "laravel": "Laravel", "java": "Java", "kotlin": "Kotlin",
	"android": "Android", "ios": "iOS", "swift": "Swift", "devops": "DevOps", "kubernetes": "Kubernetes", "terraform": "Terraform",
	"postgresql": "PostgreSQL", "data": "Data", "machine-learning": "ML", "ux": "UX", "design": "UX/UI", "security": "Security",
	"linux": "Linux", "c++": "C++", "embedded": "Embedded", "ruby": "Ruby", "rails": "Rails", "node.js": "Node.js",
	"phoenix": "Phoenix", "erlang": "Erlang", "liveview": "LiveView", "wordpress": "WordPress", "drupal": "Drupal",
	"spring": "Spring", "celery": "Celery", "grpc": "gRPC", "sql": "SQL", "dbt": "dbt",
}

func job(r *rand.Rand, pl place, c *directory.Coop) directory.Job {
	skills := pick(r, c.Skills, 1+r.IntN(min(3, len(c.Skills))))
	main := skillTitle[skills[0]]
	if main == "" {
		main = skills[0]
	}
	lang := pl.language
	if r.IntN(4) == 0 {
		lang = "en"
	}
	titles := roles[lang][""]
	etype := []string{directory.FullTime, directory.FullTime, directory.FullTime, directory.PartTime,
		directory.Contract, directory.Internship}[r.IntN(6)]
	title := fmt.Sprintf(titles[r.IntN(len(titles))], main)
	if etype == directory.Internship {
		title = fmt.Sprintf(internTitle[lang], main)
	}
	j := directory.Job{
		Title:       title,
		Description: fmt.Sprintf(descriptions[lang], strings.Join(skills, ", ")),
		Skills:      skills,
		Remote:      []string{directory.RemoteFull, directory.RemoteFull, directory.RemoteHybrid, directory.RemoteOnsite}[r.IntN(4)],
		Country:     pl.country, City: c.City,
		EmploymentType: etype,
		Languages:      []string{lang},
		ApplyEmail:     "jobs@" + c.Email[strings.Index(c.Email, "@")+1:],
	}
	if lang != pl.language {
		j.Languages = append(j.Languages, pl.language)
	}
	if j.Remote == directory.RemoteFull {
		j.City = ""
		if r.IntN(4) == 0 {
			j.Country = "" // from anywhere
		}
	}
	// Co-ops abroad hire remotely in Argentina too, paying in dollars.
	hireAR := j.Remote == directory.RemoteFull && pl.country != "AR" && r.IntN(4) == 0
	if hireAR {
		j.Country = "AR"
	}
	if hireAR {
		lo := 2000 + 100*r.Int64N(21)
		j.Salary = &directory.Salary{Min: lo, Max: lo + 500, Currency: "USD", Period: directory.PerMonth}
	} else if r.IntN(5) > 0 {
		p := pl.pay[r.IntN(len(pl.pay))]
		lo := p.min + r.Int64N(p.max-p.min+1)
		lo -= lo % roundTo(lo)
		j.Salary = &directory.Salary{Min: lo, Max: lo + lo/5 - (lo/5)%roundTo(lo), Currency: p.currency, Period: p.period}
	}
	return j
}

// hireInArgentina is the pay of a co-op abroad hiring in Argentina, lo to
// hi US dollars a month: in dollars, or in the co-op's own pounds, euros
// or reais and period when it pays in those, at the demo's rates.
func hireInArgentina(lo, hi int64, own pay) *directory.Salary {
	s := &directory.Salary{Min: lo, Max: hi, Currency: "USD", Period: directory.PerMonth}
	rates := Rates()
	rate, ok := rates.Rate(own.currency)
	if !ok || own.currency == "USD" && own.period == directory.PerMonth ||
		own.currency != "USD" && own.currency != "GBP" && own.currency != "EUR" && own.currency != "BRL" {
		return s
	}
	in := func(usd int64) int64 {
		v := float64(usd) * rate
		switch own.period {
		case directory.PerYear:
			v *= 12
		case directory.PerHour:
			v = v * 12 / (40 * 52)
		}
		n := int64(v)
		return n - n%roundTo(n)
	}
	return &directory.Salary{Min: in(lo), Max: in(hi), Currency: own.currency, Period: own.period}
}

func roundTo(v int64) int64 {
	switch {
	case v >= 1_000_000:
		return 50_000
	case v >= 10_000:
		return 1_000
	case v >= 1_000:
		return 100
	default:
		return 1
	}
}

// Seed stores a federation's co-ops and jobs through the service, with
// publication dates spread over the last four weeks. now is the service's
// clock, which Seed moves forward job by job.
func Seed(ctx context.Context, svc *directory.Service, f *Federation, clock *Clock) error {
	admin := directory.Principal{Admin: true}
	for _, c := range f.Coops {
		if _, err := svc.CreateCoop(ctx, admin, c.Coop); err != nil {
			return fmt.Errorf("co-op %s: %w", c.Handle, err)
		}
	}
	// Jobs interleave across co-ops so that the newest are not all one
	// co-op's.
	total := f.JobCount()
	step := 28 * 24 * time.Hour / time.Duration(max(total, 1))
	for k := 0; ; k++ {
		any := false
		for _, c := range f.Coops {
			if k < len(c.Jobs) {
				any = true
				clock.Advance(step)
				j := c.Jobs[k]
				j.ValidThrough = clock.Now().Add(60 * 24 * time.Hour)
				if _, err := svc.CreateJob(ctx, admin, c.Handle, j); err != nil {
					return fmt.Errorf("job %q of %s: %w", j.Title, c.Handle, err)
				}
			}
		}
		if !any {
			return nil
		}
	}
}

// Clock is a clock that seeding moves forward.
type Clock struct{ t time.Time }

// NewClock starts a clock at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now tells the time.
func (c *Clock) Now() time.Time { return c.t }

// Advance moves the clock on.
func (c *Clock) Advance(d time.Duration) { c.t = c.t.Add(d) }
