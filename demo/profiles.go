package demo

import "fmt"

// about rounds a head count the way a federation's blurb states it.
func about(n int) int {
	switch {
	case n >= 1000:
		return (n + 50) / 100 * 100
	case n >= 200:
		return (n + 25) / 50 * 50
	case n >= 50:
		return (n + 5) / 10 * 10
	default:
		return n
	}
}

var soberaniax = profile{
	name: "SoberaniaX",
	summary: func(coops, workers, countries int) string {
		return fmt.Sprintf("Federación argentina de cooperativas de trabajo de tecnología, innovación y conocimiento: %d cooperativas y unas %d personas asociadas.", coops, about(workers))
	},
	languages: []string{"es", "en"},
	places: []place{
		{country: "AR", language: "es", cities: []string{"Buenos Aires", "Buenos Aires", "Buenos Aires", "Rosario", "Rosario", "Córdoba", "Córdoba",
			"La Plata", "Mendoza", "Mar del Plata", "Santa Fe", "Neuquén", "Bahía Blanca", "San Miguel de Tucumán", "Paraná", "Bariloche"},
			names: []string{"Hornero", "Tacuara", "Ceibo", "Jacarandá", "Yerba Mate", "Quebracho", "Ñandú", "Algarrobo", "Caldén", "Pehuén",
				"Timbó", "Lapacho", "Aguaribay", "Chañar", "Tala", "Cardón", "Espinillo", "Mburucuyá", "Irupé", "Benteveo",
				"Zorzal", "Cardenal", "Picaflor", "Yaguareté", "Carpincho", "Guanaco", "Cóndor", "Tatú", "Coatí", "Surubí",
				"Dorado", "Palo Santo", "Totora", "Molle", "Ombú", "Queñoa", "Sauce Criollo", "Arrayán"},
			suffixes: []string{"Cooperativa de Software", "Tecnología Cooperativa", "Coop. de Trabajo", "Sistemas Cooperativos",
				"Cooperativa Digital", "Datos Cooperativa", "Código Cooperativo"},
			// Go, Python and the web are what most of them do.
			stacks: []int{0, 0, 0, 1, 2, 10, 5, 9},
			// Argentine co-ops pay in pesos, and often in dollars.
			pay:    []pay{{"ARS", "month", 1_900_000, 3}, {"USD", "month", 2_300, 2}},
			intern: pay{"ARS", "month", 700_000, 1},
		},
	},
	minWorkers: 10, maxWorkers: 42,
	jobsPerCoop: 4,
}

var ethix = profile{
	name: "EthiX",
	summary: func(coops, workers, countries int) string {
		return fmt.Sprintf("The UK federation of worker-owned tech co-operatives: %d co-ops and about %d worker-members building technology for good.", coops, about(workers))
	},
	languages: []string{"en"},
	places: []place{
		{country: "GB", language: "en", cities: []string{"London", "London", "London", "Manchester", "Manchester", "Leeds", "Bristol", "Bristol",
			"Glasgow", "Edinburgh", "Cardiff", "Sheffield", "Brighton", "Newcastle", "Liverpool", "Nottingham", "Norwich", "Belfast"},
			names: []string{"Ironbridge", "Larkspur", "Tidewater", "Thistle", "Heron", "Kestrel", "Bramble", "Hawthorn", "Foxglove", "Wren",
				"Millstone", "Saltmarsh", "Fellside", "Riverbank", "Beacon", "Lantern", "Anvil", "Loom", "Kiln", "Harbour",
				"Meadow", "Copper Beech", "Flint", "Slate", "Willow", "Rowan", "Alder", "Hazel", "Elder", "Sorrel",
				"Nettle", "Clover", "Bracken", "Curlew", "Dunlin", "Lapwing", "Skylark", "Otter", "Badger", "Puffin", "Gannet"},
			suffixes: []string{"Co-operative", "Digital Co-op", "Tech Co-op", "Collective", "Works", "Software Co-operative"},
			pay:      []pay{{"GBP", "year", 38_000, 1}},
			// About the London Living Wage for a full year.
			intern: pay{"GBP", "year", 24_000, 1},
		},
	},
	minWorkers: 3, maxWorkers: 14,
	jobsPerCoop: 3,
}

// Astrateq's co-ops by country: coops says how many of its own are there,
// names are words of the place, stacks the skill sets (skillSets) most
// co-ops there work with.
var astrateq = profile{
	name: "Astrateq",
	summary: func(coops, workers, countries int) string {
		return fmt.Sprintf("A worldwide federation of tech worker co-operatives: %d co-ops in %d countries, about %d worker-members.", coops, countries, about(workers))
	},
	languages: []string{"en", "es", "pt", "fr", "de"},
	places: []place{
		{country: "US", coops: 5, language: "en", cities: []string{"Oakland", "Philadelphia", "Madison", "Boston", "Minneapolis"},
			names: []string{"Commons", "Lighthouse", "Roots", "Bee Hive", "Prairie"}, suffixes: []string{"Tech Co-op", "Worker Co-op", "Cooperative"},
			stacks: []int{7, 2, 1, 10}, pay: []pay{{"USD", "year", 95_000, 1}}, intern: pay{"USD", "hour", 22, 1}},
		{country: "ES", coops: 5, language: "es", cities: []string{"Barcelona", "Barcelona", "Madrid", "Valencia", "Bilbao"},
			names: []string{"Colmena Sur", "Telar", "Faro", "Semilla", "Raíz"}, suffixes: []string{"S. Coop.", "Cooperativa Tecnológica", "SCCL"},
			stacks: []int{5, 1, 2, 3}, pay: []pay{{"EUR", "year", 34_000, 1}}, intern: pay{"EUR", "month", 1_000, 1}},
		{country: "DE", coops: 5, language: "de", cities: []string{"Berlin", "Berlin", "Leipzig", "Hamburg", "Köln"},
			names: []string{"Kiezcode", "Bienenstock", "Gemeinsam", "Brücke", "Wurzel"}, suffixes: []string{"eG", "Software eG"},
			stacks: []int{4, 0, 3, 10}, pay: []pay{{"EUR", "year", 58_000, 1}}, intern: pay{"EUR", "month", 2_000, 1}},
		{country: "BR", coops: 5, language: "pt", cities: []string{"São Paulo", "Porto Alegre", "Recife", "Belo Horizonte", "Florianópolis"},
			names: []string{"Mutirão", "Araucaria", "Ipê", "Jabuticaba", "Sabiá"}, suffixes: []string{"Cooperativa", "Coop Digital"},
			stacks: []int{1, 5, 6, 2}, pay: []pay{{"BRL", "month", 9_000, 3}, {"USD", "month", 2_800, 1}}, intern: pay{"BRL", "month", 2_200, 1}},
		{country: "FR", coops: 3, language: "fr", cities: []string{"Paris", "Lyon", "Nantes", "Toulouse"},
			names: []string{"Ruche", "Ensemble", "Phare"}, suffixes: []string{"SCOP", "Coopérative"},
			stacks: []int{1, 3, 5}, pay: []pay{{"EUR", "year", 42_000, 1}}, intern: pay{"EUR", "month", 700, 1}},
		{country: "IT", coops: 3, language: "it", cities: []string{"Bologna", "Torino", "Milano"},
			names: []string{"Formica", "Insieme", "Radice"}, suffixes: []string{"Soc. Coop.", "Cooperativa"},
			stacks: []int{5, 1, 6}, pay: []pay{{"EUR", "year", 32_000, 1}}, intern: pay{"EUR", "month", 800, 1}},
		{country: "CA", coops: 3, language: "en", cities: []string{"Montréal", "Toronto", "Vancouver"},
			names: []string{"Maple Commons", "Loon", "Cedar"}, suffixes: []string{"Tech Co-op", "Worker Co-op"},
			stacks: []int{2, 7, 8}, pay: []pay{{"CAD", "year", 82_000, 1}}, intern: pay{"CAD", "hour", 22, 1}},
		{country: "MX", coops: 3, language: "es", cities: []string{"Ciudad de México", "Guadalajara", "Oaxaca"},
			names: []string{"Tequio", "Quetzal", "Colibrí"}, suffixes: []string{"S.C. de R.L.", "Cooperativa"},
			stacks: []int{5, 2, 1}, pay: []pay{{"MXN", "month", 45_000, 2}, {"USD", "month", 3_000, 1}}, intern: pay{"MXN", "month", 9_000, 1}},
		{country: "NL", coops: 3, language: "nl", cities: []string{"Amsterdam", "Utrecht", "Rotterdam"},
			names: []string{"Mierenhoop", "Samen", "Vuurtoren"}, suffixes: []string{"Coöperatie", "Coöperatie U.A."},
			stacks: []int{3, 7, 0}, pay: []pay{{"EUR", "year", 52_000, 1}}, intern: pay{"EUR", "month", 700, 1}},
		{country: "BE", coops: 2, language: "fr", cities: []string{"Bruxelles", "Liège"},
			names: []string{"Pont", "Racine"}, suffixes: []string{"SCRL", "Coopérative"},
			stacks: []int{1, 5}, pay: []pay{{"EUR", "year", 48_000, 1}}, intern: pay{"EUR", "month", 1_000, 1}},
		{country: "PT", coops: 2, language: "pt", cities: []string{"Lisboa", "Porto"},
			names: []string{"Ponte", "Sobreiro"}, suffixes: []string{"CRL", "Cooperativa"},
			stacks: []int{1, 2}, pay: []pay{{"EUR", "year", 27_000, 1}}, intern: pay{"EUR", "month", 950, 1}},
		{country: "UY", coops: 2, language: "es", cities: []string{"Montevideo", "Montevideo"},
			names: []string{"Ceiba", "Minga"}, suffixes: []string{"Cooperativa"},
			stacks: []int{0, 2}, pay: []pay{{"UYU", "month", 120_000, 1}, {"USD", "month", 2_800, 1}}, intern: pay{"UYU", "month", 35_000, 1}},
		{country: "CL", coops: 2, language: "es", cities: []string{"Santiago", "Valparaíso"},
			names: []string{"Copihue", "Lenga"}, suffixes: []string{"Cooperativa"},
			stacks: []int{1, 9}, pay: []pay{{"CLP", "month", 2_000_000, 1}}, intern: pay{"CLP", "month", 600_000, 1}},
		{country: "CO", coops: 2, language: "es", cities: []string{"Bogotá", "Medellín"},
			names: []string{"Tejido", "Guadua"}, suffixes: []string{"Cooperativa de Trabajo Asociado"},
			stacks: []int{2, 8}, pay: []pay{{"COP", "month", 8_500_000, 1}}, intern: pay{"COP", "month", 1_800_000, 1}},
		{country: "SE", coops: 2, language: "sv", cities: []string{"Stockholm", "Göteborg"},
			names: []string{"Myrstack", "Tillsammans"}, suffixes: []string{"ekonomisk förening"},
			stacks: []int{4, 3}, pay: []pay{{"SEK", "month", 44_000, 1}}, intern: pay{"SEK", "month", 22_000, 1}},
		{country: "PL", coops: 2, language: "pl", cities: []string{"Warszawa", "Kraków"},
			names: []string{"Razem", "Latarnia"}, suffixes: []string{"Spółdzielnia Pracy"},
			stacks: []int{6, 0}, pay: []pay{{"PLN", "month", 14_000, 1}}, intern: pay{"PLN", "month", 4_800, 1}},
		{country: "KE", coops: 2, language: "en", cities: []string{"Nairobi", "Nairobi"},
			names: []string{"Nyuki", "Harambee"}, suffixes: []string{"Tech Co-operative", "Digital Co-operative Society"},
			stacks: []int{6, 8, 1}, pay: []pay{{"KES", "month", 220_000, 2}, {"USD", "month", 1_700, 1}}, intern: pay{"KES", "month", 40_000, 1}},
		{country: "ZA", coops: 2, language: "en", cities: []string{"Cape Town", "Johannesburg"},
			names: []string{"Ubuntu", "Fynbos"}, suffixes: []string{"Tech Co-op", "Worker Co-operative"},
			stacks: []int{1, 2}, pay: []pay{{"ZAR", "month", 45_000, 1}}, intern: pay{"ZAR", "month", 9_000, 1}},
		{country: "IN", coops: 2, language: "en", cities: []string{"Bengaluru", "Pune", "Kochi"},
			names: []string{"Sahakar", "Neem"}, suffixes: []string{"Tech Co-operative", "Software Co-operative"},
			stacks: []int{1, 6, 9}, pay: []pay{{"INR", "month", 120_000, 1}}, intern: pay{"INR", "month", 30_000, 1}},
		{country: "AU", coops: 1, language: "en", cities: []string{"Melbourne", "Sydney"},
			names: []string{"Mob"}, suffixes: []string{"Tech Co-op"},
			stacks: []int{2, 10}, pay: []pay{{"AUD", "year", 105_000, 1}}, intern: pay{"AUD", "hour", 30, 1}},
		{country: "NZ", coops: 1, language: "en", cities: []string{"Wellington", "Auckland"},
			names: []string{"Kotahitanga"}, suffixes: []string{"Tech Co-op"},
			stacks: []int{0, 2}, pay: []pay{{"NZD", "year", 90_000, 1}}, intern: pay{"NZD", "hour", 24, 1}},
	},
	minWorkers: 4, maxWorkers: 19,
	jobsPerCoop: 3,
}
