package dataset

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in, layout string
		want       string // RFC 3339 in UTC, "" if not a date
	}{
		{"01/12/2010 08:26", "02/01/2006 15:04", "2010-12-01T08:26:00Z"},
		{" 04-09-2012 ", "02-01-2006", "2012-09-04T00:00:00Z"},
		{"19970101", "20060102", "1997-01-01T00:00:00Z"},
		{"2024-02-29T23:59:59Z", "2006-01-02T15:04:05Z", "2024-02-29T23:59:59Z"},
		{"12/1/10", "1/2/06", "2010-12-01T00:00:00Z"},
		{"NA", "02/01/2006", ""},
		{"31/02/2010", "02/01/2006", ""},
		{"2010-12-01", "", ""},
	}
	for _, tc := range tests {
		got, ok := ParseDate(tc.in, tc.layout)
		if tc.want == "" {
			if ok {
				t.Errorf("ParseDate(%q, %q) = %v, want failure", tc.in, tc.layout, got)
			}
			continue
		}
		want, _ := time.Parse(time.RFC3339, tc.want)
		if !ok || got != float64(want.Unix()) {
			t.Errorf("ParseDate(%q, %q) = %v, %v; want %v", tc.in, tc.layout, got, ok, want.Unix())
		}
	}
}

func TestParseDateCell(t *testing.T) {
	good := []string{"2010-12-01", "2010/1/2", "2010.01.02", "1/2/2010", "01-02-2010", "1.2.2010",
		"12/1/10", "2010-12-01 08:26", "2010-12-01T08:26:59", "2010-12-01T08:26:59Z", "01/12/2010 8:26"}
	bad := []string{"", "2010", "2010-13-01", "2010-02-30", "1/2/3", "13/13/2010", "1-2-10", "2010-12-01 25:00",
		"2010-12-01 08:6", "2010-12-01 08:26:5", "01/12/2010T08:26", "2010-12-01x", "12345", "1.5", "00/01/2010"}
	for _, s := range good {
		if _, ok := parseDateCell(s); !ok {
			t.Errorf("parseDateCell(%q) failed", s)
		}
	}
	for _, s := range bad {
		if _, ok := parseDateCell(s); ok {
			t.Errorf("parseDateCell(%q) succeeded", s)
		}
	}
}

// TestDatesMatchTimeParse reads generated date columns of every shape and
// checks each value against time.Parse with the layout found.
func TestDatesMatchTimeParse(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	layouts := []string{"2006-01-02", "2006-01-02 15:04:05", "2006-01-02T15:04Z", "2006/1/2",
		"02/01/2006 15:04", "1/2/2006", "01/02/06", "02-01-2006", "2.1.2006 15:04"}
	for _, layout := range layouts {
		var cells []string
		var want []int64
		text := "d\n"
		for i := 0; i < 300; i++ {
			tm := time.Unix(rng.Int64N(4e9)-1e9, 0).UTC().Truncate(time.Minute)
			if i%3 == 0 {
				tm = tm.Add(time.Duration(rng.IntN(60)) * time.Second)
			}
			s := tm.Format(layout)
			back, err := time.Parse(layout, s)
			if err != nil {
				t.Fatal(err)
			}
			cells = append(cells, s)
			want = append(want, back.Unix())
			text += s + "\n"
		}
		tab, err := Read(strings.NewReader(text), Options{})
		if err != nil {
			t.Fatal(err)
		}
		c := tab.Columns[0]
		if c.Kind != KindDate {
			t.Errorf("%s: kind %v", layout, c.Kind)
			continue
		}
		for i, s := range cells {
			got, ok := ParseDate(s, c.DateLayout)
			if !ok || int64(got) != want[i] || c.Num[i] != got {
				t.Errorf("%s (found %s): %q → table %v, ParseDate %v %v, want %v", layout, c.DateLayout, s, c.Num[i], got, ok, want[i])
				break
			}
		}
	}
}

func TestDaysFromCivil(t *testing.T) {
	for _, d := range []time.Time{
		time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(1900, 3, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2000, 2, 29, 0, 0, 0, 0, time.UTC), time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC),
	} {
		if got := daysFromCivil(d.Year(), int(d.Month()), d.Day()) * 86400; got != d.Unix() {
			t.Errorf("%v: %d, want %d", d, got, d.Unix())
		}
	}
}
