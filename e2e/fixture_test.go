package e2e

import (
	"slices"
	"testing"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/internal/nodetest"
	"github.com/colmena-coop/colmena/internal/teststore"
)

// xssSummary is a remote co-op's summary that must render inert.
const xssSummary = `Hello <script>window.__xss=1</script><img src=x onerror="window.__xss=2">`

// federations is three nodes on SQLite, each the home of one federation,
// with SoberaniaX following the other two and holding all their co-ops and
// jobs, and what was seeded on each.
type federations struct {
	SoberaniaX, EthiX, Astrateq *nodetest.Node

	// Coops lists the handles of the co-ops seeded on each node, keyed by
	// the node's federation handle.
	Coops map[string][]string
	// Jobs counts the jobs seeded on each node, keyed by federation handle.
	Jobs map[string]int
	// TotalCoops and TotalJobs count what was seeded on all three nodes,
	// which is what SoberaniaX lists.
	TotalCoops, TotalJobs int
	// GoRemoteAR holds the titles of the jobs that skill=go, remote=remote
	// and country=AR select, sorted; they come from SoberaniaX and EthiX.
	GoRemoteAR []string
	// XSSCoop is the handle, on EthiX, of the co-op whose summary is
	// xssSummary.
	XSSCoop string
}

// Nodes returns the three nodes, the aggregator first.
func (f *federations) Nodes() []*nodetest.Node {
	return []*nodetest.Node{f.SoberaniaX, f.EthiX, f.Astrateq}
}

// seedCoop is a co-op with the jobs it publishes.
type seedCoop struct {
	coop directory.Coop
	jobs []directory.Job
}

func salary(lo, hi int64, currency, period string) *directory.Salary {
	return &directory.Salary{Min: lo, Max: hi, Currency: currency, Period: period}
}

func soberaniaxSeed() []seedCoop {
	return []seedCoop{
		{directory.Coop{Handle: "hornero", Name: "Hornero Cooperativa de Software", Country: "AR", City: "Rosario",
			Founded: 2009, Workers: 31, Website: "https://hornero.example", Email: "hola@hornero.example",
			Languages: []string{"es"}, Skills: []string{"go", "postgresql", "kubernetes"},
			Summary: "Cooperativa de trabajo que desarrolla sistemas de gestión para el sector público y la economía social."},
			[]directory.Job{
				{Title: "Desarrolladora Go backend", Description: "APIs en **Go** sobre PostgreSQL para sistemas de gestión municipal.",
					Skills: []string{"go", "postgresql"}, Remote: directory.RemoteFull, Country: "AR", EmploymentType: directory.FullTime,
					Salary: salary(1_800_000, 2_400_000, "ARS", directory.PerMonth), Languages: []string{"es"}, ApplyEmail: "trabajo@hornero.example"},
				{Title: "Ingeniero SRE", Description: "Operar clústeres Kubernetes propios y escribir herramientas en Go.",
					Skills: []string{"go", "kubernetes", "terraform"}, Remote: directory.RemoteHybrid, Country: "AR", City: "Rosario",
					EmploymentType: directory.FullTime, Salary: salary(2500, 3200, "USD", directory.PerMonth), Languages: []string{"es"},
					ApplyURL: "https://hornero.example/trabajo/sre"},
			}},
		{directory.Coop{Handle: "tacuara", Name: "Tacuara Tecnología Cooperativa", Country: "AR", City: "Córdoba",
			Founded: 2015, Workers: 14, Website: "https://tacuara.example", Languages: []string{"es", "en"},
			Skills: []string{"go", "rust", "embedded"}, Summary: "Software embebido y pasarelas de pago, con decisiones en asamblea."},
			[]directory.Job{
				{Title: "Go developer for payment APIs", Description: "Build and run payment gateway APIs in Go for co-operative banks.",
					Skills: []string{"go", "grpc"}, Remote: directory.RemoteFull, Country: "AR", EmploymentType: directory.Contract,
					Salary: salary(3000, 4000, "USD", directory.PerMonth), Languages: []string{"es", "en"}, ApplyEmail: "jobs@tacuara.example"},
				{Title: "Programador Rust embebido", Description: "Firmware en Rust para medidores de energía comunitarios.",
					Skills: []string{"rust", "embedded"}, Remote: directory.RemoteOnsite, Country: "AR", City: "Córdoba",
					EmploymentType: directory.FullTime, Salary: salary(1_500_000, 2_000_000, "ARS", directory.PerMonth),
					Languages: []string{"es"}, ApplyEmail: "jobs@tacuara.example"},
			}},
		{directory.Coop{Handle: "yerba_digital", Name: "Yerba Digital Cooperativa", Country: "AR", City: "Buenos Aires",
			Founded: 2012, Workers: 22, Website: "https://yerbadigital.example", Languages: []string{"es"},
			Skills: []string{"python", "django", "elixir"}, Summary: "Plataformas web para cooperativas agrarias y mutuales."},
			[]directory.Job{
				{Title: "Desarrollador Elixir (Phoenix)", Description: "Mantener una plataforma de comercio justo escrita en Elixir y Phoenix.",
					Skills: []string{"elixir", "phoenix"}, Remote: directory.RemoteFull, Country: "AR", EmploymentType: directory.PartTime,
					Salary: salary(1200, 1600, "USD", directory.PerMonth), Languages: []string{"es"}, ApplyEmail: "equipo@yerbadigital.example"},
				{Title: "Ingeniera de datos Python", Description: "Pipelines de datos en Python para cooperativas agrarias.",
					Skills: []string{"python", "airflow"}, Remote: directory.RemoteHybrid, Country: "AR", City: "Buenos Aires",
					EmploymentType: directory.FullTime, Salary: salary(1_700_000, 2_100_000, "ARS", directory.PerMonth),
					Languages: []string{"es"}, ApplyEmail: "equipo@yerbadigital.example"},
			}},
		{directory.Coop{Handle: "ceibo_datos", Name: "Ceibo Datos Cooperativa", Country: "AR", City: "Mendoza",
			Founded: 2019, Workers: 7, Website: "https://ceibodatos.example", Languages: []string{"es"},
			Skills: []string{"python", "sql", "go"}, Summary: "Análisis de datos abiertos para organizaciones sociales."},
			[]directory.Job{
				{Title: "Analista de datos Python", Description: "Tableros e informes con Python y SQL para organizaciones sociales.",
					Skills: []string{"python", "sql"}, Remote: directory.RemoteOnsite, Country: "AR", City: "Mendoza",
					EmploymentType: directory.PartTime, Salary: salary(900_000, 1_100_000, "ARS", directory.PerMonth),
					Languages: []string{"es"}, ApplyEmail: "hola@ceibodatos.example"},
				{Title: "Go CLI tooling contributor", Description: "Command-line tools in Go for open-data publishing, for a client in Uruguay.",
					Skills: []string{"go"}, Remote: directory.RemoteFull, Country: "UY", EmploymentType: directory.Contract,
					Salary: salary(20, 30, "USD", directory.PerHour), Languages: []string{"es", "en"}, ApplyEmail: "hola@ceibodatos.example"},
			}},
	}
}

func ethixSeed() []seedCoop {
	return []seedCoop{
		{directory.Coop{Handle: "ironbridge", Name: "Ironbridge Works Co-operative", Country: "GB", City: "Manchester",
			Founded: 2011, Workers: 18, Website: "https://ironbridge.example", Languages: []string{"en"},
			Skills: []string{"go", "rust", "python"}, Summary: "Worker-owned consultancy building infrastructure for charities."},
			[]directory.Job{
				{Title: "Senior Go engineer (remote from Argentina)", Description: "Join our Latin American team building Go services for UK charities.",
					Skills: []string{"go", "postgresql"}, Remote: directory.RemoteFull, Country: "AR", EmploymentType: directory.Contract,
					Salary: salary(3500, 4500, "USD", directory.PerMonth), Languages: []string{"en", "es"}, ApplyURL: "https://ironbridge.example/jobs/go"},
				{Title: "Rust platform engineer", Description: "Own our Rust build and deploy platform.",
					Skills: []string{"rust", "linux"}, Remote: directory.RemoteHybrid, Country: "GB", City: "Manchester",
					EmploymentType: directory.FullTime, Salary: salary(52000, 60000, "GBP", directory.PerYear),
					Languages: []string{"en"}, ApplyURL: "https://ironbridge.example/jobs/rust"},
			}},
		{directory.Coop{Handle: "tidewater", Name: "Tidewater Digital Co-op", Country: "GB", City: "Bristol",
			Founded: 2016, Workers: 9, Website: "https://tidewater.example", Languages: []string{"en"},
			Skills: []string{"elixir", "phoenix"}, Summary: "Realtime web apps for housing co-operatives."},
			[]directory.Job{
				{Title: "Elixir developer", Description: "LiveView apps for tenants' unions.",
					Skills: []string{"elixir", "phoenix"}, Remote: directory.RemoteFull, Country: "GB", EmploymentType: directory.PartTime,
					Salary: salary(28000, 32000, "GBP", directory.PerYear), Languages: []string{"en"}, ApplyEmail: "jobs@tidewater.example"},
			}},
		{directory.Coop{Handle: "larkspur", Name: "Larkspur Collective", Country: "GB", City: "Leeds",
			Founded: 2018, Workers: 6, Website: "https://larkspur.example", Languages: []string{"en"},
			Skills: []string{"python", "django"}, Summary: "Django sites for community energy schemes."},
			[]directory.Job{
				{Title: "Python developer", Description: "Django and PostgreSQL for community energy schemes.",
					Skills: []string{"python", "django"}, Remote: directory.RemoteOnsite, Country: "GB", City: "Leeds",
					EmploymentType: directory.FullTime, Salary: salary(40000, 46000, "GBP", directory.PerYear),
					Languages: []string{"en"}, ApplyEmail: "hello@larkspur.example"},
			}},
		{directory.Coop{Handle: "thistle_forge", Name: "Thistle Forge Co-op", Country: "GB", City: "Glasgow",
			Founded: 2020, Workers: 5, Website: "https://thistleforge.example", Languages: []string{"en"},
			Skills: []string{"go"}, Summary: xssSummary},
			[]directory.Job{
				{Title: "Go developer", Description: "Go services for Scottish credit unions.",
					Skills: []string{"go"}, Remote: directory.RemoteHybrid, Country: "GB", City: "Glasgow",
					EmploymentType: directory.FullTime, Salary: salary(45000, 50000, "GBP", directory.PerYear),
					Languages: []string{"en"}, ApplyEmail: "work@thistleforge.example"},
			}},
	}
}

func astrateqSeed() []seedCoop {
	return []seedCoop{
		{directory.Coop{Handle: "mandragora", Name: "Mandrágora Cooperativa Tecnológica", Country: "ES", City: "Barcelona",
			Founded: 2013, Workers: 16, Website: "https://mandragora.example", Languages: []string{"es", "en"},
			Skills: []string{"elixir", "go"}, Summary: "Cooperativa de trabajo asociado: software libre para la economía social y solidaria."},
			[]directory.Job{
				{Title: "Desarrolladora Elixir", Description: "Plataforma de mercado social en Elixir.",
					Skills: []string{"elixir"}, Remote: directory.RemoteHybrid, Country: "ES", City: "Barcelona",
					EmploymentType: directory.FullTime, Salary: salary(32000, 38000, "EUR", directory.PerYear),
					Languages: []string{"es"}, ApplyEmail: "feina@mandragora.example"},
				{Title: "Go backend developer (remote, Spain)", Description: "Backend in Go for a federated booking system.",
					Skills: []string{"go"}, Remote: directory.RemoteFull, Country: "ES", EmploymentType: directory.Contract,
					Salary: salary(35, 45, "EUR", directory.PerHour), Languages: []string{"es", "en"}, ApplyEmail: "feina@mandragora.example"},
			}},
		{directory.Coop{Handle: "kiezcode", Name: "Kiezcode eG", Country: "DE", City: "Berlin",
			Founded: 2017, Workers: 11, Website: "https://kiezcode.example", Languages: []string{"en"},
			Skills: []string{"rust", "go"}, Summary: "Genossenschaft for privacy-respecting infrastructure."},
			[]directory.Job{
				{Title: "Rust systems engineer", Description: "Storage engine work in Rust.",
					Skills: []string{"rust"}, Remote: directory.RemoteOnsite, Country: "DE", City: "Berlin",
					EmploymentType: directory.FullTime, Salary: salary(60000, 70000, "EUR", directory.PerYear),
					Languages: []string{"en"}, ApplyURL: "https://kiezcode.example/jobs/rust"},
				{Title: "Go developer, part-time", Description: "Maintain our Go monitoring agents.",
					Skills: []string{"go", "prometheus"}, Remote: directory.RemoteFull, Country: "DE", EmploymentType: directory.PartTime,
					Salary: salary(2200, 2600, "EUR", directory.PerMonth), Languages: []string{"en"}, ApplyURL: "https://kiezcode.example/jobs/go"},
			}},
		{directory.Coop{Handle: "mutirao", Name: "Mutirão Software Cooperativa", Country: "BR", City: "Porto Alegre",
			Founded: 2014, Workers: 20, Website: "https://mutirao.example", Languages: []string{"en", "es"},
			Skills: []string{"python", "go"}, Summary: "Software cooperative serving solidarity-economy networks across Brazil."},
			[]directory.Job{
				{Title: "Python developer (remote, Brazil)", Description: "Django apps for solidarity-economy networks.",
					Skills: []string{"python", "django"}, Remote: directory.RemoteFull, Country: "BR", EmploymentType: directory.Contract,
					Salary: salary(2000, 2800, "USD", directory.PerMonth), Languages: []string{"en"}, ApplyEmail: "vagas@mutirao.example"},
			}},
	}
}

// seed publishes the co-ops and their jobs on n and returns the co-ops'
// handles, how many jobs there were, and the titles of those jobs that
// skill=go, remote=remote and country=AR select.
func seed(t testing.TB, n *nodetest.Node, coops []seedCoop) (handles []string, jobs int, goRemoteAR []string) {
	t.Helper()
	for _, sc := range coops {
		n.Coop(t, sc.coop)
		handles = append(handles, sc.coop.Handle)
		for _, j := range sc.jobs {
			n.Job(t, sc.coop.Handle, j)
			jobs++
			if slices.Contains(j.Skills, "go") && j.Remote == directory.RemoteFull && j.Country == "AR" {
				goRemoteAR = append(goRemoteAR, j.Title)
			}
		}
	}
	return handles, jobs, goRemoteAR
}

// threeFederations runs SoberaniaX, EthiX and Astrateq, seeds each, has
// SoberaniaX follow the other two, and waits until SoberaniaX lists every
// co-op and job of all three.
func threeFederations(t testing.TB) *federations {
	t.Helper()
	keys := &nodetest.KeyPool{Size: 4}
	opts := nodetest.Options{Keys: keys}
	f := &federations{
		SoberaniaX: nodetest.NewWith(t, teststore.SQLite, "SoberaniaX", "soberaniax", opts),
		EthiX:      nodetest.NewWith(t, teststore.SQLite, "EthiX", "ethix", opts),
		Astrateq:   nodetest.NewWith(t, teststore.SQLite, "Astrateq", "astrateq", opts),
		Coops:      map[string][]string{},
		Jobs:       map[string]int{},
		XSSCoop:    "thistle_forge",
	}
	for _, s := range []struct {
		n     *nodetest.Node
		coops []seedCoop
	}{{f.SoberaniaX, soberaniaxSeed()}, {f.EthiX, ethixSeed()}, {f.Astrateq, astrateqSeed()}} {
		handles, jobs, match := seed(t, s.n, s.coops)
		f.Coops[s.n.Handle] = handles
		f.Jobs[s.n.Handle] = jobs
		f.TotalCoops += len(handles)
		f.TotalJobs += jobs
		f.GoRemoteAR = append(f.GoRemoteAR, match...)
	}
	slices.Sort(f.GoRemoteAR)

	f.SoberaniaX.Follow(t, f.EthiX.Acct())
	f.SoberaniaX.Follow(t, f.Astrateq.Acct())
	agg := f.SoberaniaX
	nodetest.Eventually(t, "SoberaniaX's follows accepted", func() bool { return agg.Accepted(t) })
	nodetest.Eventually(t, "SoberaniaX to list every co-op and job", func() bool {
		jobs, err := agg.Svc.SearchJobs(t.Context(), directory.JobQuery{Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		coops, err := agg.Svc.ListCoops(t.Context(), directory.CoopQuery{Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		return jobs.Total == f.TotalJobs && coops.Total == f.TotalCoops
	})

	// The seeded data promises a search that spans two federations.
	res, err := agg.Svc.SearchJobs(t.Context(), directory.JobQuery{Skills: []string{"go"}, Remote: []string{directory.RemoteFull},
		Countries: []string{"AR"}, Limit: directory.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	hosts := map[string]bool{}
	for _, j := range res.Items {
		titles = append(titles, j.Title)
		hosts[j.Coop.Host] = true
	}
	slices.Sort(titles)
	if !slices.Equal(titles, f.GoRemoteAR) || len(hosts) != 2 {
		t.Fatalf("go+remote+AR on SoberaniaX found %q on %d nodes; want %q on 2", titles, len(hosts), f.GoRemoteAR)
	}
	return f
}
