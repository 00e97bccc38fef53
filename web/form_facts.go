package web

import (
	"strconv"
	"strings"

	"github.com/colmena-coop/colmena/directory"
)

// factsFromForm reads the job form's eligibility, window of hours and
// co-op facts; what cannot be read is an error naming the field as the
// domain names it.
func factsFromForm(f map[string]string, j *directory.Job) error {
	j.Eligible = splitList(f["eligible"])
	zone, start, end := strings.TrimSpace(f["hours_zone"]), strings.TrimSpace(f["hours_start"]), strings.TrimSpace(f["hours_end"])
	if zone != "" || start != "" || end != "" {
		h := &directory.Hours{Zone: zone}
		var err error
		if start == "" {
			return directory.Invalid("hours.start", directory.CodeRequired)
		}
		if h.Start, err = directory.ParseClock("hours.start", start); err != nil {
			return err
		}
		if end == "" {
			return directory.Invalid("hours.end", directory.CodeRequired)
		}
		if h.End, err = directory.ParseClock("hours.end", end); err != nil {
			return err
		}
		j.Hours = h
	}
	if h := strings.TrimSpace(f["hours_per_week"]); h != "" {
		n, err := strconv.Atoi(h)
		if err != nil || n == 0 {
			return directory.Invalid("hours_per_week", directory.CodeHoursPerWeek, directory.MaxHoursPerWeek)
		}
		j.HoursPerWeek = n
	}
	j.Seniority, j.Decisions = strings.TrimSpace(f["seniority"]), strings.TrimSpace(f["decisions"])
	switch f["membership"] {
	case "yes", "no":
		m := &directory.Membership{LeadsToMembership: f["membership"] == "yes"}
		if t := strings.TrimSpace(f["trial_months"]); t != "" {
			n, err := strconv.Atoi(t)
			if err != nil {
				return directory.Invalid("membership.trial_months", directory.CodeTrialMonths, directory.MaxTrialMonths)
			}
			m.TrialMonths = n
		}
		amount, cur := strings.TrimSpace(f["capital_amount"]), strings.TrimSpace(f["capital_currency"])
		if amount != "" || cur != "" {
			n, err := strconv.ParseInt(amount, 10, 64)
			if amount == "" {
				n, err = 0, nil
			}
			if err != nil {
				return directory.Invalid("membership.capital_contribution.amount", directory.CodeCapital)
			}
			m.Capital = &directory.Capital{Amount: n, Currency: strings.ToUpper(cur)}
		}
		j.Membership = m
	}
	switch f["pay_policy"] {
	case directory.PayEqual:
		j.PayPolicy = &directory.PayPolicy{Kind: directory.PayEqual}
	case directory.PayRatio:
		r, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(f["pay_ratio"]), ",", "."), 64)
		if err != nil {
			return directory.Invalid("pay_policy.ratio", directory.CodePayRatio, directory.MaxPayRatio)
		}
		j.PayPolicy = &directory.PayPolicy{Kind: directory.PayRatio, Ratio: r}
	}
	return nil
}

// factsForm fills the job form's facts from a stored job.
func factsForm(j *directory.Job, f map[string]string) {
	if j.Remote == directory.RemoteFull {
		f["eligible"] = strings.Join(j.Eligible, ", ")
	}
	if h := j.Hours; h != nil {
		f["hours_zone"], f["hours_start"], f["hours_end"] = h.Zone, directory.Clock(h.Start), directory.Clock(h.End)
	}
	if j.HoursPerWeek > 0 {
		f["hours_per_week"] = strconv.Itoa(j.HoursPerWeek)
	}
	f["seniority"], f["decisions"] = j.Seniority, j.Decisions
	if m := j.Membership; m != nil {
		f["membership"] = "no"
		if m.LeadsToMembership {
			f["membership"] = "yes"
		}
		if m.TrialMonths > 0 {
			f["trial_months"] = strconv.Itoa(m.TrialMonths)
		}
		if c := m.Capital; c != nil {
			f["capital_amount"], f["capital_currency"] = strconv.FormatInt(c.Amount, 10), c.Currency
		}
	}
	if p := j.PayPolicy; p != nil {
		f["pay_policy"] = p.Kind
		if p.Kind == directory.PayRatio {
			f["pay_ratio"] = strconv.FormatFloat(p.Ratio, 'f', -1, 64)
		}
	}
}
