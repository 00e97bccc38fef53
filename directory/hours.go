package directory

import (
	"fmt"
	"strings"
	"time"
	_ "time/tzdata" // zones work the same on hosts without a tz database
)

// Hours is the window of working hours a job needs: core hours in an IANA
// time zone, the same every working day. A window stays within one day:
// Start is before End.
type Hours struct {
	Zone  string // IANA, such as America/Argentina/Buenos_Aires
	Start int    // minutes after midnight, 0 to 1439
	End   int    // minutes after midnight, Start+1 to 1440 (24:00)
}

// Minutes in a day.
const dayMinutes = 24 * 60

// The working day a seeker has unless they say otherwise.
const (
	DefaultDayStart = 9 * 60
	DefaultDayEnd   = 18 * 60
)

// MaxZone bounds the length of a time zone's name.
const MaxZone = 64

// LoadZone finds an IANA time zone by name, as the tz database names
// zones ("America/Argentina/Buenos_Aires", "Europe/London", "UTC").
func LoadZone(field, name string) (*time.Location, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return nil, Invalid(field, CodeRequired)
	}
	if len(name) > MaxZone || name == "Local" {
		return nil, Invalid(field, CodeZone, Clip(name, MaxZone))
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, Invalid(field, CodeZone, Clip(name, MaxZone))
	}
	return loc, nil
}

// ParseClock reads a time of day, "HH:MM" from 00:00 to 24:00, as minutes
// after midnight.
func ParseClock(field, s string) (int, error) {
	s = strings.TrimSpace(s)
	bad := Invalid(field, CodeClock, Clip(s, 20))
	h, m, ok := strings.Cut(s, ":")
	if !ok || len(h) < 1 || len(h) > 2 || len(m) != 2 {
		return 0, bad
	}
	hh, mm := 0, 0
	for _, c := range h {
		if c < '0' || c > '9' {
			return 0, bad
		}
		hh = hh*10 + int(c-'0')
	}
	for _, c := range m {
		if c < '0' || c > '9' {
			return 0, bad
		}
		mm = mm*10 + int(c-'0')
	}
	if mm > 59 || hh > 24 || hh == 24 && mm != 0 {
		return 0, bad
	}
	return hh*60 + mm, nil
}

// Clock writes minutes after midnight as "HH:MM".
func Clock(minutes int) string { return fmt.Sprintf("%02d:%02d", minutes/60, minutes%60) }

// ValidateHours checks a window and canonicalises its zone's name.
func ValidateHours(field string, h *Hours) error {
	loc, err := LoadZone(field+".zone", h.Zone)
	if err != nil {
		return err
	}
	h.Zone = loc.String()
	if h.Start < 0 || h.Start >= dayMinutes {
		return Invalid(field+".start", CodeClock, Clock(max(h.Start, 0)))
	}
	if h.End > dayMinutes || h.End <= h.Start {
		return Invalid(field+".end", CodeWindow)
	}
	return nil
}

// Key names a window in one string, as stores keep it to filter by.
func (h Hours) Key() string { return fmt.Sprintf("%s %d %d", h.Zone, h.Start, h.End) }

// ParseHoursKey reads a window's Key back.
func ParseHoursKey(k string) (Hours, bool) {
	var h Hours
	if _, err := fmt.Sscanf(k, "%s %d %d", &h.Zone, &h.Start, &h.End); err != nil {
		return Hours{}, false
	}
	return h, true
}

// at is the instant of a wall-clock time, minutes after midnight, on the
// given date in loc. Times a DST change skips or repeats resolve as the
// time package resolves them.
func at(y int, m time.Month, d, minutes int, loc *time.Location) time.Time {
	return time.Date(y, m, d, minutes/60, minutes%60, 0, 0, loc)
}

// Overlap is how long the window h overlaps a seeker's working day: from
// dayStart to dayEnd (minutes after midnight) in zone, on the date in
// zone of the instant day. Both days are placed on the calendar with the
// tz database, so the offsets are those in force on that date; the job's
// window is taken on every day of its own zone that can meet the seeker's.
func Overlap(h Hours, zone *time.Location, day time.Time, dayStart, dayEnd int) time.Duration {
	jz, err := time.LoadLocation(h.Zone)
	if err != nil || h.End <= h.Start {
		return 0
	}
	y, m, d := day.In(zone).Date()
	a, b := at(y, m, d, dayStart, zone), at(y, m, d, dayEnd, zone)
	jy, jm, jd := a.In(jz).Date()
	var total time.Duration
	for k := -1; k <= 2; k++ {
		s, e := at(jy, jm, jd+k, h.Start, jz), at(jy, jm, jd+k, h.End, jz)
		lo, hi := a, b
		if s.After(lo) {
			lo = s
		}
		if e.Before(hi) {
			hi = e
		}
		if hi.After(lo) {
			total += hi.Sub(lo)
		}
	}
	return total
}
