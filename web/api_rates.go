package web

import (
	"net/http"

	"github.com/colmena-coop/colmena/directory"
)

// ratesJSON is a rates document: one unit of base buys rates[c] units of
// currency c, as of date (YYYY-MM-DD), according to source. GET
// /api/v1/rates answers it, PUT /api/v1/admin/rates takes it, and
// --rates-url serves it.
type ratesJSON struct {
	Base   string             `json:"base"`
	Date   string             `json:"date"`
	Source string             `json:"source"`
	Rates  map[string]float64 `json:"rates"`
}

func ratesOut(r *directory.Rates) ratesJSON {
	out := ratesJSON{Base: r.Base, Date: r.Date.Format(directory.RatesDateLayout), Source: r.Source, Rates: map[string]float64{}}
	for c, v := range r.PerBase {
		out.Rates[c] = v
	}
	return out
}

func (in ratesJSON) rates() (directory.Rates, error) {
	return directory.RatesOf(in.Base, in.Date, in.Source, in.Rates)
}

func (s *Server) getRates(w http.ResponseWriter, r *http.Request) error {
	rates, err := s.svc.Rates(r.Context())
	if err != nil {
		return err
	}
	if rates.Empty() {
		return directory.NotFoundf("no exchange rates are set on this node")
	}
	writeJSON(w, http.StatusOK, ratesOut(rates))
	return nil
}

func (s *Server) putRates(w http.ResponseWriter, r *http.Request) error {
	var in ratesJSON
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	rates, err := in.rates()
	if err != nil {
		return err
	}
	out, err := s.svc.SetRates(r.Context(), principal(r), rates)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ratesOut(out))
	return nil
}
