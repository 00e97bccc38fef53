package federation

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

// Exchange rates from the node's configured rates URL: fetched when the
// worker starts and then once a day, through the same outbound client as
// everything else (private addresses refused unless allowed). A document
// that cannot be read, is malformed or stale is logged and changes
// nothing: the last good rates stay.

// MaxRatesDocument is the largest rates document the node reads.
const MaxRatesDocument = 256 << 10

// Defaults of the rates fetch.
const (
	DefaultRatesEvery = 24 * time.Hour
	// ratesRetry is how soon a failed fetch is tried again, at most.
	ratesRetry = time.Hour
)

// ratesDocument is the documented shape of a rates document: one unit of
// base buys rates[c] units of currency c, as of date (YYYY-MM-DD).
// Other fields are ignored.
type ratesDocument struct {
	Base   string             `json:"base"`
	Date   string             `json:"date"`
	Source string             `json:"source"`
	Rates  map[string]float64 `json:"rates"`
}

// parseRates reads a rates document; validation is the directory's.
func parseRates(b []byte) (directory.Rates, error) {
	var doc ratesDocument
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&doc); err != nil {
		return directory.Rates{}, fmt.Errorf("the document is not a rates document: %w", err)
	}
	if dec.More() {
		return directory.Rates{}, fmt.Errorf("the document has data after its JSON object")
	}
	return directory.RatesOf(doc.Base, doc.Date, doc.Source, doc.Rates)
}

// FetchRates fetches the rates document at url and puts it in use.
func (f *Federation) FetchRates(ctx context.Context, url string) error {
	body, err := f.client.GetJSON(ctx, url, "application/json")
	if err != nil {
		return err
	}
	if len(body) > MaxRatesDocument {
		return fmt.Errorf("the rates document is %d bytes, more than %d", len(body), MaxRatesDocument)
	}
	r, err := parseRates(body)
	if err != nil {
		return err
	}
	if err := f.svc.ImportRates(ctx, r); err != nil {
		return err
	}
	f.log.InfoContext(ctx, "exchange rates updated", slog.String("url", url), slog.String("base", r.Base),
		slog.String("date", r.Date.Format(directory.RatesDateLayout)), slog.Int("currencies", len(r.PerBase)))
	return nil
}

// ratesLoop fetches the rates URL at once and then every ratesEvery;
// after a failure, sooner.
func (f *Federation) ratesLoop(ctx context.Context) {
	if f.ratesURL == "" {
		return
	}
	for {
		wait := f.ratesEvery
		if err := f.FetchRates(ctx, f.ratesURL); err != nil {
			if ctx.Err() != nil {
				return
			}
			wait = min(wait, ratesRetry)
			f.log.ErrorContext(ctx, "fetching exchange rates; the last good rates stay", slog.String("url", f.ratesURL),
				slog.Any("error", err), slog.Duration("retry_in", wait))
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}
