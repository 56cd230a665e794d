package prep

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/segkit/segkit/core/dataset"
)

// rawCustomers returns a realistic raw customer file as the reader sees it:
// a header and string cells with missing tokens, thousands separators,
// padded categories, dates, negative values, skewed and constant columns.
func rawCustomers(n int) (header []string, rows [][]string) {
	header = []string{"CustomerID", "Genre", "Age", "Income", "Spend", "Balance", "Visits", "Region", "Signup", "Const"}
	rng := rand.New(rand.NewPCG(1, 2))
	pick := func(p float64, miss, v string) string {
		if rng.Float64() < p {
			return miss
		}
		return v
	}
	missing := []string{"", "NA", "N/A", "?", "null", " "}
	regions := []string{"North", "South", "East", " West ", "Other"}
	start := time.Date(2012, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		income := math.Exp(10.5 + 0.8*rng.NormFloat64())
		incomeText := strconv.FormatFloat(income, 'f', 2, 64)
		if income >= 1000 && rng.IntN(2) == 0 { // "52,345.67"
			whole := strconv.Itoa(int(income))
			for k := len(whole) - 3; k > 0; k -= 3 {
				whole = whole[:k] + "," + whole[k:]
			}
			incomeText = whole + incomeText[strings.IndexByte(incomeText, '.'):]
		}
		m := missing[rng.IntN(len(missing))]
		rows = append(rows, []string{
			fmt.Sprintf("C%05d", i+1),
			pick(0.05, "", []string{"Male", "Female"}[rng.IntN(2)]),
			pick(0.06, m, strconv.Itoa(18+rng.IntN(60))),
			pick(0.08, m, incomeText),
			pick(0.04, m, strconv.FormatFloat(math.Exp(3+1.2*rng.NormFloat64()), 'f', 2, 64)),
			pick(0.03, m, strconv.FormatFloat(200*rng.NormFloat64(), 'f', 3, 64)),
			strconv.Itoa(int(rng.ExpFloat64() * 0.7)),
			pick(0.05, m, regions[rng.IntN(len(regions))]),
			pick(0.05, "", start.AddDate(0, 0, rng.IntN(900)).Format("2006-01-02")),
			"7",
		})
	}
	return header, rows
}

var rawKinds = map[string]dataset.Kind{
	"CustomerID": dataset.KindIdentifier, "Genre": dataset.KindCategorical, "Age": dataset.KindInteger,
	"Income": dataset.KindFloat, "Spend": dataset.KindFloat, "Balance": dataset.KindFloat,
	"Visits": dataset.KindInteger, "Region": dataset.KindCategorical, "Signup": dataset.KindDate,
	"Const": dataset.KindInteger,
}

// tableFromRaw builds the table the reader builds, cell by cell, with the
// dataset package's own parsing functions.
func tableFromRaw(t *testing.T, header []string, rows [][]string) *dataset.Table {
	t.Helper()
	tb := &dataset.Table{Rows: len(rows)}
	for j, name := range header {
		c := &dataset.Column{Name: name, Kind: rawKinds[name]}
		if c.Kind == dataset.KindDate {
			c.DateLayout = "2006-01-02"
		}
		for i, r := range rows {
			s := r[j]
			switch {
			case c.Kind == dataset.KindCategorical || c.Kind == dataset.KindIdentifier:
				s = dataset.CleanText(s)
				c.Str = append(c.Str, s)
				if s == "" {
					c.Missing++
				}
				continue
			case dataset.IsMissingToken(s):
				c.Num = append(c.Num, math.NaN())
				c.Missing++
				continue
			}
			var v float64
			var ok bool
			if c.Kind == dataset.KindDate {
				v, ok = dataset.ParseDate(s, c.DateLayout)
			} else {
				v, ok = dataset.ParseNumber(s)
			}
			if !ok {
				t.Fatalf("row %d column %s: cannot parse %q", i, name, s)
			}
			c.Num = append(c.Num, v)
		}
		tb.Columns = append(tb.Columns, c)
	}
	return tb
}

// records returns row i of the raw file in several forms a client might
// send: raw strings, typed JSON values (float64, nil), json.Number, Go ints.
func records(header []string, raw []string, tb *dataset.Table, i int) map[string]map[string]any {
	out := map[string]map[string]any{"strings": {}, "typed": {}, "json.Number": {}, "ints": {}}
	for j, name := range header {
		out["strings"][name] = raw[j]
		c := tb.Columns[j]
		for _, form := range []string{"typed", "json.Number", "ints"} {
			var v any
			switch {
			case c.Str != nil && c.Str[i] != "":
				v = c.Str[i]
			case c.Num != nil && !math.IsNaN(c.Num[i]):
				x := c.Num[i]
				switch {
				case form == "json.Number":
					v = json.Number(strconv.FormatFloat(x, 'g', -1, 64))
				case form == "ints" && x == math.Trunc(x):
					v = int64(x)
				default:
					v = x
				}
			}
			if v == nil && form == "ints" {
				continue // absent field = missing
			}
			out[form][name] = v
		}
	}
	return out
}

// TestRecordMatchesMatrix checks that TransformRecord, Transform and a
// JSON round trip all give bit-identical features to Fit, on every row of
// a realistic table, for every imputation, log mode and scaling.
func TestRecordMatchesMatrix(t *testing.T) {
	header, raw := rawCustomers(400)
	tb := tableFromRaw(t, header, raw)
	cols := []string{"Genre", "Age", "Income", "Spend", "Balance", "Visits", "Region", "Signup", "Const"}
	for _, imp := range []Impute{ImputeMedian, ImputeMean, ImputeDrop} {
		for _, lg := range []LogMode{LogAuto, LogNone, LogAll} {
			for _, sc := range []Scale{ScaleStandard, ScaleMinMax, ScaleRobust, ScaleNone} {
				spec := Spec{Columns: cols, Impute: imp, Log: lg, Scale: sc, OneHot: true}
				t.Run(imp.String()+"/"+lg.String()+"/"+sc.String(), func(t *testing.T) {
					p, m, rep, err := Fit(tb, spec)
					if err != nil {
						t.Fatal(err)
					}
					if lg == LogAuto && !slices.Contains(rep.Logged, "Spend") {
						t.Errorf("LogAuto did not log Spend (skewness %v)", rep.Skewness["Spend"])
					}
					if imp == ImputeDrop && (rep.Kept == nil || rep.RowsDropped == 0) {
						t.Fatalf("ImputeDrop dropped nothing")
					}
					b, err := json.Marshal(p)
					if err != nil {
						t.Fatal(err)
					}
					q, err := Decode(b)
					if err != nil {
						t.Fatalf("Decode(Marshal(p)): %v\n%s", err, b)
					}
					for _, pl := range []*Pipeline{p, q} {
						m2, kept, err := pl.Transform(tb)
						if err != nil {
							t.Fatal(err)
						}
						if !slices.Equal(kept, rep.Kept) || !sameBits(m2.Data, m.Data) {
							t.Fatalf("Transform differs from Fit")
						}
					}
					for k := range m.Rows {
						row := k
						if rep.Kept != nil {
							row = rep.Kept[k]
						}
						for form, rec := range records(header, raw[row], tb, row) {
							for name, pl := range map[string]*Pipeline{"fitted": p, "decoded": q} {
								got, err := pl.TransformRecord(rec)
								if err != nil {
									t.Fatalf("row %d (%s, %s): %v", row, form, name, err)
								}
								if !sameBits(got, m.Row(k)) {
									t.Fatalf("row %d (%s, %s): record gives %v, matrix %v", row, form, name, got, m.Row(k))
								}
							}
						}
					}
					for i, v := range m.Data {
						if math.IsNaN(v) || math.IsInf(v, 0) {
							t.Fatalf("non-finite value at %d", i)
						}
					}
				})
			}
		}
	}
}

func sameBits(a, b []float64) bool {
	return slices.EqualFunc(a, b, func(x, y float64) bool { return math.Float64bits(x) == math.Float64bits(y) })
}

func TestTransformNewTable(t *testing.T) {
	p, _, _ := mustFit(t, mall(), Spec{OneHot: true, Scale: ScaleNone, Log: LogNone})
	tests := []struct {
		name    string
		tb      *dataset.Table
		want    [][]float64
		wantErr error
		msg     string
	}{
		{"unseen category and missing values", table(
			strCol("Genre", dataset.KindCategorical, "Other", ""),
			numCol("Spending Score (1-100)", dataset.KindInteger, 50, nan),
			numCol("Age", dataset.KindFloat, nan, 40.5),
			numCol("Annual Income (k$)", dataset.KindInteger, 100, 1),
		), [][]float64{{0, 0, 22, 100, 50}, {1, 0, 40.5, 1, 58}}, nil, ""},
		{"numbers read as text", table(
			strCol("Genre", dataset.KindCategorical, "Male"),
			strCol("Spending Score (1-100)", dataset.KindText, " 1,234.5 "),
			strCol("Age", dataset.KindCategorical, "NA"),
			numCol("Annual Income (k$)", dataset.KindInteger, 3),
		), [][]float64{{0, 1, 22, 3, 1234.5}}, nil, ""},
		{"empty column", table(
			strCol("Genre", dataset.KindCategorical, "Male"),
			numCol("Spending Score (1-100)", dataset.KindInteger, 1),
			&dataset.Column{Name: "Age", Kind: dataset.KindEmpty, Missing: 1},
			numCol("Annual Income (k$)", dataset.KindInteger, 3),
		), [][]float64{{0, 1, 22, 3, 1}}, nil, ""},
		{"missing columns", table(numCol("Age", dataset.KindInteger, 1), numCol("Extra", dataset.KindInteger, 1)),
			nil, ErrMissingColumn, `prep: input columns missing from the table: "Genre", "Annual Income (k$)", "Spending Score (1-100)"; available: Age, Extra`},
		{"unparsable text", table(
			strCol("Genre", dataset.KindCategorical, "Male", "Male"),
			strCol("Spending Score (1-100)", dataset.KindText, "1", "lots"),
			numCol("Age", dataset.KindInteger, 1, 2),
			numCol("Annual Income (k$)", dataset.KindInteger, 3, 4),
		), nil, ErrBadValue, `prep: column "Spending Score (1-100)", row 1: value "lots" is not a number`},
		{"date where a number was", table(
			strCol("Genre", dataset.KindCategorical, "Male"),
			numCol("Spending Score (1-100)", dataset.KindInteger, 1),
			numCol("Age", dataset.KindDate, 1),
			numCol("Annual Income (k$)", dataset.KindInteger, 3),
		), nil, nil, `prep: column "Age" is a date in this table, expected integer`},
		{"short column", table(
			strCol("Genre", dataset.KindCategorical, "Male", "Male"),
			numCol("Spending Score (1-100)", dataset.KindInteger, 1),
			numCol("Age", dataset.KindInteger, 1, 2),
			numCol("Annual Income (k$)", dataset.KindInteger, 3, 4),
		), nil, nil, `prep: column "Spending Score (1-100)" has 1 values, but the table has 2 rows`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, kept, err := p.Transform(tt.tb)
			if tt.msg != "" {
				if err == nil || err.Error() != tt.msg {
					t.Fatalf("err = %v, want %s", err, tt.msg)
				}
				if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
					t.Errorf("err does not wrap %v", tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if kept != nil {
				t.Errorf("kept = %v, want nil", kept)
			}
			for i, want := range tt.want {
				if !slices.Equal(m.Row(i), want) {
					t.Errorf("row %d = %v, want %v", i, m.Row(i), want)
				}
			}
		})
	}
}

func TestTransformDrop(t *testing.T) {
	p, _, _ := mustFit(t, mall(), Spec{Impute: ImputeDrop, Scale: ScaleNone, Log: LogNone})
	tb := table(
		numCol("Age", dataset.KindInteger, nan, nan),
		numCol("Annual Income (k$)", dataset.KindInteger, 1, 2),
		numCol("Spending Score (1-100)", dataset.KindInteger, 1, 2),
	)
	m, kept, err := p.Transform(tb)
	if err != nil || m.Rows != 0 || m.Cols != 3 || kept == nil || len(kept) != 0 {
		t.Errorf("all dropped: %v %v %v", m, kept, err)
	}
	tb.Columns[0].Num[1] = 30
	m, kept, err = p.Transform(tb)
	if err != nil || m.Rows != 1 || !slices.Equal(kept, []int{1}) || !slices.Equal(m.Row(0), []float64{30, 2, 2}) {
		t.Errorf("one kept: %v %v %v", m, kept, err)
	}
}

func TestTransformRecord(t *testing.T) {
	spec := Spec{OneHot: true, Scale: ScaleNone, LogColumns: []string{"Spending Score (1-100)"}, Log: LogNone}
	p, _, _ := mustFit(t, mall(), spec)
	drop, _, _ := mustFit(t, mall(), Spec{Impute: ImputeDrop, OneHot: true})
	score := func(x float64) float64 { return math.Log1p(x) }
	tests := []struct {
		name    string
		p       *Pipeline
		rec     map[string]any
		want    []float64
		wantErr error
		msg     string
	}{
		{"all missing", p, map[string]any{"Genre": nil, "Age": "NA"},
			[]float64{1, 0, 22, 16, score(58)}, nil, ""},
		{"extra fields ignored, unknown category", p, map[string]any{"CustomerID": "0999", "Genre": "Other", "Age": 30, "Annual Income (k$)": "1,000,000", "Spending Score (1-100)": uint8(3)},
			[]float64{0, 0, 30, 1e6, score(3)}, nil, ""},
		{"padded category", p, map[string]any{"Genre": "  Male\t", "Age": float32(2.5), "Annual Income (k$)": json.Number("1e3"), "Spending Score (1-100)": math.NaN()},
			[]float64{0, 1, 2.5, 1000, score(58)}, nil, ""},
		{"not a number", p, map[string]any{"Age": "abc"}, nil, ErrBadValue, `prep: field "Age": value "abc" is not a number`},
		{"bool for a number", p, map[string]any{"Age": true}, nil, ErrBadValue, `prep: field "Age": value true is a boolean, expected a number`},
		{"object", p, map[string]any{"Genre": map[string]any{}}, nil, ErrBadValue, `prep: field "Genre": value of type map[string]interface {}, expected a string, number, bool or null`},
		{"bad json.Number", p, map[string]any{"Age": json.Number("1e999")}, nil, ErrBadValue, `prep: field "Age": value 1e999 is not a finite number`},
		{"infinite", p, map[string]any{"Age": math.Inf(-1)}, nil, ErrNotFinite, `prep: field "Age": value -Inf is not finite, expected a number`},
		{"log of a negative", p, map[string]any{"Spending Score (1-100)": -2}, nil, ErrNotFinite, `prep: field "Spending Score (1-100)": value -2 cannot be logged: log1p needs values > -1 (the column was logged in training)`},
		{"drop: missing", drop, map[string]any{"Genre": "Male", "Age": 3, "Annual Income (k$)": 3}, nil, ErrMissingValue,
			`prep: field "Spending Score (1-100)": value is missing, and the pipeline was fitted to drop such rows (ImputeDrop), so it has no value to fill in`},
		{"invalid pipeline", &Pipeline{}, nil, nil, ErrInvalidPipeline, "prep: invalid pipeline: version 0, expected 1"},
		{"nil pipeline", nil, nil, nil, ErrInvalidPipeline, "prep: invalid pipeline: nil pipeline"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.p.TransformRecord(tt.rec)
			if tt.msg != "" {
				if err == nil || err.Error() != tt.msg || !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %s (%v)", err, tt.msg, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestRecordDates(t *testing.T) {
	day := 86400.0
	tb := table(numCol("Signup", dataset.KindDate, 0, 2*day, nan), numCol("N", dataset.KindInteger, 1, 2, 3))
	tb.Columns[0].DateLayout = "02/01/2006"
	p, _, _ := mustFit(t, tb, Spec{Columns: []string{"Signup"}, Scale: ScaleNone})
	tests := []struct {
		v    any
		want float64
		msg  string
	}{
		{"03/01/1970", 2, ""},
		{" 11/01/1970 ", 10, ""},
		{"", 1, ""},
		{float64(5 * day), 5, ""},
		{"1970-01-03", 0, `prep: field "Signup": value "1970-01-03" is not a date in the layout "02/01/2006"`},
	}
	for _, tt := range tests {
		got, err := p.TransformRecord(map[string]any{"Signup": tt.v})
		if tt.msg != "" {
			if err == nil || err.Error() != tt.msg {
				t.Errorf("%v: err = %v, want %s", tt.v, err, tt.msg)
			}
			continue
		}
		if err != nil || got[0] != tt.want {
			t.Errorf("%v: got %v, %v, want %v", tt.v, got, err, tt.want)
		}
	}
	p.Steps[0].DateLayout = ""
	if _, err := p.TransformRecord(map[string]any{"Signup": "03/01/1970"}); err == nil || !strings.Contains(err.Error(), "no date layout") {
		t.Errorf("no layout: err = %v", err)
	}
}

// TestTransformFirstBadValue checks that Transform reports the first bad
// value in row order (then column order) with its row and column, wherever
// the bad values sit among the rounds of four values the plain columns
// are read in, and that missing values in those rounds are filled.
func TestTransformFirstBadValue(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	col := func(bad map[int]float64) []float64 {
		v := make([]float64, 11)
		for i := range v {
			v[i] = float64(i + 1)
		}
		for i, x := range bad {
			v[i] = x
		}
		return v
	}
	p, _, _, err := Fit(table(numCol("A", dataset.KindFloat, col(nil)...), numCol("B", dataset.KindFloat, col(nil)...)), Spec{Scale: ScaleStandard})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		a, b   map[int]float64
		column string
		row    int
	}{
		{"later column, earlier row", map[int]float64{5: inf}, map[int]float64{1: -inf}, "B", 1},
		{"same row: first column", map[int]float64{6: inf}, map[int]float64{6: inf}, "A", 6},
		{"after missing values", map[int]float64{0: nan, 3: nan, 9: inf}, map[int]float64{2: nan}, "A", 9},
		{"in the tail", nil, map[int]float64{10: -inf}, "B", 10},
		{"missing only", map[int]float64{0: nan, 7: nan}, map[int]float64{4: nan, 10: nan}, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, _, err := p.Transform(table(numCol("A", dataset.KindFloat, col(tt.a)...), numCol("B", dataset.KindFloat, col(tt.b)...)))
			if tt.column == "" {
				if err != nil {
					t.Fatal(err)
				}
				// Missing values are filled with the median, 6.
				for r := range m.Rows {
					for j, bad := range []map[int]float64{tt.a, tt.b} {
						x := float64(r + 1)
						if _, ok := bad[r]; ok {
							x = 6
						}
						if want := (x - p.Steps[j].Numeric.Centre) / p.Steps[j].Numeric.Scale; m.At(r, j) != want {
							t.Errorf("row %d column %d = %v, want %v", r, j, m.At(r, j), want)
						}
					}
				}
				return
			}
			var ve *ValueError
			if !errors.As(err, &ve) || !errors.Is(err, ErrNotFinite) || ve.Column != tt.column || ve.Row != tt.row {
				t.Fatalf("err = %v, want a ValueError for %s row %d", err, tt.column, tt.row)
			}
		})
	}
}
