package directory

import (
	"testing"
	"time"
)

func TestMonthlyCents(t *testing.T) {
	cases := []struct {
		amount int64
		period string
		want   int64
	}{
		{2500, PerMonth, 250000},
		{30000, PerYear, 250000},
		{1000, PerYear, 8333}, // 8,333.33…
		{10, PerYear, 83},     // 83.33…
		{1, PerYear, 8},       // 8.33…
		{15, PerHour, 260000}, // 15 × 40 × 52 / 12
		{1, PerHour, 17333},   // 173.33…
		{7, PerYear, 58},      // 58.33…
		{5, PerYear, 42},      // 41.67 rounds up
		{6, PerYear, 50},      // exactly 50
		{1, "week", 0},
	}
	for _, c := range cases {
		if got := MonthlyCents(c.amount, c.period, DefaultHoursPerWeek); got != c.want {
			t.Errorf("MonthlyCents(%d, %s) = %d, want %d", c.amount, c.period, got, c.want)
		}
	}
}

func TestNormalize(t *testing.T) {
	day := time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)
	r := &Rates{Base: "USD", Date: day, PerBase: map[string]float64{"ARS": 1050.5, "GBP": 0.79}}
	j := &Job{Salary: &Salary{Min: 2_000_000, Max: 2_000_000, Currency: "ARS", Period: PerMonth}}
	p, ok := r.Normalize(j, "USD", day.Add(24*time.Hour))
	if !ok || p.MonthMax != 1904 || p.YearMax != 22846 || p.Currency != "USD" || !p.RatesDate.Equal(day) || p.Stale {
		t.Fatalf("ARS in USD: %+v %v", p, ok)
	}
	j.Salary = &Salary{Min: 20, Max: 25, Currency: "USD", Period: PerHour}
	p, ok = r.Normalize(j, "GBP", day.Add(8*24*time.Hour))
	// 20 × 173.33 × 0.79 = 2,738.67; 25 × 173.33 × 0.79 = 3,423.33
	if !ok || p.MonthMin != 2739 || p.MonthMax != 3423 || p.YearMin != 32864 || p.YearMax != 41080 || !p.Stale {
		t.Fatalf("USD hourly in GBP: %+v %v", p, ok)
	}
	j.Salary = &Salary{Min: 24000, Max: 24000, Currency: "GBP", Period: PerYear}
	if p, ok = r.Normalize(j, "GBP", day); !ok || p.MonthMax != 2000 || p.YearMax != 24000 {
		t.Fatalf("GBP in GBP: %+v %v", p, ok)
	}
	for _, to := range []string{"EUR", ""} {
		if _, ok := r.Normalize(j, to, day); ok {
			t.Errorf("converted into %q without a rate", to)
		}
	}
	j.Salary.Currency = "UYU"
	if _, ok := r.Normalize(j, "USD", day); ok {
		t.Error("converted UYU without a rate")
	}
	if _, ok := (&Rates{}).Normalize(j, "UYU", day); ok {
		t.Error("converted with no rates")
	}
}

func TestSalaryLimits(t *testing.T) {
	job := func(s Salary) *Job {
		return &Job{Title: "T", Description: "D", Remote: RemoteFull, EmploymentType: FullTime, ApplyEmail: "a@b.example", Salary: &s}
	}
	cases := []struct {
		s     Salary
		field string
	}{
		{Salary{Min: 1_000_000_000, Currency: "ARS", Period: PerMonth}, ""},
		{Salary{Min: 1_000_000_001, Currency: "ARS", Period: PerMonth}, "salary.min"},
		{Salary{Min: 1, Max: 1_000_000_001, Currency: "ARS", Period: PerMonth}, "salary.max"},
		{Salary{Min: 12_000_000_000, Currency: "ARS", Period: PerYear}, ""},
		{Salary{Min: 12_000_000_012, Currency: "ARS", Period: PerYear}, "salary.min"},
		{Salary{Min: 5_000_000, Currency: "ARS", Period: PerHour}, ""},
		{Salary{Min: 6_000_000, Currency: "ARS", Period: PerHour}, "salary.min"},
		{Salary{Min: 1 << 62, Currency: "ARS", Period: PerHour}, "salary.min"},
		{Salary{Min: -5, Currency: "ARS", Period: PerHour}, "salary.min"},
		{Salary{Min: 5, Max: -5, Currency: "ARS", Period: PerHour}, "salary.max"},
		{Salary{Min: 5, Currency: "ARS", Period: "day"}, "salary.period"},
		{Salary{Min: 5, Currency: "ZZZ", Period: PerMonth}, "salary.currency"},
	}
	for _, c := range cases {
		err := ValidateJob(job(c.s))
		var field string
		if de, ok := err.(*Error); ok {
			field = de.Field
		} else if err != nil {
			t.Fatalf("%+v: %v", c.s, err)
		}
		if field != c.field {
			t.Errorf("%+v: got %v, want field %q", c.s, err, c.field)
		}
	}
}
