package federation

import "net/http"

// Namespace is the IRI of Colmena's own JSON-LD terms, the colmena:
// prefix of every document every node writes. It is one IRI for all
// nodes, so that a JSON-LD processor sees the same properties from each;
// every node serves the context defining its terms at /ns.
//
// Nodes before it bound colmena: to their own http(s)://HOST/ns#. Their
// documents are read as before: the node reads the compact names
// ("colmena:remote"), whatever IRI the prefix stands for.
const Namespace = "https://colmena.coop/ns#"

// nsTerms are Colmena's terms: name → how the context defines it.
func nsTerms() map[string]any {
	id := func(name string) map[string]string {
		return map[string]string{"@id": "colmena:" + name, "@type": "@id"}
	}
	typed := func(name, typ string) map[string]string {
		return map[string]string{"@id": "colmena:" + name, "@type": typ}
	}
	plain := func(name string) string { return "colmena:" + name }
	return map[string]any{
		// A Note's job opening, a schema.org JobPosting.
		"jobPosting": plain("jobPosting"),
		// A federation's collection of member co-ops.
		"members": id("members"),
		// A co-op's governance, in its words.
		"governance": plain("governance"),
		// How to apply to a job.
		"applyUrl":   id("applyUrl"),
		"applyEmail": plain("applyEmail"),
		// remote, hybrid or onsite.
		"remote": plain("remote"),
		// The window of hours a job needs: times HH:MM in an IANA zone.
		"coreHours":    plain("coreHours"),
		"timeZone":     plain("timeZone"),
		"start":        plain("start"),
		"end":          plain("end"),
		"hoursPerWeek": typed("hoursPerWeek", "http://www.w3.org/2001/XMLSchema#integer"),
		// trainee, junior, mid, senior or lead.
		"seniority": plain("seniority"),
		// Whether the job leads to membership of the co-op, after how
		// many months, and the capital a member contributes (a schema.org
		// MonetaryAmount; a value of 0 is none).
		"membership":          plain("membership"),
		"leadsToMembership":   typed("leadsToMembership", "http://www.w3.org/2001/XMLSchema#boolean"),
		"trialMonths":         typed("trialMonths", "http://www.w3.org/2001/XMLSchema#integer"),
		"capitalContribution": plain("capitalContribution"),
		// kind equal, or ratio with the highest pay over the lowest.
		"payPolicy": plain("payPolicy"),
		"kind":      plain("kind"),
		"ratio":     typed("ratio", "http://www.w3.org/2001/XMLSchema#decimal"),
		// assembly, sociocracy, elected_board or other.
		"decisions": plain("decisions"),
	}
}

// nsContext is the context document served at /ns: the prefixes and
// every colmena: term, also under its compact name ("colmena:remote"),
// as documents write them.
func nsContext() map[string]any {
	ctx := map[string]any{"colmena": Namespace, "sdo": SchemaOrg}
	for name, def := range nsTerms() {
		ctx[name] = def
		full := map[string]string{"@id": Namespace + name}
		if m, ok := def.(map[string]string); ok {
			full["@type"] = m["@type"]
		}
		ctx["colmena:"+name] = full
	}
	return map[string]any{"@context": ctx}
}

// namespace serves the JSON-LD context of Colmena's own terms.
func (f *Federation) namespace(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, "application/ld+json; charset=utf-8", nsContext())
}
