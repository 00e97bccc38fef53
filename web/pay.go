package web

import (
	"context"
	"net/url"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

// DefaultCurrency is the currency pay is shown in when the node names
// none and the reader asks for none.
const DefaultCurrency = "USD"

// payView converts salaries for one reader: the rates in use, and the
// currency asked for with view_currency, else the node's.
type payView struct {
	rates    *directory.Rates
	currency string
	now      time.Time
}

// payView reads view_currency (400 when it is no currency) and the rates
// in use.
func (s *Server) payView(ctx context.Context, v url.Values) (payView, error) {
	pv := payView{currency: s.currency, now: s.now()}
	if c := v.Get("view_currency"); c != "" {
		var err error
		if pv.currency, err = directory.NormalizeCurrency("view_currency", c); err != nil {
			return pv, err
		}
	}
	var err error
	pv.rates, err = s.svc.Rates(ctx)
	return pv, err
}

// pay converts a job's salary; false when it has none or a rate is
// missing: a salary is never converted without its rate.
func (pv payView) pay(j *directory.Job) (*directory.Pay, bool) {
	if pv.rates == nil {
		return nil, false
	}
	return pv.rates.Normalize(j, pv.currency, pv.now)
}
