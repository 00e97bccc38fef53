package directory

import (
	"testing"
	"time"
)

func TestOverlap(t *testing.T) {
	ba, _ := time.LoadLocation("America/Argentina/Buenos_Aires")
	london, _ := time.LoadLocation("Europe/London")
	jan := time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC)
	jul := time.Date(2026, 7, 15, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		h    Hours
		zone *time.Location
		day  time.Time
		want time.Duration
	}{
		{Hours{"Europe/London", 540, 1020}, ba, jan, 5 * time.Hour},
		{Hours{"Europe/London", 540, 1020}, ba, jul, 4 * time.Hour},
		{Hours{"Europe/Madrid", 480, 960}, ba, jan, 3 * time.Hour},
		{Hours{"America/Argentina/Buenos_Aires", 600, 900}, london, jan, 5 * time.Hour},
		{Hours{"America/Argentina/Buenos_Aires", 600, 900}, london, jul, 4 * time.Hour},
		{Hours{"Asia/Tokyo", 540, 1080}, ba, jan, 0},
		{Hours{"UTC", 0, 1440}, ba, jan, 9 * time.Hour},
	}
	for _, tc := range cases {
		if got := Overlap(tc.h, tc.zone, tc.day, DefaultDayStart, DefaultDayEnd); got != tc.want {
			t.Errorf("%v in %v on %v: got %v, want %v", tc.h, tc.zone, tc.day.Format("Jan"), got, tc.want)
		}
	}
	// The seeker's day of the DST change in London (29 March 2026): a
	// 09:00-18:00 day there is 08:00-17:00 UTC.
	dst := time.Date(2026, 3, 29, 12, 0, 0, 0, time.UTC)
	if got := Overlap(Hours{"UTC", 480, 540}, london, dst, DefaultDayStart, DefaultDayEnd); got != time.Hour {
		t.Errorf("DST day: %v", got)
	}
}

func TestParseClock(t *testing.T) {
	for s, want := range map[string]int{"09:30": 570, "9:30": 570, "00:00": 0, "24:00": 1440} {
		if got, err := ParseClock("x", s); err != nil || got != want {
			t.Errorf("%s: %d %v", s, got, err)
		}
	}
	for _, s := range []string{"", "24:01", "9", "09:5", "ab:cd", "-1:00", "10:60"} {
		if _, err := ParseClock("x", s); err == nil {
			t.Errorf("%q accepted", s)
		}
	}
}

func TestZones(t *testing.T) {
	zs := Zones()
	if len(zs) < 300 {
		t.Fatalf("%d zones", len(zs))
	}
	for _, z := range zs {
		if _, err := LoadZone("tz", z); err != nil {
			t.Errorf("%s: %v", z, err)
		}
	}
	if got := CountryZones("AR"); len(got) == 0 || got[0] != "America/Argentina/Buenos_Aires" {
		t.Errorf("AR: %v", got)
	}
}
