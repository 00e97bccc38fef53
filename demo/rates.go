package demo

import (
	"context"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

// RatesDate is the day of the demo's exchange rates.
var RatesDate = time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)

// Rates is the demo's dated table of exchange rates, a US dollar in each
// currency the demo's salaries are paid in, close to the markets of late
// 2026. Pages warn once it is more than a week old, as they would of any
// node's rates.
func Rates() directory.Rates {
	return directory.Rates{Base: "USD", Date: RatesDate, Source: "Colmena demo table (fictional)", PerBase: map[string]float64{
		"ARS": 1052.6, "AUD": 1.54, "BRL": 5.35, "CAD": 1.39, "CHF": 0.88, "CLP": 935, "COP": 4050,
		"EUR": 0.92, "GBP": 0.79, "INR": 84.5, "JPY": 152.3, "KES": 129.3, "MXN": 18.2, "NZD": 1.72, "PLN": 3.95,
		"SEK": 10.6, "UYU": 40.1, "ZAR": 17.9,
	}}
}

// SeedRates puts the demo's rates in use in st unless it has rates
// already. They are checked as of their own date: the table ships with
// the demo and may be older than a node would accept from its admin.
func SeedRates(ctx context.Context, st directory.Store) error {
	cur, err := st.Rates(ctx)
	if err != nil || !cur.Empty() {
		return err
	}
	r := Rates()
	if err := directory.ValidateRates(&r, r.Date); err != nil {
		return err
	}
	return st.ReplaceRates(ctx, &r)
}
