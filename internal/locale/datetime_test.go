package locale

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func date(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 14, 30, 0, 0, time.UTC)
}

func TestPrinterDate(t *testing.T) {
	c := mustLoad(t)
	tests := []struct {
		name  string
		lang  Lang
		t     time.Time
		style DateStyle
		want  string
	}{
		// Checklist item 38.
		{name: "fr/full", lang: French, t: date(2016, 12, 12), style: DateFull, want: "lundi 12 décembre 2016"},
		{name: "fr/full first of month", lang: French, t: date(2016, 12, 1), style: DateFull, want: "jeudi 1er décembre 2016"},
		{name: "fr/full sunday", lang: French, t: date(2016, 12, 11), style: DateFull, want: "dimanche 11 décembre 2016"},
		{name: "fr/full second of month", lang: French, t: date(2016, 12, 2), style: DateFull, want: "vendredi 2 décembre 2016"},
		{name: "fr/full 21st", lang: French, t: date(2016, 12, 21), style: DateFull, want: "mercredi 21 décembre 2016"},
		{name: "fr/long", lang: French, t: date(2016, 12, 11), style: DateLong, want: "11 décembre 2016"},
		{name: "fr/long first of month", lang: French, t: date(2016, 12, 1), style: DateLong, want: "1er décembre 2016"},
		{name: "fr/long août", lang: French, t: date(2025, 8, 15), style: DateLong, want: "15 août 2025"},
		{name: "fr/short", lang: French, t: date(2016, 12, 11), style: DateShort, want: "11/12/2016"},
		{name: "fr/short padded", lang: French, t: date(2016, 3, 1), style: DateShort, want: "01/03/2016"},
		{name: "fr/month year", lang: French, t: date(2016, 12, 1), style: MonthYear, want: "décembre 2016"},
		{name: "fr/unknown style is long", lang: French, t: date(2016, 12, 1), style: DateStyle(42), want: "1er décembre 2016"},
		{name: "en/full", lang: English, t: date(2016, 12, 11), style: DateFull, want: "Sunday, December 11, 2016"},
		{name: "en/full first of month", lang: English, t: date(2016, 12, 1), style: DateFull, want: "Thursday, December 1, 2016"},
		{name: "en/long", lang: English, t: date(2016, 12, 11), style: DateLong, want: "December 11, 2016"},
		{name: "en/short", lang: English, t: date(2016, 12, 11), style: DateShort, want: "12/11/2016"},
		{name: "en/short unpadded", lang: English, t: date(2016, 3, 1), style: DateShort, want: "3/1/2016"},
		{name: "en/month year", lang: English, t: date(2016, 12, 1), style: MonthYear, want: "December 2016"},
		{name: "en/unknown style is long", lang: English, t: date(2016, 12, 1), style: DateStyle(-1), want: "December 1, 2016"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, want := c.Printer(tt.lang).Date(tt.t, tt.style), tt.want; got != want {
				t.Errorf("Date(%v, %d) = %q, want %q", tt.t, tt.style, got, want)
			}
		})
	}
}

// TestPrinterDateLocation checks that Date uses t's own location: 23:30 UTC
// on 30 November is already 1 December in Paris.
func TestPrinterDateLocation(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skipf("no time zone database: %v", err)
	}
	p := mustLoad(t).Printer(French)
	utc := time.Date(2016, 11, 30, 23, 30, 0, 0, time.UTC)
	tests := []struct {
		name string
		t    time.Time
		want string
	}{
		{name: "UTC", t: utc, want: "mercredi 30 novembre 2016 23:30"},
		{name: "Paris", t: utc.In(paris), want: "jeudi 1er décembre 2016 00:30"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, want := p.Date(tt.t, DateFull)+" "+p.Time(tt.t), tt.want; got != want {
				t.Errorf("got %q, want %q", got, want)
			}
		})
	}
}

func TestPrinterMonthName(t *testing.T) {
	c := mustLoad(t)
	tests := []struct {
		name string
		lang Lang
		want []string
	}{
		{name: "French", lang: French, want: []string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}},
		{name: "English", lang: English, want: []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := c.Printer(tt.lang)
			var got, gotDates []string
			wantDates := make([]string, 0, 12)
			for m := time.January; m <= time.December; m++ {
				got = append(got, p.MonthName(m))
				gotDates = append(gotDates, p.Date(date(2016, m, 15), MonthYear))
				wantDates = append(wantDates, tt.want[m-1]+" 2016")
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("MonthName mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(wantDates, gotDates); diff != "" {
				t.Errorf("Date(MonthYear) mismatch (-want +got):\n%s", diff)
			}
			for _, m := range []time.Month{0, 13} {
				if got, want := p.MonthName(m), map[time.Month]string{0: "0", 13: "13"}[m]; got != want {
					t.Errorf("MonthName(%d) = %q, want %q", m, got, want)
				}
			}
		})
	}
}

func TestPrinterWeekdayName(t *testing.T) {
	c := mustLoad(t)
	tests := []struct {
		name      string
		lang      Lang
		wantNames []string // time.Sunday to time.Saturday
		wantDates []string // Monday 5 December 2016 to Sunday 11 December 2016
	}{
		{
			name:      "French",
			lang:      French,
			wantNames: []string{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"},
			wantDates: []string{
				"lundi 5 décembre 2016", "mardi 6 décembre 2016", "mercredi 7 décembre 2016", "jeudi 8 décembre 2016",
				"vendredi 9 décembre 2016", "samedi 10 décembre 2016", "dimanche 11 décembre 2016",
			},
		},
		{
			name:      "English",
			lang:      English,
			wantNames: []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"},
			wantDates: []string{
				"Monday, December 5, 2016", "Tuesday, December 6, 2016", "Wednesday, December 7, 2016", "Thursday, December 8, 2016",
				"Friday, December 9, 2016", "Saturday, December 10, 2016", "Sunday, December 11, 2016",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := c.Printer(tt.lang)
			var gotNames, gotDates []string
			for d := time.Sunday; d <= time.Saturday; d++ {
				gotNames = append(gotNames, p.WeekdayName(d))
			}
			for d := 5; d <= 11; d++ {
				gotDates = append(gotDates, p.Date(date(2016, 12, d), DateFull))
			}
			if diff := cmp.Diff(tt.wantNames, gotNames); diff != "" {
				t.Errorf("WeekdayName mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantDates, gotDates); diff != "" {
				t.Errorf("Date(DateFull) mismatch (-want +got):\n%s", diff)
			}
			if got, want := p.WeekdayName(7), "7"; got != want {
				t.Errorf("WeekdayName(7) = %q, want %q", got, want)
			}
		})
	}
}

func TestPrinterTime(t *testing.T) {
	c := mustLoad(t)
	tests := []struct {
		name         string
		hour, minute int
		wantFr       string
		wantEn       string
	}{
		{name: "afternoon", hour: 14, minute: 30, wantFr: "14:30", wantEn: "2:30\u202fPM"},
		{name: "morning", hour: 9, minute: 5, wantFr: "09:05", wantEn: "9:05\u202fAM"},
		{name: "midnight", hour: 0, minute: 0, wantFr: "00:00", wantEn: "12:00\u202fAM"},
		{name: "noon", hour: 12, minute: 0, wantFr: "12:00", wantEn: "12:00\u202fPM"},
		{name: "last minute", hour: 23, minute: 59, wantFr: "23:59", wantEn: "11:59\u202fPM"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tm := time.Date(2016, 12, 12, tt.hour, tt.minute, 59, 0, time.UTC)
			if got, want := c.Printer(French).Time(tm), tt.wantFr; got != want {
				t.Errorf("French Time(%v) = %q, want %q", tm, got, want)
			}
			if got, want := c.Printer(English).Time(tm), tt.wantEn; got != want {
				t.Errorf("English Time(%v) = %q, want %q", tm, got, want)
			}
		})
	}
}

func TestCapitalize(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{name: "date", in: "lundi 12 décembre 2016", want: "Lundi 12 décembre 2016"},
		{name: "accented", in: "été", want: "Été"},
		{name: "already", in: "Accueil", want: "Accueil"},
		{name: "digit", in: "1er décembre", want: "1er décembre"},
		{name: "empty", in: "", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, want := Capitalize(tt.in), tt.want; got != want {
				t.Errorf("Capitalize(%q) = %q, want %q", tt.in, got, want)
			}
		})
	}
}

func BenchmarkDate(b *testing.B) {
	c := mustLoad(b)
	t := date(2016, 12, 1)
	for _, l := range Langs() {
		p := c.Printer(l)
		b.Run(string(l), func(b *testing.B) {
			for b.Loop() {
				_ = p.Date(t, DateFull)
			}
		})
	}
}
