package web

import (
	"encoding/json"

	"github.com/colmena-coop/colmena/directory"
)

// The JSON of where applicants may work from, the window of hours and the
// co-op facts of a job. A fact not stated is null.

type hoursJSON struct {
	Zone  string `json:"zone"`
	Start string `json:"start"`
	End   string `json:"end"`
}

type capitalJSON struct {
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
}

type membershipJSON struct {
	LeadsToMembership bool         `json:"leads_to_membership"`
	TrialMonths       int          `json:"trial_months"`
	Capital           *capitalJSON `json:"capital_contribution"`
}

type payPolicyJSON struct {
	Kind  string   `json:"kind"`
	Ratio *float64 `json:"ratio,omitempty"`
}

// factsJSON are the job fields that say where, when and how a co-op
// works, shared by a job's output and its creation.
type factsJSON struct {
	Eligible     []string        `json:"eligible"`
	Hours        *hoursJSON      `json:"hours"`
	HoursPerWeek *int            `json:"hours_per_week"`
	Seniority    *string         `json:"seniority"`
	Membership   *membershipJSON `json:"membership"`
	PayPolicy    *payPolicyJSON  `json:"pay_policy"`
	Decisions    *string         `json:"decisions"`
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func factsOut(j *directory.Job) factsJSON {
	out := factsJSON{Eligible: j.Eligible, Seniority: nonEmpty(j.Seniority), Decisions: nonEmpty(j.Decisions)}
	if out.Eligible == nil {
		out.Eligible = []string{}
	}
	if h := j.Hours; h != nil {
		out.Hours = &hoursJSON{Zone: h.Zone, Start: directory.Clock(h.Start), End: directory.Clock(h.End)}
	}
	if j.HoursPerWeek > 0 {
		n := j.HoursPerWeek
		out.HoursPerWeek = &n
	}
	if m := j.Membership; m != nil {
		out.Membership = &membershipJSON{LeadsToMembership: m.LeadsToMembership, TrialMonths: m.TrialMonths}
		if c := m.Capital; c != nil {
			out.Membership.Capital = &capitalJSON{Amount: c.Amount, Currency: c.Currency}
		}
	}
	if p := j.PayPolicy; p != nil {
		out.PayPolicy = &payPolicyJSON{Kind: p.Kind}
		if p.Kind == directory.PayRatio {
			r := p.Ratio
			out.PayPolicy.Ratio = &r
		}
	}
	return out
}

func (in *hoursJSON) hours() (*directory.Hours, error) {
	if in == nil {
		return nil, nil
	}
	if in.Start == "" {
		return nil, directory.Invalid("hours.start", directory.CodeRequired)
	}
	if in.End == "" {
		return nil, directory.Invalid("hours.end", directory.CodeRequired)
	}
	start, err := directory.ParseClock("hours.start", in.Start)
	if err != nil {
		return nil, err
	}
	end, err := directory.ParseClock("hours.end", in.End)
	if err != nil {
		return nil, err
	}
	return &directory.Hours{Zone: in.Zone, Start: start, End: end}, nil
}

func (in *membershipJSON) membership() *directory.Membership {
	if in == nil {
		return nil
	}
	m := &directory.Membership{LeadsToMembership: in.LeadsToMembership, TrialMonths: in.TrialMonths}
	if c := in.Capital; c != nil {
		m.Capital = &directory.Capital{Amount: c.Amount, Currency: c.Currency}
	}
	return m
}

func (in *payPolicyJSON) payPolicy() *directory.PayPolicy {
	if in == nil {
		return nil
	}
	p := &directory.PayPolicy{Kind: in.Kind}
	if in.Ratio != nil {
		p.Ratio = *in.Ratio
	}
	return p
}

// apply sets the facts of a job being created.
func (in factsJSON) apply(j *directory.Job) error {
	var err error
	j.Eligible = in.Eligible
	if j.Hours, err = in.Hours.hours(); err != nil {
		return err
	}
	if in.HoursPerWeek != nil {
		j.HoursPerWeek = *in.HoursPerWeek
		if j.HoursPerWeek == 0 {
			return directory.Invalid("hours_per_week", directory.CodeHoursPerWeek, directory.MaxHoursPerWeek)
		}
	}
	if in.Seniority != nil {
		j.Seniority = *in.Seniority
	}
	if in.Decisions != nil {
		j.Decisions = *in.Decisions
	}
	j.Membership = in.Membership.membership()
	j.PayPolicy = in.PayPolicy.payPolicy()
	return nil
}

// factsPatchJSON are the facts of PATCH /api/v1/jobs/{id}: a field left
// out stays, null removes the fact.
type factsPatchJSON struct {
	Eligible     *[]string       `json:"eligible"`
	Hours        json.RawMessage `json:"hours"`
	HoursPerWeek json.RawMessage `json:"hours_per_week"`
	Seniority    json.RawMessage `json:"seniority"`
	Membership   json.RawMessage `json:"membership"`
	PayPolicy    json.RawMessage `json:"pay_policy"`
	Decisions    json.RawMessage `json:"decisions"`
}

// decodeField decodes one field of a patch into v, reporting whether it
// was given and whether it was null. Errors name the field.
func decodeField(field string, raw json.RawMessage, v any) (given, null bool, err error) {
	if len(raw) == 0 {
		return false, false, nil
	}
	if string(raw) == "null" {
		return true, true, nil
	}
	if err := decodeStrict(raw, v); err != nil {
		if de, ok := err.(*directory.Error); ok {
			if de.Field != "" && de.Field != "body" {
				de.Field = field + "." + de.Field
			} else {
				de.Field = field
			}
		}
		return true, false, err
	}
	return true, false, nil
}

func (in factsPatchJSON) apply(p *directory.JobPatch) error {
	p.Eligible = in.Eligible
	var h hoursJSON
	given, null, err := decodeField("hours", in.Hours, &h)
	if err != nil {
		return err
	}
	if given {
		p.SetHours = true
		if !null {
			if p.Hours, err = h.hours(); err != nil {
				return err
			}
		}
	}
	var n int
	if given, null, err = decodeField("hours_per_week", in.HoursPerWeek, &n); err != nil {
		return err
	} else if given {
		if !null && n == 0 {
			return directory.Invalid("hours_per_week", directory.CodeHoursPerWeek, directory.MaxHoursPerWeek)
		}
		p.HoursPerWeek = &n
	}
	for _, f := range []struct {
		name string
		raw  json.RawMessage
		dst  **string
	}{{"seniority", in.Seniority, &p.Seniority}, {"decisions", in.Decisions, &p.Decisions}} {
		var s string
		if given, _, err := decodeField(f.name, f.raw, &s); err != nil {
			return err
		} else if given {
			*f.dst = &s
		}
	}
	var m membershipJSON
	if given, null, err = decodeField("membership", in.Membership, &m); err != nil {
		return err
	} else if given {
		p.SetMembership = true
		if !null {
			p.Membership = m.membership()
		}
	}
	var pp payPolicyJSON
	if given, null, err = decodeField("pay_policy", in.PayPolicy, &pp); err != nil {
		return err
	} else if given {
		p.SetPayPolicy = true
		if !null {
			p.PayPolicy = pp.payPolicy()
		}
	}
	return nil
}
