package locale

import (
	"strconv"
	"time"
	"unicode"
	"unicode/utf8"
)

// DateStyle chooses how much of a date Printer.Date shows.
type DateStyle int

// The date styles, after CLDR's (French "EEEE d MMMM y", "d MMMM y",
// "dd/MM/y"; English "EEEE, MMMM d, y", "MMMM d, y", "M/d/y").
const (
	// DateFull shows the weekday: "dimanche 11 décembre 2016", "Sunday, December 11, 2016".
	DateFull DateStyle = iota
	// DateLong is the date in words: "11 décembre 2016", "December 11, 2016".
	DateLong
	// DateShort is the date in figures: "11/12/2016", "12/11/2016".
	DateShort
	// MonthYear is a month, for archives: "décembre 2016", "December 2016".
	MonthYear
)

// Month and weekday names, indexed by time.Month and time.Weekday. French
// names are lowercase, as in running text (see Capitalize for headings).
var (
	frMonths   = [...]string{"", "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}
	enMonths   = [...]string{"", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
	frWeekdays = [...]string{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"}
	enWeekdays = [...]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
)

// MonthName returns the name of m in p's language: "décembre", "December".
// A month out of range returns its number.
func (p *Printer) MonthName(m time.Month) string {
	if m < time.January || m > time.December {
		return strconv.Itoa(int(m))
	}
	if p.lang == English {
		return enMonths[m]
	}
	return frMonths[m]
}

// WeekdayName returns the name of d in p's language: "dimanche", "Sunday".
// A weekday out of range returns its number.
func (p *Printer) WeekdayName(d time.Weekday) string {
	if d < time.Sunday || d > time.Saturday {
		return strconv.Itoa(int(d))
	}
	if p.lang == English {
		return enWeekdays[d]
	}
	return frWeekdays[d]
}

// Date formats the date of t in style s, in t's own location: callers
// convert to the site's time zone first. French names are lowercase and
// never abbreviated, and the first of the month is "1er": "jeudi 1er
// décembre 2016". An unknown style formats as DateLong.
func (p *Printer) Date(t time.Time, s DateStyle) string {
	year, month, day := t.Date()
	b := make([]byte, 0, 40)
	if p.lang == English {
		switch s {
		case DateShort:
			b = strconv.AppendInt(b, int64(month), 10)
			b = append(b, '/')
			b = strconv.AppendInt(b, int64(day), 10)
			b = append(b, '/')
		case MonthYear:
			b = append(b, enMonths[month]...)
			b = append(b, ' ')
		default:
			if s == DateFull {
				b = append(b, enWeekdays[t.Weekday()]...)
				b = append(b, ", "...)
			}
			b = append(b, enMonths[month]...)
			b = append(b, ' ')
			b = strconv.AppendInt(b, int64(day), 10)
			b = append(b, ", "...)
		}
		b = strconv.AppendInt(b, int64(year), 10)
		return string(b)
	}
	switch s {
	case DateShort:
		b = append2(b, day)
		b = append(b, '/')
		b = append2(b, int(month))
		b = append(b, '/')
	case MonthYear:
		b = append(b, frMonths[month]...)
		b = append(b, ' ')
	default:
		if s == DateFull {
			b = append(b, frWeekdays[t.Weekday()]...)
			b = append(b, ' ')
		}
		b = strconv.AppendInt(b, int64(day), 10)
		if day == 1 {
			b = append(b, "er"...)
		}
		b = append(b, ' ')
		b = append(b, frMonths[month]...)
		b = append(b, ' ')
	}
	b = strconv.AppendInt(b, int64(year), 10)
	return string(b)
}

// Time formats the time of day of t, in t's own location: "14:30" in French
// (CLDR "HH:mm"), "2:30 PM" in English (CLDR "h:mm a", with a U+202F narrow
// no-break space before AM or PM so that it never wraps alone).
func (p *Printer) Time(t time.Time) string {
	hour, minute := t.Hour(), t.Minute()
	b := make([]byte, 0, 12)
	if p.lang != English {
		b = append2(b, hour)
		b = append(b, ':')
		return string(append2(b, minute))
	}
	h12 := hour % 12
	if h12 == 0 {
		h12 = 12
	}
	b = strconv.AppendInt(b, int64(h12), 10)
	b = append(b, ':')
	b = append2(b, minute)
	if hour < 12 {
		return string(append(b, "\u202fAM"...))
	}
	return string(append(b, "\u202fPM"...))
}

// append2 appends n, 0 ≤ n < 100, as two digits.
func append2(b []byte, n int) []byte {
	return append(b, byte('0'+n/10), byte('0'+n%10)) //nolint:gosec // 0 ≤ n < 100

}

// Capitalize returns s with its first letter in upper case, for a date or a
// message that starts a sentence or a heading: "Lundi 12 décembre 2016".
func Capitalize(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	u := unicode.ToUpper(r)
	if u == r {
		return s
	}
	return string(u) + s[size:]
}
