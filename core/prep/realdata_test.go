package prep

import (
	"encoding/csv"
	"os"
	"slices"
	"testing"

	"github.com/segkit/segkit/core/dataset"
	"github.com/segkit/segkit/internal/shareddata"
)

// TestRealDataRecords reads real customer files with the dataset reader,
// fits a pipeline, and checks that every raw row of the file, given to
// TransformRecord as the strings the file holds, gives bit-identical
// features to the fitted matrix.
func TestRealDataRecords(t *testing.T) {
	tests := []struct {
		file  string
		comma rune
		spec  Spec
	}{
		{"Mall_Customers.csv", ',', Spec{OneHot: true}},
		{"marketing_campaign.csv", '\t', Spec{OneHot: true, Scale: ScaleRobust,
			Columns: []string{"Year_Birth", "Education", "Marital_Status", "Income", "Kidhome", "Dt_Customer", "Recency", "MntWines", "MntMeatProducts", "NumWebVisitsMonth"}}},
		{"marketing_campaign.csv", '\t', Spec{Impute: ImputeDrop, Scale: ScaleMinMax, Drop: []string{"ID"}}},
		{"CC GENERAL.csv", ',', Spec{Impute: ImputeMean, Log: LogAll}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := shareddata.Path(t, tt.file)
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			tb, err := dataset.Read(f, dataset.Options{})
			if err != nil {
				t.Fatal(err)
			}
			p, m, rep, err := Fit(tb, tt.spec)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %d×%d, logged %q, imputed %v, dropped %d", tt.file, m.Rows, m.Cols, rep.Logged, rep.Imputed, rep.RowsDropped)

			if _, err := f.Seek(0, 0); err != nil {
				t.Fatal(err)
			}
			r := csv.NewReader(f)
			r.Comma = tt.comma
			r.LazyQuotes = true
			raw, err := r.ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			header, raw := raw[0], raw[1:]
			if len(raw) != tb.Rows {
				t.Fatalf("%d raw rows, table has %d", len(raw), tb.Rows)
			}
			for k := range m.Rows {
				row := k
				if rep.Kept != nil {
					row = rep.Kept[k]
				}
				rec := make(map[string]any, len(header))
				for j, name := range header {
					rec[name] = raw[row][j]
				}
				got, err := p.TransformRecord(rec)
				if err != nil {
					t.Fatalf("row %d: %v", row, err)
				}
				if !sameBits(got, m.Row(k)) {
					t.Fatalf("row %d: record gives %v, matrix %v", row, got, m.Row(k))
				}
			}
			if m2, kept, err := p.Transform(tb); err != nil || !slices.Equal(kept, rep.Kept) || !sameBits(m2.Data, m.Data) {
				t.Fatalf("Transform differs from Fit: %v", err)
			}
		})
	}
}
