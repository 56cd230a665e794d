package prep

import (
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/segkit/segkit/core/dataset"
)

func TestFitSelectionErrors(t *testing.T) {
	withText := func() *dataset.Table {
		tb := mall()
		tb.Columns = append(tb.Columns,
			strCol("Notes", dataset.KindText, "a", "b", "c", "d", "e", "f"),
			&dataset.Column{Name: "Blank", Kind: dataset.KindEmpty, Missing: 6},
			numCol("Debt", dataset.KindFloat, -1, 0, 2, 3, 4, 5))
		return tb
	}
	tests := []struct {
		name    string
		spec    Spec
		wantErr error
		want    []string // substrings of the message
	}{
		{"unknown column", Spec{Columns: []string{"Agee"}}, ErrUnknownColumn,
			[]string{`prep: unknown column "Agee"; available: CustomerID, Genre, Age, Annual Income (k$), Spending Score (1-100)`}},
		{"unknown drop", Spec{Drop: []string{"Sex"}}, ErrUnknownColumn, []string{`"Sex"`, "available: CustomerID"}},
		{"unknown log column", Spec{LogColumns: []string{"Incom"}}, ErrUnknownColumn, []string{`"Incom"`}},
		{"identifier", Spec{Columns: []string{"CustomerID"}}, ErrNotFeature, []string{`"CustomerID"`, "identifier"}},
		{"identifier with one-hot", Spec{Columns: []string{"CustomerID"}, OneHot: true}, ErrNotFeature, []string{"identifier"}},
		{"text", Spec{Columns: []string{"Notes"}, OneHot: true}, ErrNotFeature, []string{`"Notes"`, "free text"}},
		{"empty column", Spec{Columns: []string{"Blank"}}, ErrNotFeature, []string{`"Blank"`, "every cell is missing"}},
		{"categorical without one-hot", Spec{Columns: []string{"Age", "Genre"}}, ErrNotFeature, []string{`"Genre"`, "set OneHot"}},
		{"twice", Spec{Columns: []string{"Age", "Age"}}, nil, []string{`"Age" is selected twice`}},
		{"all dropped", Spec{Columns: []string{"Age"}, Drop: []string{"Age"}}, ErrNoFeatures, []string{"dropped"}},
		{"log not selected", Spec{Columns: []string{"Age"}, LogColumns: []string{"Debt"}}, nil, []string{`"Debt"`, "not a selected feature"}},
		{"log categorical", Spec{LogColumns: []string{"Genre"}, OneHot: true}, nil, []string{`"Genre"`, "categorical"}},
		{"log negative", Spec{LogColumns: []string{"Debt"}}, nil, []string{`"Debt"`, "negative", "-1"}},
		{"bad scale", Spec{Scale: Scale(9)}, nil, []string{"scale(9)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, _, err := Fit(withText(), tt.spec)
			if err == nil {
				t.Fatal("no error")
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("error %v does not wrap %v", err, tt.wantErr)
			}
			if !strings.HasPrefix(err.Error(), "prep: ") {
				t.Errorf("error %q lacks the prep: prefix", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestFitNoFeatures(t *testing.T) {
	tb := table(strCol("Name", dataset.KindText, "a", "b"), strCol("Genre", dataset.KindCategorical, "x", "y"))
	_, _, _, err := Fit(tb, Spec{})
	if !errors.Is(err, ErrNoFeatures) || !strings.Contains(err.Error(), "Genre (categorical)") {
		t.Errorf("err = %v", err)
	}
	if _, _, _, err := Fit(tb, Spec{OneHot: true}); err != nil {
		t.Errorf("with OneHot the categorical column is a feature: %v", err)
	}
	if _, _, _, err := Fit(table(numCol("A", dataset.KindFloat)), Spec{}); !errors.Is(err, ErrNoRows) {
		t.Errorf("empty table: err = %v, want ErrNoRows", err)
	}
	if _, _, _, err := Fit(nil, Spec{}); err == nil {
		t.Error("nil table: no error")
	}
}

func TestFitDefaultSelection(t *testing.T) {
	tests := []struct {
		name string
		spec Spec
		want []string
	}{
		{"numeric", Spec{}, []string{"Age", "Annual Income (k$)", "Spending Score (1-100)"}},
		{"one-hot adds categorical", Spec{OneHot: true}, []string{"Genre=Female", "Genre=Male", "Age", "Annual Income (k$)", "Spending Score (1-100)"}},
		{"drop", Spec{Drop: []string{"Age", "Genre"}}, []string{"Annual Income (k$)", "Spending Score (1-100)"}},
		{"explicit order", Spec{Columns: []string{"Spending Score (1-100)", "Genre", "Age"}, OneHot: true}, []string{"Spending Score (1-100)", "Genre=Female", "Genre=Male", "Age"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, rep, rows := mustFit(t, mall(), tt.spec)
			if !slices.Equal(p.FeatureNames(), tt.want) || !slices.Equal(rep.Features, tt.want) {
				t.Errorf("features %q / %q, want %q", p.FeatureNames(), rep.Features, tt.want)
			}
			if len(rows) != 6 || len(rows[0]) != len(tt.want) {
				t.Errorf("matrix %d×%d", len(rows), len(rows[0]))
			}
		})
	}
}

func TestFitImpute(t *testing.T) {
	tb := table(
		numCol("A", dataset.KindFloat, 1, nan, 3, 10),
		strCol("G", dataset.KindCategorical, "b", "a", "", "b"),
	)
	tests := []struct {
		name     string
		spec     Spec
		want     [][]float64
		kept     []int
		imputed  map[string]int
		fillA    float64
		dropped  int
		fillG    string
		features []string
	}{
		{"median", Spec{Log: LogNone, Scale: ScaleNone, OneHot: true},
			[][]float64{{1, 0, 1}, {3, 1, 0}, {3, 0, 1}, {10, 0, 1}}, nil, map[string]int{"A": 1, "G": 1}, 3, 0, "b", nil},
		{"mean", Spec{Impute: ImputeMean, Log: LogNone, Scale: ScaleNone, OneHot: true},
			[][]float64{{1, 0, 1}, {14.0 / 3, 1, 0}, {3, 0, 1}, {10, 0, 1}}, nil, map[string]int{"A": 1, "G": 1}, 14.0 / 3, 0, "b", nil},
		{"drop", Spec{Impute: ImputeDrop, Log: LogNone, Scale: ScaleNone, OneHot: true},
			[][]float64{{1, 1}, {10, 1}}, []int{0, 3}, map[string]int{}, 0, 2, "", []string{"G=b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, rep, rows := mustFit(t, tb, tt.spec)
			if !slices.EqualFunc(rows, tt.want, slices.Equal) {
				t.Errorf("matrix %v, want %v", rows, tt.want)
			}
			if !slices.Equal(rep.Kept, tt.kept) || (rep.Kept == nil) != (tt.kept == nil) {
				t.Errorf("Kept %v, want %v", rep.Kept, tt.kept)
			}
			if rep.RowsDropped != tt.dropped || rep.Rows != len(tt.want) {
				t.Errorf("Rows %d RowsDropped %d", rep.Rows, rep.RowsDropped)
			}
			if len(rep.Imputed) != len(tt.imputed) {
				t.Errorf("Imputed %v, want %v", rep.Imputed, tt.imputed)
			}
			for k, v := range tt.imputed {
				if rep.Imputed[k] != v {
					t.Errorf("Imputed %v, want %v", rep.Imputed, tt.imputed)
				}
			}
			if p.Steps[0].Numeric.Fill != tt.fillA || p.Steps[1].OneHot.Fill != tt.fillG {
				t.Errorf("fills %v %q", p.Steps[0].Numeric.Fill, p.Steps[1].OneHot.Fill)
			}
			if tt.features != nil && !slices.Equal(p.FeatureNames(), []string{"A", "G=b"}) {
				t.Errorf("features %q", p.FeatureNames())
			}
			if !slices.Equal(rep.ZeroVariance, tt.features) {
				t.Errorf("ZeroVariance %q, want %q", rep.ZeroVariance, tt.features)
			}
		})
	}
}

func TestFitZeroVarianceNeverNaN(t *testing.T) {
	tb := table(
		numCol("Const", dataset.KindFloat, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1),
		numCol("Zeros", dataset.KindInteger, 0, 0, 0, 0, 0, 0, 0, 0, 1, 9),
		numCol("One", dataset.KindInteger, 5, nan, nan, nan, nan, nan, nan, nan, nan, nan),
	)
	for _, sc := range []Scale{ScaleStandard, ScaleMinMax, ScaleRobust, ScaleNone} {
		for _, lg := range []LogMode{LogAuto, LogNone, LogAll} {
			t.Run(sc.String()+"/"+lg.String(), func(t *testing.T) {
				_, rep, rows := mustFit(t, tb, Spec{Scale: sc, Log: lg})
				for i, r := range rows {
					for j, v := range r {
						if math.IsNaN(v) || math.IsInf(v, 0) {
							t.Fatalf("row %d col %d = %v", i, j, v)
						}
						if j != 1 && sc != ScaleNone && v != 0 {
							t.Errorf("constant column %d row %d = %v, want exactly 0", j, i, v)
						}
					}
				}
				want := []string{"Const", "One"}
				if sc == ScaleRobust {
					want = []string{"Const", "Zeros", "One"} // IQR 0
				}
				if !slices.Equal(rep.ZeroVariance, want) {
					t.Errorf("ZeroVariance %q, want %q", rep.ZeroVariance, want)
				}
			})
		}
	}
}

func TestFitNotFinite(t *testing.T) {
	tb := table(numCol("Income", dataset.KindFloat, 1, 2, math.Inf(1), 4))
	_, _, _, err := Fit(tb, Spec{})
	var ve *ValueError
	if !errors.As(err, &ve) || !errors.Is(err, ErrNotFinite) || ve.Column != "Income" || ve.Row != 2 {
		t.Fatalf("err = %v, want a ValueError for Income row 2", err)
	}
	if want := `prep: column "Income", row 2: value +Inf is not finite`; !strings.HasPrefix(err.Error(), want) {
		t.Errorf("message %q, want prefix %q", err, want)
	}
	huge := table(numCol("Huge", dataset.KindFloat, -math.MaxFloat64, math.MaxFloat64))
	if _, _, _, err := Fit(huge, Spec{Scale: ScaleMinMax}); !errors.Is(err, ErrNotFinite) {
		t.Errorf("overflowing range: err = %v, want ErrNotFinite", err)
	}
}

func TestFitLogRule(t *testing.T) {
	skewed := []float64{1, 1, 1, 1, 2, 2, 3, 50}
	negSkewed := []float64{-1, 1, 1, 1, 2, 2, 3, 50}
	flat := []float64{1, 2, 3, 4, 5, 6, 7, 8}
	tb := table(
		numCol("Skewed", dataset.KindFloat, skewed...),
		numCol("NegSkewed", dataset.KindFloat, negSkewed...),
		numCol("Flat", dataset.KindFloat, flat...),
		numCol("Signup", dataset.KindDate, 1.5e9, 1.5e9, 1.5e9, 1.5e9, 1.5e9, 1.5e9, 1.5e9, 1.7e9),
	)
	cols := []string{"Skewed", "NegSkewed", "Flat", "Signup"}
	tests := []struct {
		name string
		spec Spec
		want []string
	}{
		{"auto", Spec{Columns: cols}, []string{"Skewed"}},
		{"none", Spec{Columns: cols, Log: LogNone}, nil},
		{"all", Spec{Columns: cols, Log: LogAll}, []string{"Skewed", "Flat"}},
		{"auto plus explicit", Spec{Columns: cols, LogColumns: []string{"Flat"}}, []string{"Skewed", "Flat"}},
		{"only explicit", Spec{Columns: cols, Log: LogNone, LogColumns: []string{"Flat"}}, []string{"Flat"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, rep, _ := mustFit(t, tb, tt.spec)
			if !slices.Equal(rep.Logged, tt.want) {
				t.Errorf("Logged %q, want %q", rep.Logged, tt.want)
			}
			for _, s := range p.Steps {
				if s.Numeric.Log != slices.Contains(tt.want, s.Column) {
					t.Errorf("step %s Log = %v", s.Column, s.Numeric.Log)
				}
			}
		})
	}
	if _, _, _, err := Fit(tb, Spec{Columns: cols, LogColumns: []string{"Signup"}}); err == nil || !strings.Contains(err.Error(), "date") {
		t.Errorf("logging a date: err = %v", err)
	}
}

func TestFitDateIsDays(t *testing.T) {
	day := 86400.0
	tb := table(
		numCol("Signup", dataset.KindDate, 0, 10*day, nan, 20*day+day/2),
		numCol("Age", dataset.KindInteger, 1, 2, 3, 4),
	)
	tb.Columns[0].DateLayout = "2006-01-02"
	p, rep, rows := mustFit(t, tb, Spec{Columns: []string{"Signup"}, Scale: ScaleNone, Log: LogAll})
	want := [][]float64{{0}, {10}, {10}, {20.5}}
	if !slices.EqualFunc(rows, want, slices.Equal) {
		t.Errorf("matrix %v, want %v", rows, want)
	}
	if p.Steps[0].DateLayout != "2006-01-02" || p.Steps[0].Kind != "date" || len(rep.Logged) != 0 {
		t.Errorf("step %+v, logged %q", p.Steps[0], rep.Logged)
	}
	if got := p.Inverse([]float64{20.5})["Signup"]; got != 20.5*day {
		t.Errorf("Inverse = %v, want Unix seconds %v", got, 20.5*day)
	}
	if _, _, _, err := Fit(tb, Spec{}); err != nil {
		t.Fatal(err)
	} else if p, _, _, _ := Fit(tb, Spec{}); slices.Contains(p.InputColumns(), "Signup") {
		t.Error("a date column was selected by default")
	}
}

func TestInverse(t *testing.T) {
	tb := table(
		numCol("Spend", dataset.KindFloat, 0, 3, 8, 1000, 2.5, 40),
		strCol("G", dataset.KindCategorical, "a", "b", "a", "b", "a", "c"),
		numCol("Balance", dataset.KindFloat, -3, 5, 1, 0, 2, 7),
	)
	for _, sc := range []Scale{ScaleStandard, ScaleMinMax, ScaleRobust, ScaleNone} {
		t.Run(sc.String(), func(t *testing.T) {
			p, rep, rows := mustFit(t, tb, Spec{Scale: sc, OneHot: true})
			if !slices.Equal(rep.Logged, []string{"Spend"}) {
				t.Fatalf("Logged %q", rep.Logged)
			}
			for i, r := range rows {
				got := p.Inverse(r)
				if len(got) != 2 {
					t.Fatalf("Inverse gave %v", got)
				}
				for _, c := range []int{0, 2} {
					name, want := tb.Columns[c].Name, tb.Columns[c].Num[i]
					if !closeTo(got[name], want, 1e-12) {
						t.Errorf("row %d %s = %v, want %v", i, name, got[name], want)
					}
				}
			}
			if p.Inverse(rows[0][:2]) != nil {
				t.Error("Inverse of a short vector is not nil")
			}
		})
	}
}

func TestEnums(t *testing.T) {
	for _, s := range []Scale{ScaleStandard, ScaleMinMax, ScaleRobust, ScaleNone} {
		got, err := ParseScale(strings.ToUpper(s.String()))
		if err != nil || got != s {
			t.Errorf("ParseScale(%q) = %v, %v", s, got, err)
		}
	}
	for _, m := range []Impute{ImputeMedian, ImputeMean, ImputeDrop} {
		if got, err := ParseImpute(m.String()); err != nil || got != m {
			t.Errorf("ParseImpute(%q) = %v, %v", m, got, err)
		}
	}
	for _, m := range []LogMode{LogAuto, LogNone, LogAll} {
		if got, err := ParseLogMode(m.String()); err != nil || got != m {
			t.Errorf("ParseLogMode(%q) = %v, %v", m, got, err)
		}
	}
	_, err := ParseScale("zscore")
	if err == nil || err.Error() != `prep: unknown scaling "zscore"; expected one of standard, minmax, robust, none` {
		t.Errorf("ParseScale(zscore) error %v", err)
	}
	if Scale(7).String() != "scale(7)" {
		t.Error(Scale(7).String())
	}
	if _, err := Scale(7).MarshalText(); err == nil {
		t.Error("MarshalText of an invalid scale")
	}
}

// TestCodes checks the category-code encoding for the mixed-data
// algorithms: one feature per categorical column holding the index of the
// category among the sorted training categories, an unseen category coded
// len(categories), the same in Fit, Transform and TransformRecord.
func TestCodes(t *testing.T) {
	tab := &dataset.Table{Rows: 4, Columns: []*dataset.Column{
		{Name: "region", Kind: dataset.KindCategorical, Str: []string{"south", "north", "", "west"}, Missing: 1},
		{Name: "spend", Kind: dataset.KindFloat, Num: []float64{1, 2, 3, 4}},
	}}
	p, x, rep, err := Fit(tab, Spec{Codes: true, Scale: ScaleNone, Log: LogNone})
	if err != nil {
		t.Fatal(err)
	}
	if got := p.FeatureNames(); !slices.Equal(got, []string{"region", "spend"}) {
		t.Fatalf("features %v", got)
	}
	if got := p.Categorical(); !slices.Equal(got, []bool{true, false}) {
		t.Fatalf("mask %v", got)
	}
	// Categories north, south, west; the missing cell takes the most
	// frequent category (a tie of one each goes to the smallest, north).
	want := []float64{1, 1, 0, 2, 0, 3, 2, 4}
	if !slices.Equal(x.Data, want) {
		t.Fatalf("matrix %v, want %v", x.Data, want)
	}
	if rep.Imputed["region"] != 1 {
		t.Fatalf("imputed %v", rep.Imputed)
	}
	got, err := p.TransformRecord(map[string]any{"region": "east", "spend": 5})
	if err != nil || !slices.Equal(got, []float64{3, 5}) {
		t.Fatalf("unseen category: %v, %v; want code 3", got, err)
	}
	if _, _, _, err := Fit(tab, Spec{Codes: true, OneHot: true}); err == nil {
		t.Fatal("OneHot with Codes was accepted")
	}
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	q, err := Decode(b)
	if err != nil || !slices.Equal(q.Categorical(), []bool{true, false}) {
		t.Fatalf("decoded: %v, %v", err, q.Categorical())
	}
}
