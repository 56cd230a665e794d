package profile_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/segkit/segkit/core/dataset"
	"github.com/segkit/segkit/core/profile"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

func num(name string, xs ...float64) *dataset.Column {
	c := &dataset.Column{Name: name, Kind: dataset.KindFloat, Num: xs}
	for _, x := range xs {
		if math.IsNaN(x) {
			c.Missing++
		}
	}
	return c
}

func cat(name string, xs ...string) *dataset.Column {
	c := &dataset.Column{Name: name, Kind: dataset.KindCategorical, Str: xs}
	for _, x := range xs {
		if x == "" {
			c.Missing++
		}
	}
	return c
}

func table(cols ...*dataset.Column) *dataset.Table {
	return &dataset.Table{Columns: cols, Rows: cols[0].Len()}
}

// Two segments, worked by hand.
func TestBuildSmall(t *testing.T) {
	tab := table(
		&dataset.Column{Name: "id", Kind: dataset.KindIdentifier, Str: []string{"a1", "a2", "a3", "a4", "a5", "a6"}},
		num("x", 1, 2, 3, 10, 11, 12),
		cat("g", "a", "a", "b", "b", "b", "b"),
	)
	p, err := profile.Build(tab, []int{0, 0, 0, 1, 1, 1}, profile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(p.Columns, []string{"x", "g"}) || p.Rows != 6 || p.Clustered != 6 || p.Noise != 0 {
		t.Fatalf("columns %v rows %d clustered %d noise %d", p.Columns, p.Rows, p.Clustered, p.Noise)
	}
	// Population x: mean 6.5, SS = 2·(5.5² + 4.5² + 3.5²) = 125.5, sd √(125.5/5).
	popSD := math.Sqrt(125.5 / 5)
	pn := p.Population.Numeric[0]
	if !near(pn.Mean, 6.5) || !near(pn.Std, popSD) || !near(pn.Median, 6.5) || !near(pn.Q1, 2.25) || !near(pn.Q3, 10.75) {
		t.Errorf("population x: %+v", pn)
	}
	s0 := p.Segments[0]
	n0 := s0.Numeric[0]
	want := profile.NumericStat{Column: "x", Mean: 2, Median: 2, Q1: 1.5, Q3: 2.5, Min: 1, Max: 3, Std: 1,
		Z: (2 - 6.5) / popSD, Effect: -9}
	if !statNear(n0, want) {
		t.Errorf("segment 0 x = %+v, want %+v", n0, want)
	}
	if s0.Size != 3 || !near(s0.Share, 0.5) {
		t.Errorf("segment 0 size %d share %v", s0.Size, s0.Share)
	}
	// Categories: segment 0 is a:2, b:1; the population a:2, b:4.
	wantShares := []profile.CategoryShare{
		{Value: "a", Count: 2, Share: 2.0 / 3, PopulationShare: 1.0 / 3, Lift: 2},
		{Value: "b", Count: 1, Share: 1.0 / 3, PopulationShare: 2.0 / 3, Lift: 0.5},
	}
	got := s0.Categorical[0].Shares
	if len(got) != 2 {
		t.Fatalf("shares %+v", got)
	}
	for i := range got {
		g, w := got[i], wantShares[i]
		if g.Value != w.Value || g.Count != w.Count || !near(g.Share, w.Share) || !near(g.PopulationShare, w.PopulationShare) || !near(g.Lift, w.Lift) {
			t.Errorf("share %d = %+v, want %+v", i, g, w)
		}
	}
	// Distinguishing: x low (d = -9), then a over-represented with
	// h = 2·asin(√(2/3)) − 0 against the rest (no "a").
	h := 2 * math.Asin(math.Sqrt(2.0/3))
	d := s0.Distinguishing
	if len(d) != 2 || d[0].Column != "x" || d[0].Direction != "low" || !near(d[0].Effect, -9) ||
		d[1].Column != "g" || d[1].Value != "a" || d[1].Direction != "over" || !near(d[1].Effect, h) {
		t.Errorf("distinguishing = %+v", d)
	}
	if d[0].Text != "x low: mean 2 vs 6.5" || d[1].Text != "g = a over-represented: 66.7 % vs 33.3 %" {
		t.Errorf("texts %q, %q", d[0].Text, d[1].Text)
	}
	if s0.Name != "Low x · Mostly a" || p.Segments[1].Name != "High x · Mostly b" {
		t.Errorf("names %q, %q", s0.Name, p.Segments[1].Name)
	}
	wantDesc := "3 customers (50 %) with low x (mean 2) and mostly a (66.7 % vs 33.3 %)"
	if s0.Description != wantDesc {
		t.Errorf("description %q, want %q", s0.Description, wantDesc)
	}
}

func statNear(a, b profile.NumericStat) bool {
	return a.Column == b.Column && a.Missing == b.Missing && near(a.Mean, b.Mean) && near(a.Median, b.Median) &&
		near(a.Q1, b.Q1) && near(a.Q3, b.Q3) && near(a.Min, b.Min) && near(a.Max, b.Max) && near(a.Std, b.Std) &&
		near(a.Z, b.Z) && near(a.Effect, b.Effect)
}

// Noise rows are in the population but no segment; not-clustered rows are
// nowhere; missing values are counted and left out.
func TestBuildNoiseAndMissing(t *testing.T) {
	nan := math.NaN()
	tab := table(
		num("x", 1, 3, 100, 10, nan, 50),
		cat("g", "a", "", "b", "b", "b", "a"),
	)
	p, err := profile.Build(tab, []int{0, 0, -1, 1, 1, -2}, profile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Rows != 6 || p.Clustered != 4 || p.Noise != 1 || p.Population.Size != 5 {
		t.Fatalf("rows %d clustered %d noise %d population %d", p.Rows, p.Clustered, p.Noise, p.Population.Size)
	}
	pn := p.Population.Numeric[0] // 1, 3, 100, 10 (NaN missing; 50 not clustered)
	if !near(pn.Mean, 28.5) || pn.Missing != 1 || pn.Max != 100 {
		t.Errorf("population x %+v", pn)
	}
	if s := p.Segments[1]; !near(s.Share, 0.4) || s.Numeric[0].Missing != 1 || !near(s.Numeric[0].Mean, 10) {
		t.Errorf("segment 1 %+v", s)
	}
	// Segment 0 vs the rest {100, 10}: pooled sd √((2 + 4050)/2).
	if e := p.Segments[0].Numeric[0].Effect; !near(e, (2-55)/math.Sqrt(4052.0/2)) {
		t.Errorf("effect %v", e)
	}
	if c := p.Segments[0].Categorical[0]; c.Missing != 1 || c.Shares[0].Value != "a" || !near(c.Shares[0].Share, 1) {
		t.Errorf("segment 0 g %+v", c)
	}
	if c := p.Population.Categorical[0]; c.Missing != 1 || c.Shares[0].Value != "b" || c.Shares[0].Count != 3 {
		t.Errorf("population g %+v", c)
	}
	if p.Population.Description != "5 customers in 2 segments, 1 of them noise (in no segment)" {
		t.Errorf("population description %q", p.Population.Description)
	}
	// No NaN reaches JSON even for a segment whose values are all missing.
	q, err := profile.Build(tab, []int{-2, -2, 0, 0, 1, 0}, profile.Options{Columns: []string{"x"}})
	if err != nil {
		t.Fatal(err)
	}
	if n := q.Segments[1].Numeric[0]; n.Missing != 1 || n.Mean != 0 {
		t.Errorf("all-missing segment %+v", n)
	}
	if _, err := json.Marshal(q); err != nil {
		t.Error(err)
	}
}

func TestBuildErrors(t *testing.T) {
	tab := table(
		&dataset.Column{Name: "id", Kind: dataset.KindIdentifier, Str: []string{"1", "2", "3"}},
		&dataset.Column{Name: "when", Kind: dataset.KindDate, Num: []float64{0, 1, 2}},
		num("x", 1, 2, 3),
		&dataset.Column{Name: "empty", Kind: dataset.KindEmpty, Missing: 3},
	)
	tests := []struct {
		name   string
		labels []int
		opt    profile.Options
		err    error
		msg    string
	}{
		{"short labels", []int{0, 1}, profile.Options{}, profile.ErrLabels, "2 labels for 3 rows"},
		{"bad label", []int{0, -3, 1}, profile.Options{}, profile.ErrLabels, "row 2 has label -3"},
		{"all noise", []int{-1, -1, -2}, profile.Options{}, profile.ErrLabels, "no row is in a segment"},
		{"unknown column", []int{0, 0, 1}, profile.Options{Columns: []string{"y"}}, profile.ErrUnknownColumn, `column "y"`},
		{"identifier", []int{0, 0, 1}, profile.Options{Columns: []string{"id"}}, profile.ErrNotProfilable, `column "id" is identifier`},
		{"date", []int{0, 0, 1}, profile.Options{Columns: []string{"when"}}, profile.ErrNotProfilable, `column "when" is date`},
		{"empty", []int{0, 0, 1}, profile.Options{Columns: []string{"empty"}}, profile.ErrNotProfilable, `column "empty" is empty`},
		{"twice", []int{0, 0, 1}, profile.Options{Columns: []string{"x", "x"}}, profile.ErrNotProfilable, `column "x" is named twice`},
		{"negative top", []int{0, 0, 1}, profile.Options{TopFeatures: -1}, profile.ErrOptions, "must not be negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := profile.Build(tab, tt.labels, tt.opt)
			if !errors.Is(err, tt.err) || !strings.Contains(err.Error(), tt.msg) || !strings.HasPrefix(err.Error(), "profile: ") {
				t.Errorf("err = %v, want %v containing %q", err, tt.err, tt.msg)
			}
		})
	}
	_, err := profile.Build(table(&dataset.Column{Name: "id", Kind: dataset.KindIdentifier, Str: []string{"1"}}), []int{0}, profile.Options{})
	if !errors.Is(err, profile.ErrNoColumns) {
		t.Errorf("no columns: %v", err)
	}
	if _, err := profile.Build(nil, nil, profile.Options{}); err == nil {
		t.Error("nil table: no error")
	}
}

func TestNames(t *testing.T) {
	tests := []struct {
		name   string
		x      []float64
		labels []int
		want   []string
	}{
		{
			// Segments 1 and 2 are alike: the larger (then lower ID) keeps the name.
			"duplicates", []float64{1, 1, 2, 2, 10, 10, 11, 11, 10, 11, 10, 11, 10},
			[]int{0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 2},
			[]string{"Low x", "High x (2)", "High x"},
		},
		{
			// Same spread as the population: nothing distinguishes them.
			"average", []float64{1, 10, 1, 10, 1, 10}, []int{0, 0, 1, 1, 2, 2},
			[]string{"Average customers", "Average customers (2)", "Average customers (3)"},
		},
		{
			// The middle segment is concentrated around the population's middle.
			"mid", []float64{0, 1, 2, 3, 49, 50, 51, 97, 98, 99, 100}, []int{0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2},
			[]string{"Low x", "Mid x", "High x"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := profile.Build(table(num("x", tt.x...)), tt.labels, profile.Options{})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, s := range p.Segments {
				got = append(got, s.Name)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("names %q, want %q", got, tt.want)
			}
		})
	}
}

func TestRename(t *testing.T) {
	p, err := profile.Build(table(num("x", 1, 2, 10, 11)), []int{3, 3, 7, 7}, profile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		id   int
		name string
		err  error
	}{
		{3, "  Bargain hunters ", nil},
		{7, "Bargain hunters", profile.ErrName},
		{7, " ", profile.ErrName},
		{0, "Nobody", profile.ErrNoSegment},
		{-1, "All", profile.ErrNoSegment},
		{7, "Big spenders", nil},
	}
	for _, tt := range tests {
		if err := p.Rename(tt.id, tt.name); !errors.Is(err, tt.err) {
			t.Errorf("Rename(%d, %q) = %v, want %v", tt.id, tt.name, err, tt.err)
		}
	}
	if got := p.Names(); !reflect.DeepEqual(got, map[int]string{3: "Bargain hunters", 7: "Big spenders"}) {
		t.Errorf("Names() = %v", got)
	}
}

func TestMaxCategories(t *testing.T) {
	tab := table(cat("c", "a", "a", "a", "b", "b", "c", "d", "a"))
	p, err := profile.Build(tab, []int{0, 0, 0, 0, 1, 1, 1, 1}, profile.Options{MaxCategories: 2})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range p.Population.Categorical[0].Shares {
		got = append(got, s.Value+":"+strings.Repeat("*", s.Count))
	}
	if want := []string{"a:****", "b:**", "(other):**"}; !reflect.DeepEqual(got, want) {
		t.Errorf("population %v, want %v", got, want)
	}
	s1 := p.Segments[1].Categorical[0].Shares
	if s1[0].Value != "(other)" || s1[0].Count != 2 || s1[1].Value != "a" || s1[1].Count != 1 {
		t.Errorf("segment 1 %+v", s1)
	}
	for _, f := range p.Segments[1].Distinguishing {
		if f.Value == profile.Other {
			t.Errorf("Other is distinguishing: %+v", f)
		}
	}
}

// Mall customers, k-means (k = 5) on income and spending: the names are the
// textbook ones. Segments are matched by their means, not their label ids.
func TestMallNames(t *testing.T) {
	tab := mall(t)
	labels := mallKMeans(t, tab)
	for _, cols := range [][]string{{income, spending}, nil} {
		p, err := profile.Build(tab, labels, profile.Options{Columns: cols})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, s := range p.Segments {
			var inc, spend float64
			for _, n := range s.Numeric {
				switch n.Column {
				case income:
					inc = n.Mean
				case spending:
					spend = n.Mean
				}
			}
			level := func(x, lo, hi float64) string {
				switch {
				case x < lo:
					return "low"
				case x > hi:
					return "high"
				}
				return "mid"
			}
			got[level(inc, 40, 70)+"/"+level(spend, 35, 65)] = s.Name
			t.Logf("columns %v: %s: %s", cols, s.Name, s.Description)
		}
		want := map[string]string{
			"high/low":  "High income · Low spending",
			"high/high": "High income · High spending",
			"low/low":   "Low income · Low spending",
			"low/high":  "Low income · High spending",
			"mid/mid":   "Mid income · Mid spending",
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("columns %v: names by centroid\n got %v\nwant %v", cols, got, want)
		}
	}
}

// mallRuleLabels labels Mall customers with the textbook rectangles, so the
// golden report does not depend on a clustering algorithm. The last two
// rows are marked noise and not clustered.
func mallRuleLabels(tab *dataset.Table) []int {
	inc, sp := tab.Column(income).Num, tab.Column(spending).Num
	labels := make([]int, tab.Rows)
	for i := range labels {
		switch {
		case inc[i] <= 40 && sp[i] > 50:
			labels[i] = 0
		case inc[i] <= 40:
			labels[i] = 1
		case inc[i] > 70 && sp[i] > 50:
			labels[i] = 2
		case inc[i] > 70:
			labels[i] = 3
		default:
			labels[i] = 4
		}
	}
	labels[tab.Rows-2] = profile.Noise
	labels[tab.Rows-1] = profile.NotClustered
	return labels
}

func TestMallGolden(t *testing.T) {
	tab := mall(t)
	p, err := profile.Build(tab, mallRuleLabels(tab), profile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var text bytes.Buffer
	if err := p.Text(&text); err != nil {
		t.Fatal(err)
	}
	golden(t, "mall.txt", text.Bytes())
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := range max(len(g), len(w)) {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			t.Errorf("%s differs from the golden file at line %d (go test -update rewrites it):\n got %q\nwant %q", name, i+1, gl, wl)
			return
		}
	}
}

func TestCSVAndJSON(t *testing.T) {
	tab := table(num("x", 1, 2, 3, 10, 11, 12), cat("g", "a", "a", "b", "b", "b", "b"))
	p, err := profile.Build(tab, []int{0, 0, 0, 1, 1, 1}, profile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := p.CSV(&buf); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// Per segment: size, share; x: 8 (+ z, effect); g: missing + 2 × 4.
	if want := 1 + (2 + 8 + 9) + 2*(2+10+9); len(recs) != want {
		t.Errorf("%d CSV rows, want %d", len(recs), want)
	}
	if got := strings.Join(recs[0], ","); got != "segment,name,column,category,statistic,value" {
		t.Errorf("header %q", got)
	}
	found := false
	for _, r := range recs {
		if r[0] == "0" && r[2] == "x" && r[4] == "effect" {
			found = r[5] == "-9" && r[1] == "Low x · Mostly a"
		}
	}
	if !found {
		t.Error("no effect row for segment 0")
	}

	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"population_share":`, `"distinguishing":`, `"clustered":6`, `"q1":1.5`} {
		if !bytes.Contains(b, []byte(key)) {
			t.Errorf("JSON lacks %s", key)
		}
	}
	var back profile.Profile
	if err := json.Unmarshal(b, &back); err != nil || !reflect.DeepEqual(&back, p) {
		t.Errorf("JSON round trip differs (err %v)", err)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteErrors(t *testing.T) {
	p, err := profile.Build(table(num("x", 1, 2, 10, 11)), []int{0, 0, 1, 1}, profile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Text(failWriter{}); err == nil {
		t.Error("Text: no error")
	}
	if err := p.CSV(failWriter{}); err == nil {
		t.Error("CSV: no error")
	}
}
