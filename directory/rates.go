package directory

import (
	"context"
	"log/slog"
	"math"
	"slices"
	"strings"
	"time"
)

// Pay you can compare: every salary keeps its own currency and period,
// and gains a figure per month in one currency, converted with dated
// exchange rates. Stores keep each job's monthly pay twice, in hundredths
// (cents) so that rounding stays out of the way: in its own currency
// (SalaryCents, needing no rate) and in the rates' base currency (BaseCents,
// absent when its currency has no rate), so that searches can filter and
// sort by it. Both are of the top of the range: a job whose range reaches
// a seeker's minimum is shown, as job boards do, and jobs are ordered by
// the most they can pay.

// Rates are dated exchange rates: one unit of Base buys PerBase[c] units of
// currency c. The base itself is not in PerBase; its rate is 1.
type Rates struct {
	Base    string
	Date    time.Time // the day the rates are of, midnight UTC
	Source  string
	PerBase map[string]float64
}

// Limits on a rates document.
const (
	MaxRates      = 400
	MaxRateSource = 200
	// MaxRate bounds a rate: no currency is worth a trillionth of another.
	MaxRate = 1e12
	// RatesMaxAge is how old rates may be when they are set or fetched.
	RatesMaxAge = 14 * 24 * time.Hour
	// RatesStaleAge is the age from which pages warn that rates are old.
	RatesStaleAge = 7 * 24 * time.Hour
)

// DefaultHoursPerWeek is the working week hourly pay is counted over.
const DefaultHoursPerWeek = 40

// hoursPerWeek is the working week of a job, for hourly pay: the hours
// it states, else DefaultHoursPerWeek.
func hoursPerWeek(j *Job) int {
	if j.HoursPerWeek > 0 {
		return j.HoursPerWeek
	}
	return DefaultHoursPerWeek
}

// MaxMonthlyPay is the most a salary may be, per month in its currency.
const MaxMonthlyPay = 1_000_000_000

// RatesDateLayout is how a rates document writes its date.
const RatesDateLayout = "2006-01-02"

// Rate is how many units of c one base unit buys; the base's is 1.
func (r *Rates) Rate(c string) (float64, bool) {
	if r == nil || r.Base == "" {
		return 0, false
	}
	if c == r.Base {
		return 1, true
	}
	v, ok := r.PerBase[c]
	return v, ok && v > 0
}

// Empty reports whether no rates are set.
func (r *Rates) Empty() bool { return r == nil || r.Base == "" }

// Currencies lists the currencies the rates convert, base included, in
// code order.
func (r *Rates) Currencies() []string {
	if r.Empty() {
		return nil
	}
	out := []string{r.Base}
	for c := range r.PerBase {
		out = append(out, c)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Stale reports whether the rates are older than RatesStaleAge at now.
func (r *Rates) Stale(now time.Time) bool {
	return !r.Empty() && now.Sub(r.Date) > RatesStaleAge
}

// MonthlyCents is an amount paid per period, as hundredths per month in
// the same currency, rounded half up: an hour is a 52nd of a year of
// weeks of hoursPerWeek hours, a year is twelve months. Integer
// arithmetic, so that every engine's migration computes the same figure.
func MonthlyCents(amount int64, period string, hoursPerWeek int) int64 {
	switch period {
	case PerMonth:
		return amount * 100
	case PerYear:
		return (amount*100 + 6) / 12
	case PerHour:
		return (amount*100*int64(hoursPerWeek)*52 + 6) / 12
	}
	return 0
}

// monthlyFactor turns pay per period into pay per month.
func monthlyFactor(period string, hoursPerWeek int) float64 {
	switch period {
	case PerYear:
		return 1.0 / 12
	case PerHour:
		return float64(hoursPerWeek) * 52 / 12
	}
	return 1
}

// maxCents bounds a converted figure, whatever the rates.
const maxCents = 1e18

// SalaryCents is the top of a job's pay range per month in its own
// currency, in hundredths; 0 when it states no salary.
func SalaryCents(j *Job) int64 {
	if j.Salary == nil {
		return 0
	}
	return MonthlyCents(j.Salary.Max, j.Salary.Period, hoursPerWeek(j))
}

// BaseCents converts hundredths of currency c into hundredths of the
// base, rounded to the nearest; false when c has no rate.
func (r *Rates) BaseCents(cents int64, c string) (int64, bool) {
	rate, ok := r.Rate(c)
	if !ok {
		return 0, false
	}
	return int64(min(math.Round(float64(cents)/rate), maxCents)), true
}

// JobBaseCents is the top of a job's pay range per month in the base
// currency, in hundredths; false without a salary or a rate for it.
func (r *Rates) JobBaseCents(j *Job) (int64, bool) {
	if j.Salary == nil {
		return 0, false
	}
	return r.BaseCents(SalaryCents(j), j.Salary.Currency)
}

// Pay is a salary converted for a reader: per month and per year in one
// currency, in whole units rounded to the nearest, at the rates of
// RatesDate.
type Pay struct {
	Currency           string
	MonthMin, MonthMax int64
	YearMin, YearMax   int64
	RatesDate          time.Time
	// Stale says the rates are older than RatesStaleAge.
	Stale bool
}

// Normalize converts a job's salary into currency to, per month and per
// year; false when it states none or a rate is missing. now decides
// whether the rates are stale.
func (r *Rates) Normalize(j *Job, to string, now time.Time) (*Pay, bool) {
	s := j.Salary
	if s == nil {
		return nil, false
	}
	from, ok := r.Rate(s.Currency)
	if !ok {
		return nil, false
	}
	into, ok := r.Rate(to)
	if !ok {
		return nil, false
	}
	f := monthlyFactor(s.Period, hoursPerWeek(j)) / from * into
	round := func(x float64) int64 { return int64(min(math.Round(x), maxCents)) }
	lo, hi := float64(s.Min)*f, float64(s.Max)*f
	return &Pay{Currency: to, MonthMin: round(lo), MonthMax: round(hi), YearMin: round(lo * 12), YearMax: round(hi * 12),
		RatesDate: r.Date, Stale: r.Stale(now)}, true
}

// PayFloor is a seeker's minimum pay, as a search filters by it: Amount
// per Period in Currency. The service fills in what stores compare.
type PayFloor struct {
	Amount   int64
	Currency string
	Period   string
	// Cents is the floor per month in its currency, in hundredths: it
	// is compared with jobs in that currency when it has no rate.
	Cents int64
	// BaseCents is the floor per month in the base currency, when
	// HasBase: then it is compared with every job's.
	BaseCents int64
	HasBase   bool
}

// resolve fills in what stores compare.
func (f *PayFloor) resolve(r *Rates) {
	f.Cents = MonthlyCents(f.Amount, f.Period, DefaultHoursPerWeek)
	f.BaseCents, f.HasBase = r.BaseCents(f.Cents, f.Currency)
}

// CheckPayFloor checks a seeker's minimum pay as the search parameters
// salary_min, salary_currency and salary_period give it; period defaults
// to a month.
func CheckPayFloor(f *PayFloor) error {
	if f.Amount <= 0 {
		return Invalid("salary_min", CodeAmount)
	}
	var err error
	if f.Currency, err = NormalizeCurrency("salary_currency", f.Currency); err != nil {
		return err
	}
	switch f.Period {
	case "":
		f.Period = PerMonth
	case PerHour, PerMonth, PerYear:
	default:
		return Invalid("salary_period", CodePeriodValue, f.Period)
	}
	if MonthlyCents(min(f.Amount, MaxMonthlyPay*100), f.Period, DefaultHoursPerWeek) > MaxMonthlyPay*100 {
		return Invalid("salary_min", CodeSalaryLarge)
	}
	return nil
}

// ValidateRates checks a rates document and normalises its codes: a base
// currency, a date neither in the future nor older than RatesMaxAge at
// now, and a positive, finite rate for each currency, the base's own, if
// given, 1.
func ValidateRates(r *Rates, now time.Time) error {
	var err error
	if r.Base, err = NormalizeCurrency("base", r.Base); err != nil {
		return err
	}
	if r.Date.IsZero() {
		return Invalid("date", CodeRequired)
	}
	r.Date = time.Date(r.Date.Year(), r.Date.Month(), r.Date.Day(), 0, 0, 0, 0, time.UTC)
	day := r.Date.Format(RatesDateLayout)
	// A day later than today anywhere on Earth is in the future.
	if r.Date.After(now.UTC().Add(14 * time.Hour)) {
		return Invalid("date", CodeRatesFuture, day)
	}
	if now.Sub(r.Date) > RatesMaxAge {
		return Invalid("date", CodeRatesStale, day, int(RatesMaxAge/(24*time.Hour)))
	}
	if err := checkText("source", r.Source, MaxRateSource, false); err != nil {
		return err
	}
	if len(r.PerBase) > MaxRates {
		return Invalid("rates", CodeTooMany, len(r.PerBase), MaxRates)
	}
	keys := make([]string, 0, len(r.PerBase))
	for c := range r.PerBase {
		keys = append(keys, c)
	}
	slices.Sort(keys)
	out := make(map[string]float64, len(keys))
	for _, k := range keys {
		field := "rates." + Clip(strings.TrimSpace(k), 10)
		c, err := NormalizeCurrency(field, k)
		if err != nil {
			return err
		}
		field = "rates." + c
		v := r.PerBase[k]
		if _, dup := out[c]; dup {
			return Invalid(field, CodeRateTwice)
		}
		if math.IsNaN(v) || math.IsInf(v, 0) || v <= 0 || v > MaxRate {
			return Invalid(field, CodeRate)
		}
		if c == r.Base {
			if v != 1 {
				return Invalid(field, CodeRateBase)
			}
			continue
		}
		out[c] = v
	}
	r.PerBase = out
	return nil
}

// Rates returns the exchange rates in use; empty Rates when none are set.
func (s *Service) Rates(ctx context.Context) (*Rates, error) {
	return s.store.Rates(ctx)
}

// SetRates replaces the exchange rates in use, as the node's admin sets
// them; every job's pay in the base currency follows in the same
// transaction.
func (s *Service) SetRates(ctx context.Context, p Principal, r Rates) (*Rates, error) {
	if err := p.CheckAdmin(); err != nil {
		return nil, err
	}
	if err := s.putRates(ctx, &r); err != nil {
		return nil, err
	}
	s.Audit(ctx, p, "rates.set", r.Base, r.Date.Format(RatesDateLayout)+" "+r.Source)
	return s.store.Rates(ctx)
}

// ImportRates replaces the exchange rates with a document the node
// fetched from its configured rates URL.
func (s *Service) ImportRates(ctx context.Context, r Rates) error {
	if err := s.putRates(ctx, &r); err != nil {
		return err
	}
	e := &AuditEntry{At: s.clock(), Actor: "rates URL", Action: "rates.fetch", Target: r.Base,
		Detail: r.Date.Format(RatesDateLayout) + " " + r.Source}
	if err := s.store.AddAudit(context.WithoutCancel(ctx), e); err != nil {
		s.log.ErrorContext(ctx, "could not write the audit log", slog.String("action", e.Action), slog.Any("error", err))
	}
	return nil
}

func (s *Service) putRates(ctx context.Context, r *Rates) error {
	if err := ValidateRates(r, s.clock()); err != nil {
		return err
	}
	return s.store.ReplaceRates(ctx, r)
}

// RatesOf makes Rates of a rates document's fields, as the API and the
// fetcher read them: the date must be YYYY-MM-DD; the rest is checked by
// ValidateRates.
func RatesOf(base, date, source string, perBase map[string]float64) (Rates, error) {
	r := Rates{Base: base, Source: source, PerBase: perBase}
	if date == "" {
		return r, Invalid("date", CodeRequired)
	}
	d, err := time.Parse(RatesDateLayout, date)
	if err != nil {
		return r, Invalid("date", CodeRatesDate, Clip(date, 40))
	}
	r.Date = d
	return r, nil
}
