package model

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/segkit/segkit/core/cluster"
	"github.com/segkit/segkit/core/dataset"
	"github.com/segkit/segkit/core/prep"
	"github.com/segkit/segkit/core/profile"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

const wholesale = "../../testdata/wholesale-customers.csv"

// fitWholesale fits k-means on the UCI Wholesale customers file the way the
// CLI does with --drop Channel,Region.
func fitWholesale(t *testing.T, k int) (*Model, *cluster.Model) {
	t.Helper()
	tab, err := dataset.ReadFile(wholesale, dataset.Options{})
	if err != nil {
		t.Fatal(err)
	}
	p, x, _, err := prep.Fit(tab, prep.Spec{Drop: []string{"Channel", "Region"}})
	if err != nil {
		t.Fatal(err)
	}
	cm, err := (&cluster.KMeans{K: k, Seed: 3}).Fit(context.Background(), x)
	if err != nil {
		t.Fatal(err)
	}
	m, err := New(p, cm, Params{Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	return m, cm
}

// rawRecords returns every data row of a file as a record of raw strings by
// column name, as a web form or the edge worker would receive it.
func rawRecords(t *testing.T, path string) []map[string]any {
	t.Helper()
	recs, err := dataset.ReadRecordsFile(path, dataset.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func TestSaveLoadPredictReproducesTrainingLabels(t *testing.T) {
	m, cm := fitWholesale(t, 3)
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		t.Fatal(err)
	}
	loaded, err := Load(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if loaded.ID != m.ID || loaded.ID == "" {
		t.Fatalf("ID %q after loading, %q before", loaded.ID, m.ID)
	}
	recs := rawRecords(t, wholesale)
	if len(recs) != len(cm.Labels) {
		t.Fatalf("%d records, %d labels", len(recs), len(cm.Labels))
	}
	for i, rec := range recs {
		res, err := loaded.Predict(rec)
		if err != nil {
			t.Fatalf("row %d: %v", i, err)
		}
		if res.Segment != cm.Labels[i] {
			t.Fatalf("row %d: predicted segment %d, trained label %d", i, res.Segment, cm.Labels[i])
		}
		if res.Name != loaded.Segments[res.Segment].Name || res.Distance < 0 {
			t.Fatalf("row %d: result %+v", i, res)
		}
	}
	total := 0
	for _, s := range loaded.Segments {
		total += s.Size
	}
	if total != 440 || loaded.Training.Rows != 440 {
		t.Fatalf("segment sizes add to %d, training rows %d; want 440", total, loaded.Training.Rows)
	}
}

func TestPredictIgnoresExtraFieldsAndImputesMissing(t *testing.T) {
	m, _ := fitWholesale(t, 3)
	rec := map[string]any{"Fresh": 12669.0, "Milk": "9656", "Grocery": 7561, "Frozen": 214,
		"Detergents_Paper": 2674, "Delicassen": 1338, "CustomerNote": "VIP"}
	full, err := m.Predict(rec)
	if err != nil {
		t.Fatal(err)
	}
	delete(rec, "Frozen")
	if _, err := m.Predict(rec); err != nil {
		t.Fatalf("a missing field should be imputed: %v", err)
	}
	rec["Frozen"] = "not a number"
	if _, err := m.Predict(rec); err == nil || !strings.Contains(err.Error(), "Frozen") {
		t.Fatalf("a bad value should name the field, got %v", err)
	}
	if full.Segment < 0 || full.Segment > 2 {
		t.Fatalf("segment %d", full.Segment)
	}
}

func TestRenameTravelsWithTheModel(t *testing.T) {
	m, _ := fitWholesale(t, 2)
	before := m.ID
	if err := m.Rename(1, "Big retailers"); err != nil {
		t.Fatal(err)
	}
	if m.ID == before {
		t.Fatal("renaming did not change the model ID")
	}
	var buf bytes.Buffer
	m.Save(&buf)
	loaded, err := Load(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if loaded.Segments[1].Name != "Big retailers" {
		t.Fatalf("name %q after loading", loaded.Segments[1].Name)
	}
	if err := m.Rename(2, "x"); err == nil {
		t.Fatal("renaming a segment that does not exist succeeded")
	}
	if err := m.Rename(0, ""); err == nil {
		t.Fatal("an empty name was accepted")
	}
}

func TestDecodeRejects(t *testing.T) {
	m, _ := fitWholesale(t, 2)
	var buf bytes.Buffer
	m.Save(&buf)
	good := buf.String()
	edit := func(f func(map[string]any)) string {
		var v map[string]any
		if err := json.Unmarshal([]byte(good), &v); err != nil {
			t.Fatal(err)
		}
		f(v)
		b, _ := json.Marshal(v)
		return string(b)
	}
	tests := []rejectCase{
		{"not json", "{", "not JSON"},
		{"other format", edit(func(v map[string]any) { v["format"] = "other" }), `format "other"`},
		{"newer version", edit(func(v map[string]any) { v["version"] = 2 }), "version 2"},
		{"no version", edit(func(v map[string]any) { delete(v, "version") }), "version missing"},
		{"unknown field", edit(func(v map[string]any) { v["extra"] = 1 }), `unknown field "extra"`},
		{"unknown algorithm", edit(func(v map[string]any) { v["algorithm"] = "magic" }), `unknown algorithm "magic"`},
		{"short centre", edit(func(v map[string]any) { v["centers"].([]any)[1] = []any{1.0} }), "centre 1 has 1 values"},
		{"k mismatch", edit(func(v map[string]any) { v["params"].(map[string]any)["k"] = 3 }), "params.k is 3"},
		{"features mismatch", edit(func(v map[string]any) { v["features"].([]any)[0] = "Fresh2" }), "do not match"},
		{"segment count", edit(func(v map[string]any) { v["segments"] = v["segments"].([]any)[:1] }), "params.k is 2 with 1 segments"},
		{"no pipeline", edit(func(v map[string]any) { delete(v, "pipeline") }), "no pipeline"},
		{"bad pipeline", edit(func(v map[string]any) { v["pipeline"].(map[string]any)["version"] = 9 }), "pipeline"},
		{"trailing data", good + "{}", "after top-level value"},
	}
	expectRejected(t, tests)
}

// TestGolden pins the model format, one golden file per algorithm a model
// can hold: a change to the JSON layout must be deliberate (rerun with
// -update and bump Version when old files break).
func TestGolden(t *testing.T) {
	tab, err := dataset.Read(strings.NewReader("id,age,income,region\n0001,23,15,north\n0002,25,16,south\n0003,61,80,north\n0004,64,82,south\n0005,24,14,north\n0006,62,85,south\n"), dataset.Options{})
	if err != nil {
		t.Fatal(err)
	}
	p, x, _, err := prep.Fit(tab, prep.Spec{Log: prep.LogNone})
	if err != nil {
		t.Fatal(err)
	}
	// The mixed-data algorithms also take the region, as a category code.
	pc, xc, _, err := prep.Fit(tab, prep.Spec{Log: prep.LogNone, Codes: true})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		golden  string
		fitter  cluster.Fitter
		compact bool
	}{
		{"kmeans.golden.json", &cluster.KMeans{K: 2, Seed: 1}, false},
		{"agglomerative-ward.golden.json", &cluster.Agglomerative{K: 2}, false},
		{"agglomerative-average.golden.json", &cluster.Agglomerative{K: 2, Linkage: "average"}, false},
		{"meanshift.golden.json", &cluster.MeanShift{Bandwidth: 1}, false},
		{"gmm.golden.json", &cluster.GaussianMixture{K: 2, Covariance: "diag", Seed: 1}, false},
		{"dbscan.golden.json", &cluster.DBSCAN{Eps: 0.5, MinSamples: 2}, false},
		{"dbscan-compact.golden.json", &cluster.DBSCAN{Eps: 0.5, MinSamples: 2}, true},
		{"hdbscan-compact.golden.json", &cluster.HDBSCAN{MinClusterSize: 2}, true},
		{"birch-compact.golden.json", &cluster.Birch{K: 2}, true},
		{"hdbscan.golden.json", &cluster.HDBSCAN{MinClusterSize: 2}, false},
		{"birch.golden.json", &cluster.Birch{K: 2}, false},
		{"kprototypes.golden.json", &cluster.KPrototypes{K: 2, Categorical: pc.Categorical(), Seed: 1}, false},
		{"kmedoids.golden.json", &cluster.KMedoids{K: 2, Categorical: pc.Categorical()}, false},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			p, x := p, x
			if strings.HasPrefix(tt.golden, "kprototypes") || strings.HasPrefix(tt.golden, "kmedoids") {
				p, x = pc, xc
			}
			cm, err := tt.fitter.Fit(context.Background(), x)
			if err != nil {
				t.Fatal(err)
			}
			// Label ids depend on the algorithm; the grouping does not.
			young, old := cm.Labels[0], cm.Labels[2]
			for i, l := range cm.Labels {
				if want := map[bool]int{true: young, false: old}[i == 0 || i == 1 || i == 4]; l != want || young == old {
					t.Fatalf("labels %v: the young and the old customers should form the two segments", cm.Labels)
				}
			}
			m, err := New(p, cm, Params{Seed: 1})
			if tt.compact {
				m, err = NewCompact(p, cm, x, Params{Seed: 1})
			}
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := m.Save(&buf); err != nil {
				t.Fatal(err)
			}
			if tt.compact && (!m.Compact || m.Core != nil || len(m.Centers) != 2) {
				t.Fatalf("compact model %+v", m)
			}
			golden := filepath.Join("testdata", tt.golden)
			if *update {
				if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(buf.Bytes(), want) {
				t.Fatalf("model JSON differs from %s (rerun with -update if the change is deliberate):\n%s", golden, buf.String())
			}
			loaded, err := Decode(want)
			if err != nil {
				t.Fatalf("golden file does not decode: %v", err)
			}
			for i := range x.Rows {
				res, err := loaded.PredictFeatures(x.Row(i))
				if err != nil || res.Segment != cm.Labels[i] {
					t.Fatalf("row %d: predicted %d (%v), trained %d", i, res.Segment, err, cm.Labels[i])
				}
				probs := (loaded.Algorithm == "gmm" || loaded.Algorithm == "hdbscan") && !loaded.Compact
				if probs != (len(res.Probabilities) == 2) {
					t.Fatalf("row %d: probabilities %v", i, res.Probabilities)
				}
			}
			if (loaded.Algorithm == "dbscan" || loaded.Algorithm == "hdbscan") && !loaded.Compact {
				// Far from every training row: noise.
				res, err := loaded.PredictFeatures([]float64{40, -40})
				if err != nil || res.Segment != -1 || res.Name != NoiseName {
					t.Fatalf("a far point: %+v, %v; want noise", res, err)
				}
			}
		})
	}
}

// rejectCase is a model's JSON that Decode must refuse with an error
// mentioning want; FromFields refuses the same fields (when the JSON holds
// a model's fields) with the same error.
type rejectCase struct{ name, json, want string }

func expectRejected(t *testing.T, tests []rejectCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode([]byte(tt.json))
			if err == nil {
				t.Fatal("accepted")
			}
			if !errors.Is(err, ErrInvalidModel) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %q, want ErrInvalidModel mentioning %q", err, tt.want)
			}
			if f, ok := strictFields(tt.json); ok {
				if _, ferr := FromFields(f); ferr == nil || ferr.Error() != err.Error() {
					t.Fatalf("FromFields: error %v, want Decode's %q", ferr, err)
				}
			}
		})
	}
}

// TestDecodeRejectsBadState: each algorithm's own state is checked as
// strictly as the centres.
func TestDecodeRejectsBadState(t *testing.T) {
	edit := func(golden string, f func(map[string]any)) string {
		b, err := os.ReadFile(filepath.Join("testdata", golden))
		if err != nil {
			t.Fatal(err)
		}
		var v map[string]any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatal(err)
		}
		f(v)
		out, _ := json.Marshal(v)
		return string(out)
	}
	field := func(v map[string]any, name string) map[string]any { return v[name].(map[string]any) }
	tests := []rejectCase{
		{"hdbscan without its state", edit("hdbscan.golden.json", func(v map[string]any) { delete(v, "hdbscan") }), `"hdbscan" present=false`},
		{"hdbscan label out of range", edit("hdbscan.golden.json", func(v map[string]any) { field(v, "hdbscan")["labels"].([]any)[2] = 5 }), "point 2 has segment 5"},
		{"hdbscan short core", edit("hdbscan.golden.json", func(v map[string]any) {
			h := field(v, "hdbscan")
			h["core_distances"] = h["core_distances"].([]any)[:3]
		}), "3 core"},
		{"hdbscan negative distance", edit("hdbscan.golden.json", func(v map[string]any) { field(v, "hdbscan")["exit_distances"].([]any)[0] = -1 }), "distance 0 is -1"},
		{"hdbscan min samples", edit("hdbscan.golden.json", func(v map[string]any) { field(v, "hdbscan")["min_samples"] = 0 }), "min samples 0"},
		{"hdbscan with centres", edit("hdbscan.golden.json", func(v map[string]any) { v["centers"] = []any{[]any{0, 0}, []any{1, 1}} }), "centres"},
		{"birch subcluster segment", edit("birch.golden.json", func(v map[string]any) { field(v, "subclusters")["labels"].([]any)[0] = 2 }), "subcluster 0 has segment 2"},
		{"birch short centroid", edit("birch.golden.json", func(v map[string]any) { field(v, "subclusters")["centroids"].([]any)[0] = []any{1} }), "subcluster 0 has 1 values"},
		{"kprototypes negative gamma", edit("kprototypes.golden.json", func(v map[string]any) { field(v, "prototypes")["gamma"] = -1 }), "gamma -1"},
		{"kprototypes mask", edit("kprototypes.golden.json", func(v map[string]any) { field(v, "prototypes")["categorical"] = []any{false, false, false} }), "does not match the pipeline"},
		{"kprototypes fractional code", edit("kprototypes.golden.json", func(v map[string]any) { v["centers"].([]any)[0].([]any)[2] = 0.5 }), "not a category code"},
		{"kmedoids range", edit("kmedoids.golden.json", func(v map[string]any) { field(v, "gower")["ranges"].([]any)[1] = -2 }), `range of feature "income"`},
		{"kmedoids weights", edit("kmedoids.golden.json", func(v map[string]any) { field(v, "gower")["weights"] = []any{0, 0, 0} }), "every weight is 0"},
		{"kmedoids as kprototypes", edit("kmedoids.golden.json", func(v map[string]any) { v["algorithm"] = "kprototypes" }), `"prototypes" present=false`},
		{"compact kmedoids", edit("kmedoids.golden.json", func(v map[string]any) { v["compact"] = true }), "compact model"},
	}
	expectRejected(t, tests)
}

func FuzzDecode(f *testing.F) {
	for _, name := range []string{"kmeans", "hdbscan", "birch", "kprototypes", "kmedoids"} {
		if g, err := os.ReadFile(filepath.Join("testdata", name+".golden.json")); err == nil {
			f.Add(g)
		}
	}
	f.Add([]byte(`{"format":"segkit-model","version":1}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := Decode(b)
		if err != nil {
			return
		}
		var buf bytes.Buffer
		if err := m.Save(&buf); err != nil {
			t.Fatalf("a decoded model does not save: %v", err)
		}
		if _, err := Decode(buf.Bytes()); err != nil {
			t.Fatalf("a saved model does not decode again: %v", err)
		}
		x := make([]float64, len(m.Features))
		if _, err := m.PredictFeatures(x); err != nil {
			t.Fatalf("a decoded model cannot predict: %v", err)
		}
	})
}

func TestApplyProfileNamesTravel(t *testing.T) {
	tab, err := dataset.ReadFile(wholesale, dataset.Options{})
	if err != nil {
		t.Fatal(err)
	}
	m, cm := fitWholesale(t, 3)
	pr, err := profile.Build(tab, cm.Labels, profile.Options{Columns: m.Pipeline.InputColumns()})
	if err != nil {
		t.Fatal(err)
	}
	before := m.ID
	if err := m.ApplyProfile(pr); err != nil {
		t.Fatal(err)
	}
	if m.ID == before {
		t.Fatal("applying a profile did not change the model ID")
	}
	for i, s := range m.Segments {
		if s.Name != pr.Segments[i].Name || s.Description == "" || s.Name == fmt.Sprintf("Segment %d", i+1) {
			t.Fatalf("segment %d: %+v, profile name %q", i, s, pr.Segments[i].Name)
		}
	}
	if err := m.Rename(0, m.Segments[1].Name); err == nil {
		t.Fatal("a duplicate name was accepted")
	}
	var buf bytes.Buffer
	m.Save(&buf)
	saved := buf.String()
	loaded, err := Load(&buf)
	if err != nil {
		t.Fatal(err)
	}
	res, err := loaded.Predict(map[string]any{"Fresh": 3, "Milk": 20000, "Grocery": 30000, "Frozen": 50, "Detergents_Paper": 15000, "Delicassen": 900})
	if err != nil {
		t.Fatal(err)
	}
	if res.Name != pr.Segments[res.Segment].Name {
		t.Fatalf("predicted name %q, profile says %q", res.Name, pr.Segments[res.Segment].Name)
	}
	dup := strings.Replace(saved, `"name": "`+m.Segments[1].Name+`"`, `"name": "`+m.Segments[0].Name+`"`, 1)
	if _, err := Decode([]byte(dup)); err == nil || !strings.Contains(err.Error(), "two segments are named") {
		t.Fatalf("duplicate names decoded: %v", err)
	}
}
