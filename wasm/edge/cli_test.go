package edge

import (
	"encoding/csv"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/segkit/segkit/core/model"
	"github.com/segkit/segkit/internal/shareddata"
)

// TestSameAnswerAsCLI: for a model written by `segkit cluster --model`,
// every row of the file gets from the handler (one by one, and as one
// batch) the segment, name and distance that `segkit assign` prints for it.
func TestSameAnswerAsCLI(t *testing.T) {
	dir := t.TempDir()
	segkit := filepath.Join(dir, "segkit")
	if out, err := exec.Command("go", "build", "-o", segkit, "../../cmd/segkit").CombinedOutput(); err != nil {
		t.Fatalf("building segkit: %v\n%s", err, out)
	}
	cases := []struct {
		name    string
		file    func(t *testing.T) string
		flags   []string
		ignored []string
	}{
		{"wholesale", func(*testing.T) string { return wholesale }, []string{"--k", "3", "--drop", "Channel,Region"},
			[]string{"Channel", "Region"}},
		{"mall", func(t *testing.T) string { return shareddata.Path(t, "Mall_Customers.csv") }, []string{"--k", "5"},
			[]string{"CustomerID", "Genre"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			file := c.file(t)
			modelPath := filepath.Join(dir, c.name+".json")
			assigned := filepath.Join(dir, c.name+"-assigned.csv")
			run := func(args ...string) {
				if out, err := exec.Command(segkit, args...).CombinedOutput(); err != nil {
					t.Fatalf("segkit %q: %v\n%s", args, err, out)
				}
			}
			run(append([]string{"cluster", file, "--model", modelPath, "--labels-only", "--out", filepath.Join(dir, c.name+".labels")}, c.flags...)...)
			run("assign", "--model", modelPath, file, "--out", assigned)
			want := readAssigned(t, assigned)
			f, err := os.Open(modelPath)
			if err != nil {
				t.Fatal(err)
			}
			m, err := model.Load(f)
			f.Close()
			if err != nil {
				t.Fatal(err)
			}
			h := newHandler(t, m, Options{})
			recs := rawRecords(t, file)
			if len(recs) != len(want) {
				t.Fatalf("%d records, segkit assign wrote %d rows", len(recs), len(want))
			}
			check := func(i int, got assignBody) {
				t.Helper()
				if got.Segment != want[i].segment || got.Name != want[i].name ||
					strconv.FormatFloat(got.Distance, 'g', 6, 64) != want[i].distance || got.Model != m.ID ||
					!slices.Equal(got.Ignored, c.ignored) {
					t.Fatalf("row %d: handler %+v, segkit assign %+v", i, got, want[i])
				}
			}
			for i, rec := range recs {
				w := do(h, "POST", "/v1/assign", map[string]any{"customer": rec})
				if w.Code != http.StatusOK {
					t.Fatalf("row %d: status %d: %s", i, w.Code, w.Body)
				}
				check(i, decode[assignBody](t, w))
			}
			w := do(h, "POST", "/v1/assign/batch", map[string]any{"customers": recs})
			if w.Code != http.StatusOK {
				t.Fatalf("batch: status %d: %s", w.Code, w.Body)
			}
			batch := decode[batchBody](t, w)
			if len(batch.Results) != len(recs) || batch.Model != m.ID {
				t.Fatalf("batch: %d results for %d rows, model %q", len(batch.Results), len(recs), batch.Model)
			}
			for i, got := range batch.Results {
				check(i, got)
			}
		})
	}
}

// cliRow is what `segkit assign` appends to a row.
type cliRow struct {
	segment  int
	name     string
	distance string // as printed: %g with 6 significant digits
}

// readAssigned reads the last three columns of `segkit assign` output.
func readAssigned(t *testing.T, path string) []cliRow {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 2 || !slices.Equal(rows[0][len(rows[0])-3:], []string{"segment", "segment_name", "distance"}) {
		t.Fatalf("%s: unexpected header %q", path, rows[0])
	}
	out := make([]cliRow, len(rows)-1)
	for i, r := range rows[1:] {
		n := len(r)
		seg, err := strconv.Atoi(r[n-3])
		if err != nil {
			t.Fatalf("%s line %d: segment %q", path, i+2, r[n-3])
		}
		out[i] = cliRow{seg, r[n-2], r[n-1]}
	}
	return out
}
