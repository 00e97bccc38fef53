package directory

import (
	"net/url"
	"strconv"
	"strings"
	"time"
)

// The parameters of a job search, as GET /api/v1/jobs, the search page,
// the feeds and the search actors take them.

// parseWithin reads posted_within: a number of days ("7d", or just "7") or
// a Go duration ("12h").
func parseWithin(s string) (time.Duration, error) {
	bad := Invalid("posted_within", CodePostedWithin, s)
	if n, err := strconv.Atoi(strings.TrimSuffix(s, "d")); err == nil {
		if n < 1 || n > 3650 {
			return 0, bad
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, bad
	}
	return d, nil
}

// payFloor reads a seeker's minimum pay: salary_min, in salary_currency
// (else view_currency, else cur) per salary_period (else a month). A
// currency or period given without a minimum is still checked.
func payFloor(v url.Values, cur string) (*PayFloor, error) {
	if c := v.Get("view_currency"); c != "" {
		cur = c
	}
	if c := v.Get("salary_currency"); c != "" {
		if _, err := NormalizeCurrency("salary_currency", c); err != nil {
			return nil, err
		}
		cur = c
	}
	switch p := v.Get("salary_period"); p {
	case "", PerHour, PerMonth, PerYear:
	default:
		return nil, Invalid("salary_period", CodePeriodValue, p)
	}
	m := strings.TrimSpace(v.Get("salary_min"))
	if m == "" {
		return nil, nil
	}
	n, err := strconv.ParseInt(m, 10, 64)
	if err != nil || n <= 0 {
		return nil, Invalid("salary_min", CodeAmount)
	}
	f := &PayFloor{Amount: n, Currency: cur, Period: v.Get("salary_period")}
	return f, CheckPayFloor(f)
}

// ParseJobQuery reads a job search from URL parameters, as the API, the search
// page and the feeds take them; cur is the currency a salary minimum is in
// when the parameters name none.
func ParseJobQuery(v url.Values, cur string) (JobQuery, error) {
	for _, m := range v["remote"] {
		switch m {
		case RemoteFull, RemoteHybrid, RemoteOnsite:
		default:
			return JobQuery{}, Invalid("remote", CodeRemoteValue, m)
		}
	}
	for _, t := range v["type"] {
		switch t {
		case FullTime, PartTime, Contract, Internship:
		default:
			return JobQuery{}, Invalid("type", CodeEmploymentTypeValue, t)
		}
	}
	q := JobQuery{
		Text:            ParseQuery(v.Get("q")),
		Countries:       UpperAll(v["country"]),
		Skills:          LowerAll(v["skill"]),
		Remote:          v["remote"],
		Languages:       TrimmedAll(v["language"]),
		Federations:     TrimmedAll(v["federation"]),
		Coops:           TrimmedAll(v["coop"]),
		Currencies:      UpperAll(v["currency"]),
		EmploymentTypes: v["type"],
		Sort:            v.Get("sort"),
		LiveIn:          strings.TrimSpace(v.Get("live_in")),
		City:            strings.TrimSpace(v.Get("city")),
		Zone:            strings.TrimSpace(v.Get("tz")),
		Seniority:       LowerAll(v["seniority"]),
	}
	var err error
	if err := seekerParams(v, &q); err != nil {
		return q, err
	}
	if pw := v.Get("posted_within"); pw != "" {
		if q.PostedWithin, err = parseWithin(pw); err != nil {
			return q, err
		}
	}
	if q.Limit, err = LimitParam(v.Get("limit")); err != nil {
		return q, err
	}
	if q.After, err = DecodeCursor(v.Get("cursor")); err != nil {
		return q, err
	}
	if q.Pay, err = payFloor(v, cur); err != nil {
		return q, err
	}
	return q, nil
}

// seekerParams reads the hours and membership a seeker asks for:
// overlap (whole hours), day_start and day_end (HH:MM, the seeker's
// working day) and leads_to_membership=true.
func seekerParams(v url.Values, q *JobQuery) error {
	if o := strings.TrimSpace(v.Get("overlap")); o != "" {
		n, err := strconv.Atoi(o)
		if err != nil || n < 0 || n > 24 {
			return Invalid("overlap", CodeOverlap, Clip(o, 20))
		}
		q.Overlap = n
	}
	ds, de := strings.TrimSpace(v.Get("day_start")), strings.TrimSpace(v.Get("day_end"))
	if ds != "" || de != "" {
		q.DayStart, q.DayEnd = DefaultDayStart, DefaultDayEnd
		var err error
		if ds != "" {
			if q.DayStart, err = ParseClock("day_start", ds); err != nil {
				return err
			}
		}
		if de != "" {
			if q.DayEnd, err = ParseClock("day_end", de); err != nil {
				return err
			}
		}
		if q.DayEnd <= q.DayStart {
			return Invalid("day_end", CodeWorkingDay)
		}
	}
	switch m := strings.TrimSpace(v.Get("leads_to_membership")); m {
	case "":
	case "true":
		q.LeadsToMembership = true
	default:
		return Invalid("leads_to_membership", CodeTrue, Clip(m, 20))
	}
	return nil
}

// UpperAll trims and upper-cases each value, dropping empty ones.
func UpperAll(vs []string) []string {
	out := make([]string, 0, len(vs))
	for _, v := range vs {
		if v = strings.ToUpper(strings.TrimSpace(v)); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// LowerAll trims and lower-cases each value, dropping empty ones.
func LowerAll(vs []string) []string {
	out := make([]string, 0, len(vs))
	for _, v := range vs {
		if v = strings.ToLower(strings.TrimSpace(v)); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// TrimmedAll trims each value, dropping empty ones.
func TrimmedAll(vs []string) []string {
	out := make([]string, 0, len(vs))
	for _, v := range vs {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// LimitParam reads a page size: empty for the default, else 1 to
// MaxLimit; anything else is invalid, naming limit.
func LimitParam(s string) (int, error) {
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > MaxLimit {
		return 0, Invalid("limit", CodeLimit, MaxLimit)
	}
	return n, nil
}
