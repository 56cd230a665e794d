package explain_test

import (
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/segkit/segkit/core/dataset"
	"github.com/segkit/segkit/core/explain"
)

func num(name string, xs ...float64) *dataset.Column {
	c := &dataset.Column{Name: name, Kind: dataset.KindFloat, Num: xs}
	for _, x := range xs {
		if math.IsNaN(x) {
			c.Missing++
		}
	}
	return c
}

// grid returns x, y ∈ 1..10 (100 rows) labelled by a depth-2 tree:
// x ≤ 5 → (y ≤ 3 → 0, else 1); x > 5 → (y ≤ 7 → 2, else 3).
func grid() (*dataset.Table, []int) {
	var xs, ys []float64
	var labels []int
	for x := 1; x <= 10; x++ {
		for y := 1; y <= 10; y++ {
			xs, ys = append(xs, float64(x)), append(ys, float64(y))
			switch {
			case x <= 5 && y <= 3:
				labels = append(labels, 0)
			case x <= 5:
				labels = append(labels, 1)
			case y <= 7:
				labels = append(labels, 2)
			default:
				labels = append(labels, 3)
			}
		}
	}
	return &dataset.Table{Rows: len(xs), Columns: []*dataset.Column{num("x", xs...), num("y", ys...)}}, labels
}

// checkPredict verifies that Predict agrees with the rules' counts: the
// fidelity is the share of clustered rows whose prediction is their label.
func checkPredict(t *testing.T, e *explain.Explanation, tab *dataset.Table, labels []int) {
	t.Helper()
	hits, rows := 0, 0
	support := map[int]int{}
	for i, l := range labels {
		if l < 0 {
			continue
		}
		rows++
		p := e.Predict(tab, i)
		if p == l {
			hits++
		}
		support[p]++
	}
	if rows != e.Rows || math.Abs(float64(hits)/float64(rows)-e.Fidelity) > 1e-12 {
		t.Errorf("Predict: %d of %d rows right, Explanation says fidelity %v on %d rows", hits, rows, e.Fidelity, e.Rows)
	}
	want := map[int]int{}
	for _, r := range e.Rules {
		want[r.Segment] += r.Support
	}
	if !reflect.DeepEqual(support, want) {
		t.Errorf("Predict support %v, rules %v", support, want)
	}
}

func TestTreeKnownDepth2(t *testing.T) {
	tab, labels := grid()
	e, err := explain.Tree(tab, labels, explain.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if e.Fidelity != 1 || e.Depth != 2 || e.Rows != 100 {
		t.Errorf("fidelity %v depth %d rows %d", e.Fidelity, e.Depth, e.Rows)
	}
	var got []string
	for _, r := range e.Rules {
		got = append(got, r.Text)
	}
	want := []string{
		"x ≤ 5.5 and y ≤ 3.5 → segment 0",
		"x ≤ 5.5 and y > 3.5 → segment 1",
		"x > 5.5 and y ≤ 7.5 → segment 2",
		"x > 5.5 and y > 7.5 → segment 3",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("rules\n got %q\nwant %q", got, want)
	}
	r := e.Rules[2]
	wantConds := []explain.Condition{{Column: "x", Op: ">", Threshold: 5.5, OrMissing: false}, {Column: "y", Op: "<=", Threshold: 7.5, OrMissing: true}}
	if !reflect.DeepEqual(r.Conditions, wantConds) || r.Support != 35 || r.Correct != 35 {
		t.Errorf("rule 2 = %+v", r)
	}
	checkPredict(t, e, tab, labels)

	// Depth 1 keeps only the first split; the leaves then hold two segments.
	e1, err := explain.Tree(tab, labels, explain.Options{MaxDepth: 1})
	if err != nil {
		t.Fatal(err)
	}
	if e1.Depth != 1 || len(e1.Rules) != 2 || e1.Fidelity != 0.7 {
		t.Errorf("depth 1: %+v", e1)
	}
}

func TestTreeCategoricalMissingNoise(t *testing.T) {
	// Segment 1 is g = "b"; x only adds noise. A few x values are missing;
	// rows labelled -1 and -2 are left out.
	nan := math.NaN()
	g := &dataset.Column{Name: "g", Kind: dataset.KindCategorical}
	var xs []float64
	var labels []int
	for i := range 60 {
		v := []string{"a", "b", "c"}[i%3]
		g.Str = append(g.Str, v)
		x := float64(i % 7)
		if i%11 == 0 {
			x = nan
		}
		xs = append(xs, x)
		l := 0
		if v == "b" {
			l = 1
		}
		if i == 5 {
			l = -1
		}
		if i == 7 {
			l = -2
		}
		labels = append(labels, l)
	}
	tab := &dataset.Table{Rows: 60, Columns: []*dataset.Column{num("x", xs...), g}}
	e, err := explain.Tree(tab, labels, explain.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range e.Rules {
		got = append(got, r.Text)
	}
	if want := []string{"g ≠ b → segment 0", "g = b → segment 1"}; !reflect.DeepEqual(got, want) || e.Fidelity != 1 || e.Rows != 58 {
		t.Errorf("rules %q fidelity %v rows %d", got, e.Fidelity, e.Rows)
	}
	checkPredict(t, e, tab, labels)
	// A new category meets "≠"; a missing one follows the larger branch (≠ b: 40 rows).
	g.Str[0], g.Str[1] = "z", ""
	if p0, p1 := e.Predict(tab, 0), e.Predict(tab, 1); p0 != 0 || p1 != 0 {
		t.Errorf("unseen → %d, missing → %d", p0, p1)
	}
	if e.Predict(tab, -1) != -1 || e.Predict(tab, 60) != -1 {
		t.Error("out of range row not -1")
	}
}

// Missing numeric values go to the larger child, at fit and at Predict.
func TestTreeNumericMissing(t *testing.T) {
	nan := math.NaN()
	var xs []float64
	var labels []int
	for i := range 40 {
		x := float64(i)
		l := 0
		if i >= 30 {
			l = 1
		}
		if i%10 == 3 { // missing in the larger (≤) side's segment mostly
			x = nan
		}
		xs = append(xs, x)
		labels = append(labels, l)
	}
	tab := &dataset.Table{Rows: 40, Columns: []*dataset.Column{num("x", xs...)}}
	e, err := explain.Tree(tab, labels, explain.Options{MinLeaf: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Rules) != 2 || e.Rules[0].Text != "x ≤ 29.5 (or missing) → segment 0" || e.Rules[1].Text != "x > 29.5 → segment 1" {
		t.Errorf("rules %+v", e.Rules)
	}
	checkPredict(t, e, tab, labels)
	if e.Fidelity != 39.0/40 {
		t.Errorf("fidelity %v, want 39/40 (the missing value of segment 1 goes to segment 0)", e.Fidelity)
	}
}

func TestNiceThresholds(t *testing.T) {
	// Thresholds printed by Tree on two rows with the given values.
	tests := []struct {
		lo, hi float64
		want   string
	}{
		{69, 70, "69.5"}, {12.34, 15.6, "14"}, {0.1, 0.2, "0.15"}, {1, 3, "2"}, {-1, 0, "-0.5"},
		{32, 34, "33"}, {0.123, 0.1234, "0.1232"}, {30000, 40000, "35000"}, {2.5, 2.6, "2.55"},
	}
	for _, tt := range tests {
		tab := &dataset.Table{Rows: 2, Columns: []*dataset.Column{num("v", tt.lo, tt.hi)}}
		e, err := explain.Tree(tab, []int{0, 1}, explain.Options{MinLeaf: 1})
		if err != nil {
			t.Fatal(err)
		}
		if len(e.Rules) != 2 || e.Rules[0].Text != "v ≤ "+tt.want+" → segment 0" {
			t.Errorf("(%v, %v): rules %+v, want threshold %s", tt.lo, tt.hi, e.Rules, tt.want)
		}
	}
}

func TestTreeErrors(t *testing.T) {
	tab := &dataset.Table{Rows: 3, Columns: []*dataset.Column{
		{Name: "id", Kind: dataset.KindIdentifier, Str: []string{"1", "2", "3"}},
		num("x", 1, 2, 3),
	}}
	tests := []struct {
		name   string
		labels []int
		opt    explain.Options
		err    error
		msg    string
	}{
		{"short labels", []int{0}, explain.Options{}, explain.ErrLabels, "1 labels for 3 rows"},
		{"bad label", []int{0, -5, 1}, explain.Options{}, explain.ErrLabels, "row 2 has label -5"},
		{"no segment", []int{-1, -2, -1}, explain.Options{}, explain.ErrLabels, "no row is in a segment"},
		{"unknown", []int{0, 0, 1}, explain.Options{Columns: []string{"nope"}}, explain.ErrUnknownColumn, `column "nope"`},
		{"identifier", []int{0, 0, 1}, explain.Options{Columns: []string{"id"}}, explain.ErrNotFeature, `column "id" is identifier`},
		{"twice", []int{0, 0, 1}, explain.Options{Columns: []string{"x", "x"}}, explain.ErrNotFeature, `column "x" is named twice`},
		{"too deep", []int{0, 0, 1}, explain.Options{MaxDepth: 6}, explain.ErrOptions, "MaxDepth 6"},
		{"negative leaf", []int{0, 0, 1}, explain.Options{MinLeaf: -1}, explain.ErrOptions, "MinLeaf -1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := explain.Tree(tab, tt.labels, tt.opt)
			if !errors.Is(err, tt.err) || !strings.Contains(err.Error(), tt.msg) || !strings.HasPrefix(err.Error(), "explain: ") {
				t.Errorf("err = %v, want %v containing %q", err, tt.err, tt.msg)
			}
		})
	}
	if _, err := explain.Tree(nil, nil, explain.Options{}); err == nil {
		t.Error("nil table: no error")
	}
}

func TestOneSegment(t *testing.T) {
	tab := &dataset.Table{Rows: 3, Columns: []*dataset.Column{num("x", 1, 2, 3)}}
	e, err := explain.Tree(tab, []int{4, 4, 4}, explain.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Rules) != 1 || e.Rules[0].Text != "every customer → segment 4" || e.Fidelity != 1 || e.Depth != 0 {
		t.Errorf("%+v", e)
	}
}

// Mall customers, k-means (k = 5) on income and spending.
func TestMallFidelity(t *testing.T) {
	tab := mall(t)
	labels := mallKMeans(t, tab)
	for _, cols := range [][]string{{income, spending}, nil} {
		e, err := explain.Tree(tab, labels, explain.Options{Columns: cols})
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		_ = e.Text(&b)
		t.Logf("columns %v:\n%s", cols, b.String())
		if e.Fidelity < 0.9 || e.Depth > 3 {
			t.Errorf("fidelity %v depth %d, want ≥ 0.9 and ≤ 3", e.Fidelity, e.Depth)
		}
		checkPredict(t, e, tab, labels)

		// Deterministic, and the same after a JSON round trip.
		again, _ := explain.Tree(tab, labels, explain.Options{Columns: cols})
		if !reflect.DeepEqual(e, again) {
			t.Error("two runs differ")
		}
		data, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		var back explain.Explanation
		if err := json.Unmarshal(data, &back); err != nil || !reflect.DeepEqual(&back, e) {
			t.Errorf("JSON round trip differs (%v)", err)
		}
		if !strings.Contains(string(data), `"or_missing"`) {
			t.Errorf("JSON keys: %s", data)
		}
	}
}
