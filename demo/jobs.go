package demo

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"unicode"

	"github.com/colmena-coop/colmena/directory"
)

// role is an opening a co-op of one skill set (stack) would publish: the
// skills it asks for, first the main one, its title without a level and
// what the work is, in English and Spanish.
type role struct {
	skills     []string
	en, es     string
	taskEN     string
	taskES     string
	noLevelTag bool // a designer's title takes no "developer" level words
}

// roles by index of skillSets.
var roles = [][]role{
	{ // go, postgresql, kubernetes, linux, grpc, devops
		{skills: []string{"go", "postgresql", "grpc"}, en: "Backend developer (Go)", es: "Desarrollador/a backend Go",
			taskEN: "You will design, build and look after Go services and their PostgreSQL databases, exposed over gRPC and HTTP to the apps our clients use every day.",
			taskES: "Vas a diseñar, construir y mantener servicios en Go con bases PostgreSQL, expuestos por gRPC y HTTP a las aplicaciones que nuestros clientes usan a diario."},
		{skills: []string{"kubernetes", "go", "linux"}, en: "Platform engineer", es: "Ingeniero/a de plataforma",
			taskEN: "You will run the Kubernetes clusters we host for ourselves and for clients, and write the Go tooling that keeps deployments boring.",
			taskES: "Vas a operar los clusters de Kubernetes que alojamos para nosotros y para clientes, y escribir en Go las herramientas que hacen aburridos los despliegues."},
		{skills: []string{"devops", "linux", "kubernetes"}, en: "Site reliability engineer", es: "SRE / Ingeniero/a de confiabilidad",
			taskEN: "You will share on-call with four colleagues, improve our monitoring and make the systems we run for clients fail less and recover faster.",
			taskES: "Vas a compartir guardias con otras cuatro personas, mejorar el monitoreo y lograr que los sistemas que operamos fallen menos y se recuperen más rápido."},
	},
	{ // python, django, postgresql, data, react, celery
		{skills: []string{"django", "python", "postgresql"}, en: "Django developer", es: "Desarrollador/a Django",
			taskEN: "You will build and maintain Django applications for clients who rely on them for years: case management, memberships, grants.",
			taskES: "Vas a desarrollar y mantener aplicaciones Django que nuestros clientes usan durante años: gestión de casos, padrones de socios, subsidios."},
		{skills: []string{"python", "django", "react"}, en: "Full-stack developer (Django and React)", es: "Desarrollador/a full stack (Django y React)",
			taskEN: "You will work across a Django back end and a React front end, from the data model to the last form field.",
			taskES: "Vas a trabajar de punta a punta, desde el modelo de datos en Django hasta el último formulario en React."},
		{skills: []string{"python", "celery", "postgresql"}, en: "Python backend developer", es: "Desarrollador/a Python backend",
			taskEN: "You will write the Python services and Celery workers behind our clients' platforms, and the tests that let us change them safely.",
			taskES: "Vas a escribir los servicios en Python y los workers de Celery detrás de las plataformas de nuestros clientes, y los tests que nos dejan cambiarlos sin miedo."},
	},
	{ // javascript, typescript, react, node.js, ux, design
		{skills: []string{"react", "typescript", "javascript"}, en: "Front-end developer (React)", es: "Desarrollador/a front-end React",
			taskEN: "You will turn designs into accessible, fast React interfaces in TypeScript, working closely with our designers and the people who use them.",
			taskES: "Vas a convertir diseños en interfaces React accesibles y rápidas, en TypeScript, junto a nuestro equipo de diseño y a quienes las usan."},
		{skills: []string{"node.js", "typescript", "react"}, en: "Full-stack JavaScript developer", es: "Desarrollador/a full stack JavaScript",
			taskEN: "You will build features end to end, Node.js APIs and React screens, for a handful of long-standing clients.",
			taskES: "Vas a construir funcionalidades completas, APIs en Node.js y pantallas en React, para un puñado de clientes de muchos años."},
		{skills: []string{"ux", "design"}, en: "UX designer", es: "Diseñador/a UX", noLevelTag: true,
			taskEN: "You will run research with the people our clients serve, and design and test the flows we then build together.",
			taskES: "Vas a investigar con las personas a las que sirven nuestros clientes y diseñar y probar los flujos que luego construimos en equipo."},
	},
	{ // elixir, phoenix, postgresql, erlang, liveview
		{skills: []string{"elixir", "phoenix", "postgresql"}, en: "Elixir developer", es: "Desarrollador/a Elixir",
			taskEN: "You will build Phoenix applications in Elixir that handle many users at once: booking, messaging, live dashboards.",
			taskES: "Vas a construir aplicaciones Phoenix en Elixir que atienden a muchas personas a la vez: reservas, mensajería, tableros en vivo."},
		{skills: []string{"liveview", "phoenix", "elixir"}, en: "Phoenix LiveView developer", es: "Desarrollador/a Phoenix LiveView",
			taskEN: "You will write interactive LiveView screens and the Elixir behind them, with as little JavaScript as we can get away with.",
			taskES: "Vas a escribir pantallas interactivas con LiveView y el Elixir que las sostiene, con el mínimo JavaScript posible."},
	},
	{ // rust, c++, embedded, linux, go
		{skills: []string{"embedded", "c++", "linux"}, en: "Embedded software engineer", es: "Ingeniero/a de software embebido",
			taskEN: "You will write firmware and embedded Linux software for sensors and small devices used in farming and energy co-ops.",
			taskES: "Vas a escribir firmware y software para Linux embebido en sensores y equipos pequeños que usan cooperativas agropecuarias y de energía."},
		{skills: []string{"rust", "linux"}, en: "Rust developer", es: "Desarrollador/a Rust",
			taskEN: "You will write Rust services and command-line tools where speed and correctness matter, and help the rest of us learn the language.",
			taskES: "Vas a escribir servicios y herramientas en Rust donde importan la velocidad y la corrección, y ayudar al resto a aprender el lenguaje."},
	},
	{ // php, laravel, wordpress, drupal, javascript
		{skills: []string{"laravel", "php"}, en: "Laravel developer", es: "Desarrollador/a Laravel",
			taskEN: "You will build and maintain Laravel applications for small organisations: memberships, donations, bookings.",
			taskES: "Vas a desarrollar y mantener aplicaciones Laravel para organizaciones chicas: socios, donaciones, reservas."},
		{skills: []string{"wordpress", "php", "javascript"}, en: "WordPress developer", es: "Desarrollador/a WordPress",
			taskEN: "You will build custom WordPress themes and plugins, and keep dozens of client sites secure and up to date.",
			taskES: "Vas a hacer temas y plugins de WordPress a medida y mantener seguras y al día decenas de webs de clientes."},
		{skills: []string{"drupal", "php"}, en: "Drupal developer", es: "Desarrollador/a Drupal",
			taskEN: "You will build and upgrade Drupal sites for public bodies and universities, contributing fixes back to the modules we use.",
			taskES: "Vas a construir y actualizar sitios Drupal para organismos públicos y universidades, devolviendo arreglos a los módulos que usamos."},
	},
	{ // java, kotlin, android, spring, postgresql
		{skills: []string{"android", "kotlin"}, en: "Android developer (Kotlin)", es: "Desarrollador/a Android (Kotlin)",
			taskEN: "You will build Android apps in Kotlin that have to work on cheap phones and bad connections.",
			taskES: "Vas a desarrollar apps Android en Kotlin que tienen que andar en teléfonos baratos y con mala conexión."},
		{skills: []string{"java", "spring", "postgresql"}, en: "Java backend developer (Spring)", es: "Desarrollador/a Java backend (Spring)",
			taskEN: "You will maintain and extend Spring services that handle payments and records for credit unions and mutuals.",
			taskES: "Vas a mantener y ampliar servicios Spring que manejan pagos y registros de mutuales y cooperativas de crédito."},
	},
	{ // ruby, rails, postgresql, javascript, devops
		{skills: []string{"rails", "ruby", "postgresql"}, en: "Ruby on Rails developer", es: "Desarrollador/a Ruby on Rails",
			taskEN: "You will work on Rails applications we have looked after for years, adding features and paying down their debt a little every week.",
			taskES: "Vas a trabajar en aplicaciones Rails que cuidamos hace años, sumando funcionalidades y pagando un poco de deuda técnica cada semana."},
		{skills: []string{"rails", "javascript"}, en: "Full-stack Rails developer", es: "Desarrollador/a full stack Rails",
			taskEN: "You will build features from the database to the browser with Rails and a little JavaScript.",
			taskES: "Vas a construir funcionalidades desde la base de datos hasta el navegador con Rails y algo de JavaScript."},
	},
	{ // swift, ios, kotlin, android, ux
		{skills: []string{"ios", "swift"}, en: "iOS developer (Swift)", es: "Desarrollador/a iOS (Swift)",
			taskEN: "You will build and ship iOS apps in Swift for clients in health and education.",
			taskES: "Vas a desarrollar y publicar apps iOS en Swift para clientes de salud y educación."},
		{skills: []string{"kotlin", "swift", "android", "ios"}, en: "Mobile developer (iOS and Android)", es: "Desarrollador/a mobile (iOS y Android)",
			taskEN: "You will work on native apps on both platforms, sharing what can be shared and keeping each app at home on its phone.",
			taskES: "Vas a trabajar en apps nativas para las dos plataformas, compartiendo lo que se pueda sin que ninguna deje de sentirse nativa."},
		{skills: []string{"ux"}, en: "Mobile UX designer", es: "Diseñador/a UX mobile", noLevelTag: true,
			taskEN: "You will design mobile apps with the people who will use them, from interviews to tested prototypes.",
			taskES: "Vas a diseñar apps mobile junto a quienes las van a usar, desde las entrevistas hasta prototipos probados."},
	},
	{ // data, python, machine-learning, sql, dbt
		{skills: []string{"data", "python", "sql", "dbt"}, en: "Data engineer", es: "Ingeniero/a de datos",
			taskEN: "You will build the pipelines, dbt models and warehouses that turn our clients' scattered data into figures they can trust.",
			taskES: "Vas a construir los pipelines, modelos dbt y almacenes que convierten los datos dispersos de nuestros clientes en cifras confiables."},
		{skills: []string{"sql", "data"}, en: "Data analyst", es: "Analista de datos",
			taskEN: "You will answer our clients' questions with SQL and clear charts, and help them ask better ones.",
			taskES: "Vas a responder las preguntas de nuestros clientes con SQL y gráficos claros, y ayudarles a hacer mejores preguntas."},
		{skills: []string{"machine-learning", "python"}, en: "Machine learning engineer", es: "Ingeniero/a de machine learning",
			taskEN: "You will build and evaluate modest, explainable models, and say no when a spreadsheet would do.",
			taskES: "Vas a construir y evaluar modelos modestos y explicables, y decir que no cuando alcanza con una planilla."},
	},
	{ // devops, terraform, kubernetes, security, linux, go
		{skills: []string{"devops", "terraform", "kubernetes"}, en: "DevOps engineer", es: "Ingeniero/a DevOps",
			taskEN: "You will keep our clients' infrastructure in Terraform, move the last hand-made servers into code and improve our pipelines.",
			taskES: "Vas a mantener en Terraform la infraestructura de nuestros clientes, pasar a código los últimos servidores hechos a mano y mejorar los pipelines."},
		{skills: []string{"security", "linux"}, en: "Security engineer", es: "Ingeniero/a de seguridad",
			taskEN: "You will audit and harden the systems we run, respond to incidents and train clients who are often targets: unions, journalists, campaigners.",
			taskES: "Vas a auditar y endurecer los sistemas que operamos, responder a incidentes y capacitar a clientes que suelen ser blanco de ataques: sindicatos, periodistas, activistas."},
		{skills: []string{"linux", "devops"}, en: "Systems administrator", es: "Administrador/a de sistemas",
			taskEN: "You will look after the Linux servers, mail and backups of our hosting, and the small offices that depend on them.",
			taskES: "Vas a cuidar los servidores Linux, el correo y los backups de nuestro hosting, y las oficinas chicas que dependen de ellos."},
	},
}

// What a co-op of each stack makes, in English and Spanish.
var makes = [][2]string{
	{"cloud services and APIs", "servicios en la nube y APIs"},
	{"web platforms and data tools", "plataformas web y herramientas de datos"},
	{"web and mobile interfaces", "interfaces web y mobile"},
	{"real-time web applications", "aplicaciones web en tiempo real"},
	{"embedded and systems software", "software embebido y de sistemas"},
	{"websites and content platforms", "sitios web y plataformas de contenidos"},
	{"Android apps and Java back ends", "apps Android y backends Java"},
	{"web applications", "aplicaciones web"},
	{"mobile apps", "apps mobile"},
	{"data pipelines and dashboards", "pipelines de datos y tableros"},
	{"infrastructure, hosting and security", "infraestructura, hosting y seguridad"},
}

// Who co-ops work for, in English and Spanish.
var sectors = [][2]string{
	{"charities and NGOs", "organizaciones sociales y ONG"},
	{"trade unions", "sindicatos"},
	{"the public sector", "el sector público"},
	{"universities and research groups", "universidades y grupos de investigación"},
	{"independent media", "medios independientes"},
	{"housing and energy co-ops", "cooperativas de vivienda y de energía"},
	{"health services", "servicios de salud"},
	{"small businesses", "pymes"},
	{"clients abroad", "clientes del exterior"},
	{"local councils", "municipios"},
}

func coopSummary(r *rand.Rand, lang string, c *directory.Coop, stack int, sector [2]string) string {
	list := strings.Join(c.Skills, ", ")
	switch lang {
	case "es":
		return []string{
			fmt.Sprintf("%s es una cooperativa de trabajo de %s: hacemos %s para %s (%s).", c.Name, c.City, makes[stack][1], sector[1], list),
			fmt.Sprintf("Somos una cooperativa de %s con %d personas asociadas. Las decisiones se toman en asamblea y el excedente se reparte entre quienes trabajamos. Hacemos %s: %s.", c.City, c.Workers, makes[stack][1], list),
			fmt.Sprintf("Desde %d, %s desarrolla %s para %s. Trabajamos con %s.", c.Founded, c.Name, makes[stack][1], sector[1], list),
		}[r.IntN(3)]
	case "pt":
		return []string{
			fmt.Sprintf("%s é uma cooperativa de trabalho de %s que desenvolve software livre (%s).", c.Name, c.City, list),
			fmt.Sprintf("Somos %d pessoas cooperadas em %s, donas do próprio trabalho. Fazemos software livre com %s.", c.Workers, c.City, list),
		}[r.IntN(2)]
	default:
		return []string{
			fmt.Sprintf("%s is a worker-owned tech co-op in %s. We build %s for %s (%s).", c.Name, c.City, makes[stack][0], sector[0], list),
			fmt.Sprintf("A worker co-operative of %d from %s: every member owns the business and has an equal vote. We make %s with %s.", c.Workers, c.City, makes[stack][0], list),
			fmt.Sprintf("Since %d, %s has built %s for %s. We work in %s.", c.Founded, c.Name, makes[stack][0], sector[0], list),
		}[r.IntN(3)]
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

// skillSets group skills a co-op would offer together; roles follows
// their order.
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

// Titles in the languages without role names of their own: a pattern for
// the main skill.
var localTitle = map[string][]string{
	"pt": {"Desenvolvedora %s", "Pessoa desenvolvedora %s", "Desenvolvedor(a) %s"},
	"de": {"%s-Entwickler:in", "Softwareentwickler:in (%s)"},
	"fr": {"Développeur·se %s", "Ingénieur·e logiciel %s"},
	"it": {"Sviluppatrice/tore %s", "Sviluppatore/trice software %s"},
	"nl": {"%s-ontwikkelaar", "Softwareontwikkelaar %s"},
	"sv": {"%s-utvecklare", "Systemutvecklare %s"},
	"pl": {"Programista/ka %s", "Programista/ka %s (spółdzielnia)"},
}

var internTitle = map[string]string{
	"es": "Pasantía: %s", "pt": "Estágio em %s", "en": "%s intern", "de": "Praktikum %s", "fr": "Stage %s",
	"it": "Tirocinio %s", "nl": "Stage %s", "sv": "Praktik %s", "pl": "Staż %s",
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

// levelPay multiplies a place's middle pay for each level.
var levelPay = map[string]float64{directory.Junior: 0.72, directory.Mid: 1, directory.Senior: 1.27, directory.Lead: 1.4}

// levels are drawn with these weights for jobs other than internships.
var levels = []string{directory.Junior, directory.Junior, directory.Mid, directory.Mid, directory.Mid, directory.Mid,
	directory.Senior, directory.Senior, directory.Senior, directory.Lead}

// leveled puts the level in a title, in the job's language.
func leveled(title, lang, level string, designer bool) string {
	switch lang {
	case "es":
		switch level {
		case directory.Junior:
			return title + " junior"
		case directory.Mid:
			if designer {
				return title
			}
			return title + " semi-senior"
		case directory.Senior:
			return title + " senior"
		case directory.Lead:
			if r := []rune(title); len(r) > 1 && unicode.IsLower(r[1]) {
				title = string(unicode.ToLower(r[0])) + string(r[1:])
			}
			return "Referente técnico/a: " + title
		}
	case "en":
		switch level {
		case directory.Junior:
			return "Junior " + lowerFirst(title)
		case directory.Senior:
			return "Senior " + lowerFirst(title)
		case directory.Lead:
			if designer {
				return "Lead " + lowerFirst(title)
			}
			return "Tech lead, " + lowerFirst(title)
		}
	case "pt":
		switch level {
		case directory.Junior:
			return title + " júnior"
		case directory.Senior, directory.Lead:
			return title + " sênior"
		}
	case "fr", "it":
		switch level {
		case directory.Junior:
			return title + " junior"
		case directory.Senior, directory.Lead:
			return title + " senior"
		}
	default:
		switch level {
		case directory.Junior:
			return "Junior " + title
		case directory.Senior, directory.Lead:
			return "Senior " + title
		}
	}
	return title
}

// lowerFirst lowers a title's first word after a level word, unless it
// is a name (Django, Ruby on Rails, UX).
func lowerFirst(title string) string {
	word, _, _ := strings.Cut(title, " ")
	switch word {
	case "Backend", "Front-end", "Full-stack", "Platform", "Site", "Data", "Machine", "Mobile", "Embedded", "Security", "Systems", "Software":
		return strings.ToLower(title[:1]) + title[1:]
	}
	return title
}

// job draws one opening of a co-op that works with stack.
func job(r *rand.Rand, pl place, c *directory.Coop, stack int, sector [2]string) directory.Job {
	// A role whose main skill the co-op offers (build makes sure there is
	// one), asking for the skills of it the co-op has.
	var fits []role
	for _, ro := range roles[stack] {
		if slices.Contains(c.Skills, ro.skills[0]) {
			fits = append(fits, ro)
		}
	}
	ro := fits[r.IntN(len(fits))]
	var skills []string
	for _, s := range ro.skills {
		if slices.Contains(c.Skills, s) {
			skills = append(skills, s)
		}
	}
	lang := pl.language
	switch {
	case lang == "en" || lang == "es":
		if r.IntN(6) == 0 {
			lang = "en"
		}
	case r.IntN(2) == 0:
		lang = "en" // many co-ops in Europe advertise in English
	}
	etype := []string{directory.FullTime, directory.FullTime, directory.FullTime, directory.FullTime, directory.FullTime,
		directory.FullTime, directory.PartTime, directory.PartTime, directory.Contract, directory.Contract, directory.Internship}[r.IntN(11)]
	level := levels[r.IntN(len(levels))]
	main := skillTitle[skills[0]]
	var title string
	switch {
	case etype == directory.Internship:
		level = directory.Trainee
		title = fmt.Sprintf(internTitle[lang], main)
		if lang == "en" && !ro.noLevelTag {
			title = fmt.Sprintf("Software developer intern (%s)", main)
		}
	case lang == "en":
		title = leveled(ro.en, lang, level, ro.noLevelTag)
	case lang == "es":
		title = leveled(ro.es, lang, level, ro.noLevelTag)
	default:
		pats := localTitle[lang]
		title = leveled(fmt.Sprintf(pats[r.IntN(len(pats))], main), lang, level, false)
	}
	j := directory.Job{
		Title:          title,
		Skills:         skills,
		Seniority:      level,
		Remote:         []string{directory.RemoteFull, directory.RemoteFull, directory.RemoteHybrid, directory.RemoteOnsite}[r.IntN(4)],
		Country:        pl.country,
		City:           c.City,
		EmploymentType: etype,
		Languages:      []string{lang},
	}
	applyWays(&j, c, title)
	switch {
	case etype == directory.PartTime && r.IntN(2) == 0:
		j.Title += map[string]string{"en": " (part-time)", "es": " (media jornada)"}[lang]
	case etype == directory.Contract && r.IntN(2) == 0:
		j.Title += map[string]string{"en": " (contract)", "es": " (por proyecto)"}[lang]
	case j.Remote == directory.RemoteHybrid && r.IntN(3) == 0:
		j.Title += map[string]string{"en": ", " + c.City, "es": ", " + c.City}[lang]
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
	// Co-ops abroad hire remotely in Argentina too, paying in dollars or
	// in their own pounds, euros or reais.
	if j.Remote == directory.RemoteFull && pl.country != "AR" && etype != directory.Internship && r.IntN(4) == 0 {
		j.Country = "AR"
		lo := int64(2300 * levelPay[level] * (0.9 + 0.2*r.Float64()))
		lo -= lo % 100
		j.Salary = hireInArgentina(lo, lo+500+100*r.Int64N(6), pl.pay[0])
	} else if r.IntN(6) > 0 {
		j.Salary = salary(r, pl, etype, level)
	}
	j.Description = description(r, lang, c, ro, level, etype, sector, stack)
	return j
}

// salary is what a co-op in pl pays for a job of this type and level:
// the place's middle pay times the level's factor, pro rata for part
// time, by the hour for contracts where salaries are yearly, and the
// place's own rate for interns.
func salary(r *rand.Rand, pl place, etype, level string) *directory.Salary {
	jitter := 0.92 + 0.16*r.Float64()
	if etype == directory.Internship {
		p := pl.intern
		lo := int64(float64(p.amount) * (0.95 + 0.1*r.Float64()))
		lo -= lo % roundTo(lo)
		hi := lo + lo/10
		return &directory.Salary{Min: lo, Max: hi - hi%roundTo(hi), Currency: p.currency, Period: p.period}
	}
	total := 0
	for _, p := range pl.pay {
		total += p.weight
	}
	k := r.IntN(total)
	p := pl.pay[0]
	for _, q := range pl.pay {
		if k < q.weight {
			p = q
			break
		}
		k -= q.weight
	}
	v := float64(p.amount) * levelPay[level] * jitter
	period := p.period
	switch {
	case etype == directory.Contract && period == directory.PerYear:
		v, period = v/1650*1.2, directory.PerHour
	case etype == directory.Contract:
		v *= 1.1
	case etype == directory.PartTime && period != directory.PerHour:
		v *= 0.6 // three days a week
	}
	lo := int64(v)
	lo -= lo % roundTo(lo)
	hi := int64(v * (1.1 + 0.12*r.Float64()))
	hi -= hi % roundTo(hi)
	return &directory.Salary{Min: lo, Max: max(hi, lo+1), Currency: p.currency, Period: period}
}

// goInArgentina is the opening a co-op abroad has for a Go developer in
// Argentina, paid in dollars or in its own currency.
func goInArgentina(r *rand.Rand, i int, pl place, c *directory.Coop, sector [2]string) directory.Job {
	titles := []struct{ title, level string }{
		{"Remote Go developer (Argentina)", directory.Mid}, {"Go backend engineer, remote from Argentina", directory.Mid},
		{"Senior Go developer (remote, Argentina)", directory.Senior}, {"Go and PostgreSQL developer, remote", directory.Mid},
		{"Go developer for our payments API (remote, Argentina)", directory.Mid}, {"Senior backend engineer, Go (remote from Argentina)", directory.Senior},
		{"Go engineer, Buenos Aires hours", directory.Mid}, {"Backend developer, Go and PostgreSQL (Argentina, remote)", directory.Junior},
	}
	t := titles[(i/12+r.IntN(len(titles)))%len(titles)]
	level := t.level
	ro := roles[0][0]
	j := directory.Job{Title: t.title, Skills: []string{"go", "postgresql"}, Seniority: level,
		Remote: directory.RemoteFull, Country: "AR", EmploymentType: directory.Contract, Languages: []string{"en", "es"},
		Salary: hireInArgentina(2500+100*int64(i%10), 3200+100*int64(i%10), pl.pay[0])}
	applyWays(&j, c, t.title+c.Handle)
	j.Description = description(r, "en", c, ro, level, j.EmploymentType, sector, 0) +
		"\n\nThis role is open to people living in Argentina; we pay monthly by international transfer and overlap at least four hours with Buenos Aires."
	return j
}

// description writes a job's text in Markdown from parts: the co-op, the
// work, what the level asks, what the co-op offers and how to apply, each
// chosen among several so that no two co-ops read alike.
// applyWays says how to apply, as co-ops do: by e-mail, on the co-op's
// site, or either. The choice follows from key (no random draw, so the
// rest of the data stays as it was): about a third of the jobs each.
func applyWays(j *directory.Job, c *directory.Coop, key string) {
	mail := "jobs@" + c.Email[strings.Index(c.Email, "@")+1:]
	site := ""
	if c.Website != "" {
		site = strings.TrimSuffix(c.Website, "/") + "/jobs"
	}
	var n int
	for _, b := range []byte(key) {
		n += int(b)
	}
	switch {
	case site == "" || n%3 == 0:
		j.ApplyEmail = mail
	case n%3 == 1:
		j.ApplyURL = site
	default:
		j.ApplyURL, j.ApplyEmail = site, mail
	}
}

func description(r *rand.Rand, lang string, c *directory.Coop, ro role, level, etype string, sector [2]string, stack int) string {
	main := skillTitle[ro.skills[0]]
	switch lang {
	case "en":
		intro := []string{
			fmt.Sprintf("%s is a worker co-op of %d in %s. We build %s for %s.", c.Name, c.Workers, c.City, makes[stack][0], sector[0]),
			fmt.Sprintf("We are %s, %s %d-member tech co-operative based in %s, working mostly for %s.", c.Name, article(c.Workers), c.Workers, c.City, sector[0]),
			fmt.Sprintf("%s has been a worker co-operative since %d. From %s we make %s for %s.", c.Name, c.Founded, c.City, makes[stack][0], sector[0]),
			fmt.Sprintf("At %s every worker is an owner with an equal vote. Our %d members in %s build %s for %s.", c.Name, c.Workers, c.City, makes[stack][0], sector[0]),
		}[r.IntN(4)]
		ask := map[string][]string{
			directory.Trainee: {"This is a paid internship of six months: you will pair with a mentor every day, and no previous job is needed.",
				"You are studying or have just finished; we will teach you how we work and pay you while we do."},
			directory.Junior: {"A year or so of experience, or solid projects of your own, is enough: we pair a lot and review every change together.",
				"You have built a few things with " + main + " and want to learn from colleagues who will take the time to teach."},
			directory.Mid: {"You have shipped and maintained " + main + " in production and can take a feature from a conversation with a client to its release.",
				"You are at ease with " + main + ", write tests as a matter of course and like to talk to the people who use what you build."},
			directory.Senior: {"You have several years of " + main + " in production and enjoy mentoring and taking design decisions with the team.",
				"You have led projects with " + main + " before, can estimate honestly and help newer colleagues grow."},
			directory.Lead: {"You will coordinate a team of four to six and the technical side of client work, while still writing code most days.",
				"You have led teams before and want to do it without being anyone's boss: we decide together and rotate the role."},
		}[level]
		offer := []string{
			"Pay is public and the same for everyone in the role; the surplus is shared at the end of the year.",
			"After a trial period you can become a member, with an equal say in how the co-op is run.",
			"We keep a training budget, pay for conference travel and never ask for unpaid overtime.",
			fmt.Sprintf("Most of us work from home; we meet in %s once a month.", c.City),
			"We work a four-day week and take the same holidays as a team.",
			"Parents and carers set their own hours; nobody answers messages after six.",
		}
		r.Shuffle(len(offer), func(a, b int) { offer[a], offer[b] = offer[b], offer[a] })
		apply := []string{
			"Tell us in a few lines why a co-op, and send a link to something you have built.",
			"No cover letter needed: a short note and your CV or a link to your code is enough.",
			"We read every application and answer each one within two weeks.",
		}[r.IntN(3)]
		if etype == directory.PartTime {
			offer[0] = "The role is three days a week; the pay shown is for those days."
		}
		return intro + "\n\n" + ro.taskEN + " " + ask[r.IntN(len(ask))] + "\n\n" + offer[0] + " " + offer[1] + "\n\n" + apply
	case "es":
		intro := []string{
			fmt.Sprintf("%s es una cooperativa de trabajo de %d personas en %s. Hacemos %s para %s.", c.Name, c.Workers, c.City, makes[stack][1], sector[1]),
			fmt.Sprintf("Somos %s, una cooperativa de tecnología de %s con %d personas asociadas; trabajamos sobre todo para %s.", c.Name, c.City, c.Workers, sector[1]),
			fmt.Sprintf("%s es una cooperativa desde %d. Desde %s hacemos %s para %s.", c.Name, c.Founded, c.City, makes[stack][1], sector[1]),
			fmt.Sprintf("En %s cada persona que trabaja es dueña y tiene un voto. Somos %d en %s y hacemos %s para %s.", c.Name, c.Workers, c.City, makes[stack][1], sector[1]),
		}[r.IntN(4)]
		ask := map[string][]string{
			directory.Trainee: {"Es una pasantía paga de seis meses: vas a trabajar a la par de una persona tutora todos los días y no hace falta experiencia previa.",
				"Estás estudiando o recién terminaste; te enseñamos cómo trabajamos y te pagamos mientras tanto."},
			directory.Junior: {"Alcanza con un año de experiencia o con proyectos propios sólidos: programamos mucho en pareja y revisamos cada cambio juntos.",
				"Hiciste algunas cosas con " + main + " y querés aprender con compañeras y compañeros que se toman el tiempo de enseñar."},
			directory.Mid: {"Ya pusiste en producción y mantuviste " + main + " y podés llevar una funcionalidad desde la charla con el cliente hasta la entrega.",
				"Te movés con soltura en " + main + ", escribís tests sin que nadie te lo pida y te gusta hablar con quienes usan lo que hacés."},
			directory.Senior: {"Tenés varios años de " + main + " en producción y te gusta acompañar a otras personas y tomar decisiones de diseño en equipo.",
				"Ya lideraste proyectos con " + main + ", estimás con honestidad y ayudás a crecer a quienes recién llegan."},
			directory.Lead: {"Vas a coordinar un equipo de cuatro a seis personas y la parte técnica de la relación con clientes, sin dejar de programar.",
				"Ya coordinaste equipos y querés hacerlo sin ser jefe de nadie: decidimos en conjunto y el rol rota."},
		}[level]
		offer := []string{
			"Los retiros son públicos e iguales para cada rol; el excedente se reparte a fin de año.",
			"Después de un período de prueba podés asociarte, con el mismo voto que el resto en la asamblea.",
			"Tenemos presupuesto de capacitación, pagamos viajes a conferencias y nunca pedimos horas extra sin pagar.",
			fmt.Sprintf("La mayoría trabaja desde su casa; nos juntamos en %s una vez por mes.", c.City),
			"Trabajamos 35 horas por semana con horario flexible.",
			"Madres, padres y quienes cuidan a alguien arman su propio horario.",
		}
		r.Shuffle(len(offer), func(a, b int) { offer[a], offer[b] = offer[b], offer[a] })
		apply := []string{
			"Contanos en pocas líneas por qué una cooperativa y mandanos un enlace a algo que hayas hecho.",
			"No hace falta carta de presentación: una nota corta y tu CV o un enlace a tu código alcanzan.",
			"Leemos todas las postulaciones y respondemos cada una en dos semanas.",
		}[r.IntN(3)]
		if etype == directory.PartTime {
			offer[0] = "Es media jornada, tres días por semana; el retiro indicado es por esos días."
		}
		return intro + "\n\n" + ro.taskES + " " + ask[r.IntN(len(ask))] + "\n\n" + offer[0] + " " + offer[1] + "\n\n" + apply
	}
	skills := strings.Join(ro.skills, ", ")
	intro, rest := localDescriptions[lang][0], localDescriptions[lang][1:]
	return fmt.Sprintf(intro, c.Name, c.City, c.Workers) + "\n\n" + fmt.Sprintf(rest[r.IntN(len(rest))], skills)
}

// localDescriptions are, per language, an opening (co-op, city, members)
// and a few second paragraphs (skills).
var localDescriptions = map[string][]string{
	"pt": {"%s é uma cooperativa de trabalho em %s com %d pessoas cooperadas, todas com o mesmo voto.",
		"Procuramos alguém para trabalhar com %s em projetos de longo prazo, com horário flexível e retiradas iguais.",
		"Você vai trabalhar com %s em produtos que nossos clientes usam há anos. Depois do período de experiência, pode se tornar cooperada.",
		"Trabalhamos com %s. Valorizamos quem gosta de aprender, revisar código em par e participar da gestão da cooperativa."},
	"de": {"%s ist eine Genossenschaft in %s mit %d Mitgliedern, die alle gleich mitbestimmen.",
		"Wir suchen Verstärkung für langfristige Projekte mit %s, mit flexiblen Arbeitszeiten und gleichem Lohn.",
		"Du arbeitest mit %s an Software, die unsere Kund:innen seit Jahren nutzen. Nach der Probezeit kannst du Mitglied werden.",
		"Wir arbeiten mit %s, im Pair Programming und mit Code-Reviews; Überstunden gibt es bei uns nicht."},
	"fr": {"%s est une coopérative de %s de %d associé·es, une personne, une voix.",
		"Nous cherchons quelqu'un pour travailler avec %s sur des projets au long cours, horaires souples et salaires transparents.",
		"Vous travaillerez avec %s sur des outils utilisés par des associations et des collectivités. Après la période d'essai, vous pourrez devenir associé·e.",
		"Nous travaillons avec %s, en binôme et avec relecture de code ; pas d'heures supplémentaires non payées."},
	"it": {"%s è una cooperativa di %s con %d soci lavoratori, una testa un voto.",
		"Cerchiamo una persona per lavorare con %s su progetti di lunga durata, con orari flessibili.",
		"Lavorerai con %s su software usato da associazioni ed enti locali. Dopo il periodo di prova potrai diventare socia o socio."},
	"nl": {"%s is een coöperatie in %s met %d leden, die allemaal meebeslissen.",
		"We zoeken iemand voor langlopende projecten met %s, met flexibele werktijden en gelijke beloning.",
		"Je werkt met %s aan software voor maatschappelijke organisaties. Na de proeftijd kun je lid worden."},
	"sv": {"%s är ett arbetarkooperativ i %s med %d medlemmar, en medlem en röst.",
		"Vi söker någon som vill arbeta med %s i långsiktiga projekt, med flexibla tider och lika lön.",
		"Du arbetar med %s i projekt för föreningar och kommuner. Efter provanställningen kan du bli medlem."},
	"pl": {"%s to spółdzielnia pracy z miasta %s, %d członków i członkiń, każdy ma jeden głos.",
		"Szukamy osoby do pracy z %s przy długoterminowych projektach, z elastycznymi godzinami.",
		"Będziesz pracować z %s nad oprogramowaniem dla organizacji społecznych. Po okresie próbnym możesz zostać członkiem spółdzielni."},
}

// article is the English article before a number said aloud: "an 8",
// "an 11", "an 18", "a 9".
func article(n int) string {
	s := fmt.Sprint(n)
	if s[0] == '8' || n == 11 || n == 18 {
		return "an"
	}
	return "a"
}
