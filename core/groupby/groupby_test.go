package groupby

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/segkit/segkit/core/dataset"
	"github.com/segkit/segkit/internal/shareddata"
)

func readString(t testing.TB, s string) *dataset.Table {
	t.Helper()
	tb, err := dataset.Read(strings.NewReader(s), dataset.Options{})
	if err != nil {
		t.Fatalf("dataset.Read: %v", err)
	}
	return tb
}

const people = `id,country,postcode,age,income
1,UK,SW1A 1AA,23,10.5
2,UK,sw1a 2bb,34,20
3,France,75001,35,
4,UK,EC1 4XY,70,40
5,Germany,10115,17,60
6,France,75008,,80
7,,N1,44,100
8,Spain,28001,25,40
`

func TestSegment(t *testing.T) {
	tb := readString(t, people)
	cases := []struct {
		name   string
		rules  []Rule
		labels []int
		names  []string
		sizes  []int
	}{
		{"value", []Rule{{Column: "country"}},
			[]int{0, 0, 1, 0, 2, 1, -1, 3}, []string{"UK", "France", "Germany", "Spain"}, []int{3, 2, 1, 1}},
		{"value merged", []Rule{{Column: "country", MaxGroups: 2}},
			[]int{0, 0, 1, 0, 1, 1, -1, 1}, []string{"UK", "Other"}, []int{3, 4}},
		{"value titled, Other not", []Rule{{Column: "country", MaxGroups: 2, Title: "Country"}},
			[]int{0, 0, 1, 0, 1, 1, -1, 1}, []string{"Country UK", "Other"}, []int{3, 4}},
		{"value one group", []Rule{{Column: "country", MaxGroups: 1}},
			[]int{0, 0, 0, 0, 0, 0, -1, 0}, []string{"Other"}, []int{7}},
		{"prefix", []Rule{{Column: "postcode", Kind: ByPrefix, Prefix: 3}},
			// 750 ×2 and SW1 ×2 (ties by name), then single groups by name.
			[]int{1, 1, 0, 4, 2, 0, 5, 3}, []string{"750…", "SW1…", "101…", "280…", "EC1…", "N1…"}, []int{2, 2, 1, 1, 1, 1}},
		{"prefix titled", []Rule{{Column: "postcode", Kind: ByPrefix, Prefix: 1, MaxGroups: 2, Title: "Postcode"}},
			// First characters S S 7 E 1 7 N 2: 7 and S tie at 2, 7 first by name.
			[]int{1, 1, 0, 1, 1, 0, 1, 1}, []string{"Postcode 7…", "Other"}, []int{2, 6}},
		{"age bands", []Rule{{Column: "age", Kind: ByBands}},
			// 35 and 44 are both in 35–44; no one is 45–64, so those bands are left out.
			[]int{1, 2, 3, 4, 0, -1, 3, 2},
			[]string{"age under 18", "age 18–24", "age 25–34", "age 35–44", "age 65+"}, []int{1, 1, 2, 2, 1}},
		{"float bands", []Rule{{Column: "income", Kind: ByBands, Bands: []float64{20, 50}}},
			[]int{0, 1, -1, 1, 2, 2, 2, 1}, []string{"income under 20", "income 20–50", "income 50+"}, []int{1, 3, 3}},
		{"integer edges one wide", []Rule{{Column: "age", Kind: ByBands, Bands: []float64{34, 35}}},
			[]int{0, 1, 2, 2, 0, -1, 2, 0}, []string{"age under 34", "age 34", "age 35+"}, []int{3, 1, 3}},
		{"combined", []Rule{{Column: "country", MaxGroups: 2}, {Column: "age", Kind: ByBands, Bands: []float64{30}}},
			[]int{0, 1, 3, 1, 2, -1, -1, 2},
			[]string{"UK · age under 30", "UK · age 30+", "Other · age under 30", "Other · age 30+"}, []int{1, 2, 2, 1}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Segment(tb, tc.rules...)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(res.Labels, tc.labels) || !slices.Equal(res.Names, tc.names) || !slices.Equal(res.Sizes, tc.sizes) {
				t.Errorf("got labels %v names %q sizes %v\nwant labels %v names %q sizes %v",
					res.Labels, res.Names, res.Sizes, tc.labels, tc.names, tc.sizes)
			}
			missing := 0
			for _, l := range tc.labels {
				if l < 0 {
					missing++
				}
			}
			if res.Missing != missing {
				t.Errorf("missing = %d, want %d", res.Missing, missing)
			}
		})
	}
}

func TestSegmentErrors(t *testing.T) {
	tb := readString(t, people)
	cases := []struct {
		name  string
		rules []Rule
		err   error
		msg   string
	}{
		{"no rules", nil, ErrRule, "no rules"},
		{"unknown column", []Rule{{Column: "Country"}}, ErrUnknownColumn, `rule 1: no column "Country"; the table has columns "id", "country"`},
		{"prefix zero", []Rule{{Column: "postcode", Kind: ByPrefix}}, ErrRule, "rule 1 (prefix on column \"postcode\"): Prefix is 0"},
		{"bands on text", []Rule{{Column: "country"}, {Column: "country", Kind: ByBands}}, ErrRule, "rule 2 (bands on column \"country\"): column is a categorical column; expected an integer or float column"},
		{"bands missing", []Rule{{Column: "income", Kind: ByBands}}, ErrRule, "not named like an age"},
		{"bands empty", []Rule{{Column: "income", Kind: ByBands, Bands: []float64{}}}, ErrRule, "Bands is empty"},
		{"bands decreasing", []Rule{{Column: "age", Kind: ByBands, Bands: []float64{30, 20}}}, ErrRule, "edge 2 (20) follows 30"},
		{"negative max", []Rule{{Column: "country", MaxGroups: -1}}, ErrRule, "MaxGroups is -1"},
		{"bad kind", []Rule{{Column: "country", Kind: 9}}, ErrRule, "unknown kind 9"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Segment(tb, tc.rules...)
			if !errors.Is(err, tc.err) || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("err = %v, want %v containing %q", err, tc.err, tc.msg)
			}
		})
	}
	if _, err := Segment(nil, Rule{Column: "x"}); err == nil {
		t.Error("nil table: no error")
	}
}

func TestAgeLike(t *testing.T) {
	for name, want := range map[string]bool{
		"Age": true, "age": true, "customer_age": true, "AgeYears": true, "Customer Age (years)": true,
		"Page": false, "Average": false, "Year_Birth": false, "ageing": false,
	} {
		if got := ageLike(name); got != want {
			t.Errorf("ageLike(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestParseRuleKind(t *testing.T) {
	for _, k := range []RuleKind{ByValue, ByPrefix, ByBands} {
		if got, err := ParseRuleKind(strings.ToUpper(k.String())); err != nil || got != k {
			t.Errorf("ParseRuleKind(%q) = %v, %v", k, got, err)
		}
	}
	if _, err := ParseRuleKind("range"); !errors.Is(err, ErrRule) {
		t.Errorf("ParseRuleKind(range) err = %v", err)
	}
}

// The reference counts below were computed with awk on the shared files:
//
//	awk -F, 'NR>1{print $NF}' online_retail_head.csv | sort | uniq -c | sort -rn
//	awk -F, 'NR>1{print $3}' Mall_Customers.csv   (then counted per band)
//
// and agree with Python's csv module.
func TestOnlineRetailCountry(t *testing.T) {
	tb, err := dataset.ReadFile(shareddata.Path(t, "online_retail_head.csv"), dataset.Options{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := Segment(tb, Rule{Column: "Country"})
	if err != nil {
		t.Fatal(err)
	}
	// 24 countries: the 11 largest are kept, the other 13 (245 rows) merge.
	wantNames := []string{"United Kingdom", "Germany", "France", "EIRE", "Norway", "Portugal", "Cyprus",
		"Spain", "Japan", "Switzerland", "Belgium", "Other"}
	wantSizes := []int{37420, 488, 430, 358, 147, 120, 83, 75, 65, 49, 42, 245}
	if !slices.Equal(res.Names, wantNames) || !slices.Equal(res.Sizes, wantSizes) || res.Missing != 0 {
		t.Errorf("names %q sizes %v missing %d", res.Names, res.Sizes, res.Missing)
	}
	all, err := Segment(tb, Rule{Column: "Country", MaxGroups: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(all.Names) != 24 || all.Sizes[len(all.Sizes)-1] != 1 || all.Names[len(all.Names)-1] != "Bahrain" {
		t.Errorf("all countries: %q %v", all.Names, all.Sizes)
	}
}

func TestMallAgeBands(t *testing.T) {
	tb, err := dataset.ReadFile(shareddata.Path(t, "Mall_Customers.csv"), dataset.Options{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := Segment(tb, Rule{Column: "Age", Kind: ByBands})
	if err != nil {
		t.Fatal(err)
	}
	// Ages run from 18 to 70, so there is no "under 18" band.
	wantNames := []string{"Age 18–24", "Age 25–34", "Age 35–44", "Age 45–54", "Age 55–64", "Age 65+"}
	wantSizes := []int{35, 54, 42, 39, 16, 14}
	if !slices.Equal(res.Names, wantNames) || !slices.Equal(res.Sizes, wantSizes) {
		t.Errorf("names %q sizes %v", res.Names, res.Sizes)
	}
	both, err := Segment(tb, Rule{Column: "Genre"}, Rule{Column: "Age", Kind: ByBands})
	if err != nil {
		t.Fatal(err)
	}
	// Female 112 / Male 88 (README); per band counted with Python's csv module.
	if both.Names[0] != "Female · Age 18–24" || both.Names[11] != "Male · Age 65+" ||
		!slices.Equal(both.Sizes, []int{19, 32, 24, 25, 7, 5, 16, 22, 18, 14, 9, 9}) {
		t.Errorf("names %q sizes %v", both.Names, both.Sizes)
	}
}

// TestDefaultRule: age bands for a numeric age, titled value groups for
// numeric codes, plain value groups for text (and for a text "age").
func TestDefaultRule(t *testing.T) {
	tests := []struct {
		name string
		kind dataset.Kind
		want Rule
	}{
		{"Age", dataset.KindInteger, Rule{Column: "Age", Kind: ByBands}},
		{"customer_age", dataset.KindFloat, Rule{Column: "customer_age", Kind: ByBands}},
		{"Region", dataset.KindInteger, Rule{Column: "Region", Title: "Region"}},
		{"Country", dataset.KindCategorical, Rule{Column: "Country"}},
		{"Age group", dataset.KindCategorical, Rule{Column: "Age group"}},
		{"Page", dataset.KindInteger, Rule{Column: "Page", Title: "Page"}},
	}
	for _, tt := range tests {
		if got := DefaultRule(&dataset.Column{Name: tt.name, Kind: tt.kind}); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("DefaultRule(%s %s) = %+v, want %+v", tt.name, tt.kind, got, tt.want)
		}
	}
}
