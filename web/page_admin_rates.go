package web

import (
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

// ratesView is the exchange rates in use, for the console.
type ratesView struct {
	Base, Date, Source string
	Count              int
	Stale              bool
}

// ratesValues fills the rates form with the rates in use: one line a
// currency, "ARS 1050.5".
func ratesValues(r *directory.Rates, now time.Time) map[string]string {
	vals := map[string]string{"rates_base": "USD", "rates_date": now.UTC().Format(directory.RatesDateLayout)}
	if r.Empty() {
		return vals
	}
	var lines []string
	for _, c := range slices.Sorted(maps.Keys(r.PerBase)) {
		lines = append(lines, c+" "+strconv.FormatFloat(r.PerBase[c], 'f', -1, 64))
	}
	vals["rates_base"], vals["rates_source"], vals["rates_lines"] = r.Base, r.Source, strings.Join(lines, "\n")
	return vals
}

// parseRateLines reads the rates form's lines: a currency code and how
// many of it one base unit buys, such as "ARS 1050.5" or "EUR = 0.92".
func parseRateLines(text string) (map[string]float64, error) {
	out := map[string]float64{}
	for line := range strings.SplitSeq(text, "\n") {
		f := strings.FieldsFunc(line, func(r rune) bool { return r == ' ' || r == '\t' || r == '=' || r == ':' || r == '\r' })
		if len(f) == 0 {
			continue
		}
		if len(f) != 2 {
			return nil, directory.Invalid("rates", directory.CodeRateLine, directory.Clip(strings.TrimSpace(line), 40))
		}
		code := strings.ToUpper(f[0])
		v, err := strconv.ParseFloat(strings.ReplaceAll(f[1], ",", "."), 64)
		if err != nil {
			return nil, directory.Invalid("rates."+directory.Clip(code, 10), directory.CodeRate)
		}
		if _, dup := out[code]; dup {
			return nil, directory.Invalid("rates."+code, directory.CodeRateTwice)
		}
		out[code] = v
	}
	return out, nil
}

// adminRates replaces the exchange rates with the console's form.
func (s *Server) adminRates(w http.ResponseWriter, r *http.Request) error {
	v := s.requireAdminUser(w, r)
	if v == nil {
		return nil
	}
	vals := map[string]string{"rates_base": r.PostFormValue("base"), "rates_date": r.PostFormValue("date"),
		"rates_source": r.PostFormValue("source"), "rates_lines": r.PostFormValue("rates")}
	p := &adminPage{Errors: formErrors{}, Form: "rates", Values: vals}
	per, err := parseRateLines(vals["rates_lines"])
	if err == nil {
		in := ratesJSON{Base: vals["rates_base"], Date: strings.TrimSpace(vals["rates_date"]), Source: strings.TrimSpace(vals["rates_source"]), Rates: per}
		var rates directory.Rates
		if rates, err = in.rates(); err == nil {
			_, err = s.svc.SetRates(r.Context(), v.User.Principal(), rates)
		}
	}
	if err != nil {
		return s.formFailed(r, err, func(errs formErrors) {
			// A currency's line is faulted beside the lines' field.
			for f, m := range errs {
				if code, ok := strings.CutPrefix(f, "rates."); ok {
					delete(errs, f)
					errs["rates"] = code + ": " + m
				}
			}
			// The checks stop at the first problem: the fields checked
			// on their own tell theirs too.
			l := s.locales.forRequest(r)
			if _, e := directory.NormalizeCurrency("base", vals["rates_base"]); e != nil && errs["base"] == "" {
				errs["base"] = l.fieldMessage(e)
			}
			if _, e := parseRateLines(vals["rates_lines"]); e != nil && errs["rates"] == "" {
				errs["rates"] = l.fieldMessage(e)
			}
			maps.Copy(p.Errors, errs)
			s.renderAdmin(w, r, v, http.StatusBadRequest, p)
		})
	}
	l := s.locales.forRequest(r)
	s.renderAdmin(w, r, v, http.StatusOK, &adminPage{Errors: formErrors{}, Part: "rates", Notice: l.T("admin.rates_saved")})
	return nil
}
