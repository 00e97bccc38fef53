package directory

import "math"

// What a co-op's opening tells that job boards do not model: the way to
// membership, pay policy, hours, seniority and how the co-op decides.
// Every fact is optional; the zero value means "not stated".

// Seniority levels of a job.
const (
	Trainee = "trainee"
	Junior  = "junior"
	Mid     = "mid"
	Senior  = "senior"
	Lead    = "lead"
)

// SeniorityLevels lists the seniority levels, most junior first.
func SeniorityLevels() []string { return []string{Trainee, Junior, Mid, Senior, Lead} }

// Ways a co-op decides.
const (
	DecideAssembly     = "assembly"
	DecideSociocracy   = "sociocracy"
	DecideElectedBoard = "elected_board"
	DecideOther        = "other"
)

// DecisionKinds lists the ways a co-op may decide.
func DecisionKinds() []string {
	return []string{DecideAssembly, DecideSociocracy, DecideElectedBoard, DecideOther}
}

// Pay policy kinds.
const (
	PayEqual = "equal"
	PayRatio = "ratio"
)

// PayPolicy is how a co-op spreads pay: the same for everyone, or within
// a stated ratio of the highest pay to the lowest.
type PayPolicy struct {
	Kind  string
	Ratio float64 // for PayRatio: above 1, at most MaxPayRatio
}

// Membership says whether a job leads to membership of the co-op, after
// how long, and what capital a member contributes.
type Membership struct {
	LeadsToMembership bool
	TrialMonths       int      // months before membership; 0 when none or not stated
	Capital           *Capital // nil when not stated; an Amount of 0 is none
}

// Capital is a member's capital contribution, in whole units of an ISO
// 4217 currency.
type Capital struct {
	Amount   int64
	Currency string
}

// Limits of the facts.
const (
	MaxHoursPerWeek = 80
	MaxTrialMonths  = 36
	MaxPayRatio     = 100
	MaxCapital      = 1_000_000_000_000
)

// validateFacts checks a job's co-op facts and normalises them.
func validateFacts(j *Job) error {
	if j.HoursPerWeek != 0 && (j.HoursPerWeek < 1 || j.HoursPerWeek > MaxHoursPerWeek) {
		return Invalid("hours_per_week", CodeHoursPerWeek, MaxHoursPerWeek)
	}
	if j.Seniority != "" && !oneOf(j.Seniority, SeniorityLevels()) {
		return Invalid("seniority", CodeSeniority, Clip(j.Seniority, 40))
	}
	if j.Decisions != "" && !oneOf(j.Decisions, DecisionKinds()) {
		return Invalid("decisions", CodeDecisions, Clip(j.Decisions, 40))
	}
	if p := j.PayPolicy; p != nil {
		switch p.Kind {
		case PayEqual:
			if p.Ratio != 0 && p.Ratio != 1 {
				return Invalid("pay_policy.ratio", CodePayEqualRatio)
			}
			p.Ratio = 0
		case PayRatio:
			if math.IsNaN(p.Ratio) || p.Ratio <= 1 || p.Ratio > MaxPayRatio {
				return Invalid("pay_policy.ratio", CodePayRatio, MaxPayRatio)
			}
			p.Ratio = math.Round(p.Ratio*100) / 100
		case "":
			return Invalid("pay_policy.kind", CodePayKind)
		default:
			return Invalid("pay_policy.kind", CodePayKindValue, Clip(p.Kind, 40))
		}
	}
	if m := j.Membership; m != nil {
		if m.TrialMonths < 0 || m.TrialMonths > MaxTrialMonths {
			return Invalid("membership.trial_months", CodeTrialMonths, MaxTrialMonths)
		}
		if !m.LeadsToMembership && m.TrialMonths != 0 {
			return Invalid("membership.trial_months", CodeNotMembership)
		}
		if c := m.Capital; c != nil {
			if !m.LeadsToMembership {
				return Invalid("membership.capital_contribution", CodeNotMembership)
			}
			if c.Amount < 0 || c.Amount > MaxCapital {
				return Invalid("membership.capital_contribution.amount", CodeCapital)
			}
			if c.Amount > 0 || c.Currency != "" {
				cur, err := NormalizeCurrency("membership.capital_contribution.currency", c.Currency)
				if err != nil {
					return err
				}
				c.Currency = cur
			}
		}
	}
	return nil
}

func oneOf(v string, set []string) bool {
	for _, s := range set {
		if s == v {
			return true
		}
	}
	return false
}

// DropInvalidFacts leaves out, one by one, the window of hours and the
// co-op facts of a job that do not validate: what another node sends is
// checked like local input, and a fact that fails is dropped, not the
// job. Where applicants may work from is checked by ValidateJob.
func DropInvalidFacts(j *Job) {
	probe := func(set func(p *Job)) bool {
		p := Job{}
		set(&p)
		return validateFacts(&p) == nil
	}
	if j.Hours != nil && ValidateHours("hours", j.Hours) != nil {
		j.Hours = nil
	}
	if !probe(func(p *Job) { p.HoursPerWeek = j.HoursPerWeek }) {
		j.HoursPerWeek = 0
	}
	if !probe(func(p *Job) { p.Seniority = j.Seniority }) {
		j.Seniority = ""
	}
	if !probe(func(p *Job) { p.Decisions = j.Decisions }) {
		j.Decisions = ""
	}
	if j.Membership != nil && !probe(func(p *Job) { p.Membership = j.Membership }) {
		j.Membership = nil
	}
	if j.PayPolicy != nil && !probe(func(p *Job) { p.PayPolicy = j.PayPolicy }) {
		j.PayPolicy = nil
	}
}
