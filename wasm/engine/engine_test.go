package engine

import (
	"bytes"
	"cmp"
	"context"
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/segkit/segkit/core/model"
	"github.com/segkit/segkit/core/profile"
	"github.com/segkit/segkit/internal/shareddata"
	"github.com/segkit/segkit/wasm/engine/protocol"
)

func wholesale(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("../../testdata/wholesale-customers.csv")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// load sends data in chunks of size chunk and returns the final response.
func load(t testing.TB, h *Handler, name string, data []byte, chunk int) protocol.Response {
	t.Helper()
	for off := 0; ; off += chunk {
		end := min(off+chunk, len(data))
		resp := h.Handle(context.Background(), protocol.Request{ID: 1, Op: protocol.OpLoad, Load: &protocol.Load{
			Name: name, Size: int64(len(data)), Offset: int64(off), Chunk: data[off:end], Final: end == len(data)}}, nil)
		if end == len(data) || resp.Error != nil {
			return resp
		}
		if resp.Loaded == nil || resp.Loaded.Bytes != int64(end) {
			t.Fatalf("chunk ending at %d: %+v", end, resp)
		}
	}
}

func code(r protocol.Response) string {
	if r.Error == nil {
		return ""
	}
	return r.Error.Code
}

func TestHandler(t *testing.T) {
	good := wholesale(t)
	tests := []struct {
		name     string
		data     []byte
		fit      protocol.FitParams
		loadCode string // expected error code of the load, "" for success
		fitCode  string // expected error code of the fit
		k        int
	}{
		{name: "good file", data: good, fit: protocol.FitParams{K: 3, Columns: []string{"Fresh", "Milk", "Grocery", "Frozen", "Detergents_Paper", "Delicassen"}, Seed: 1}, k: 3},
		{name: "good file, default columns, minmax", data: good, fit: protocol.FitParams{K: 4, Scale: "minmax", NInit: 2}, k: 4},
		{name: "empty", data: nil, loadCode: protocol.CodeEmptyFile},
		{name: "blank lines", data: []byte("\n\n  \n"), loadCode: protocol.CodeEmptyFile},
		{name: "binary", data: []byte("PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00"), loadCode: protocol.CodeBinaryFile},
		{name: "nul bytes", data: []byte("a,b\n1,\x002\n"), loadCode: protocol.CodeBinaryFile},
		{name: "header only", data: []byte("name,age,spend\n"), loadCode: protocol.CodeHeaderOnly},
		{name: "text-only columns", data: []byte("name,city\nAda Lovelace,London\nAlan Turing,Wilmslow\nGrace Hopper,Arlington\n"), fit: protocol.FitParams{K: 2}, fitCode: protocol.CodeNoNumericColumns},
		{name: "bad k (1)", data: good, fit: protocol.FitParams{K: 1}, fitCode: protocol.CodeBadK},
		{name: "bad k (too many)", data: good, fit: protocol.FitParams{K: protocol.MaxK + 1}, fitCode: protocol.CodeBadK},
		{name: "bad k (rows)", data: []byte("a,b\n1,2\n3,4\n5,7\n"), fit: protocol.FitParams{K: 3}, fitCode: protocol.CodeBadK},
		{name: "unknown column", data: good, fit: protocol.FitParams{K: 2, Columns: []string{"Nope"}}, fitCode: protocol.CodeBadColumn},
		{name: "text column chosen", data: []byte("id,city,spend\n1,London,3\n2,Paris,4\n3,Rome,9\n"), fit: protocol.FitParams{K: 2, Columns: []string{"city"}}, fitCode: protocol.CodeBadColumn},
		{name: "bad scale", data: good, fit: protocol.FitParams{K: 2, Scale: "zscore"}, fitCode: protocol.CodeBadSetting},
		{name: "bad algorithm", data: good, fit: protocol.FitParams{K: 2, Algorithm: "spectral"}, fitCode: protocol.CodeBadSetting},
		{name: "dbscan finds nothing", data: good, fit: protocol.FitParams{Algorithm: "dbscan", Eps: 0.01}, fitCode: protocol.CodeNoSegments},
		{name: "bad linkage", data: good, fit: protocol.FitParams{K: 2, Algorithm: "agglomerative", Linkage: "centroid"}, fitCode: protocol.CodeBadSetting},
		{name: "bad covariance", data: good, fit: protocol.FitParams{K: 2, Algorithm: "gmm", Covariance: "round"}, fitCode: protocol.CodeBadSetting},
		{name: "negative eps", data: good, fit: protocol.FitParams{Algorithm: "dbscan", Eps: -1}, fitCode: protocol.CodeBadSetting},
		{name: "gmm without k", data: good, fit: protocol.FitParams{Algorithm: "gmm"}, fitCode: protocol.CodeBadK},
		{name: "categorical column for k-means", data: []byte("id,city,spend\n1,London,3\n2,Paris,4\n3,Rome,9\n4,Rome,8\n"), fit: protocol.FitParams{K: 2, Columns: []string{"city", "spend"}}, fitCode: protocol.CodeBadColumn},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var h Handler
			resp := load(t, &h, "customers.csv", tt.data, 1000)
			if got := code(resp); got != tt.loadCode {
				t.Fatalf("load: code %q (%+v), want %q", got, resp.Error, tt.loadCode)
			}
			if tt.loadCode != "" {
				if resp.Error.Message == "" || !strings.Contains(resp.Error.Message, "customers.csv") {
					t.Errorf("message %q should name the file", resp.Error.Message)
				}
				if r := h.Handle(context.Background(), protocol.Request{ID: 2, Op: protocol.OpFit, Fit: &protocol.FitParams{K: 2}}, nil); code(r) != protocol.CodeNoData {
					t.Errorf("fit after a failed load: %+v", r.Error)
				}
				return
			}
			if resp.Inspect == nil || resp.Inspect.Rows == 0 || len(resp.Inspect.Preview) == 0 {
				t.Fatalf("inspection %+v", resp.Inspect)
			}
			fit := tt.fit
			var progress int
			r := h.Handle(context.Background(), protocol.Request{ID: 2, Op: protocol.OpFit, Fit: &fit}, func(p protocol.Response) {
				if p.Op != protocol.OpProgress || p.ID != 2 || p.Progress == nil {
					t.Errorf("progress message %+v", p)
				}
				progress++
			})
			if got := code(r); got != tt.fitCode {
				t.Fatalf("fit: code %q (%+v), want %q", got, r.Error, tt.fitCode)
			}
			if tt.fitCode != "" {
				if r.Error.Message == "" {
					t.Error("empty message")
				}
				return
			}
			f := r.Fit
			if f.K != tt.k || len(f.Segments) != tt.k || f.Rows != 440 || progress == 0 {
				t.Fatalf("fit result k=%d segments=%d rows=%d progress=%d", f.K, len(f.Segments), f.Rows, progress)
			}
			total := 0
			for _, s := range f.Segments {
				total += s.Size
				if s.Name == "" || len(s.Centre) != len(f.Columns) {
					t.Errorf("segment %+v", s)
				}
			}
			if total != 440 || f.Metrics.Silhouette <= 0 || f.Metrics.Iterations == 0 {
				t.Errorf("sizes add to %d, metrics %+v", total, f.Metrics)
			}
		})
	}
}

func TestLabelledAndModel(t *testing.T) {
	var h Handler
	if r := h.Handle(context.Background(), protocol.Request{ID: 1, Op: protocol.OpLabelled}, nil); code(r) != protocol.CodeNoFit {
		t.Fatalf("labelled before fit: %+v", r.Error)
	}
	load(t, &h, `C:\data\wholesale.csv`, wholesale(t), 1<<20)
	r := h.Handle(context.Background(), protocol.Request{ID: 2, Op: protocol.OpFit, Fit: &protocol.FitParams{K: 3, Seed: 7, Labels: true}}, nil)
	if r.Error != nil {
		t.Fatal(r.Error)
	}
	if len(r.Fit.Labels) != 440 {
		t.Fatalf("%d labels", len(r.Fit.Labels))
	}
	lab := h.Handle(context.Background(), protocol.Request{ID: 3, Op: protocol.OpLabelled}, nil)
	if lab.Error != nil || lab.File.Name != "wholesale-segments.csv" {
		t.Fatalf("labelled: %+v %+v", lab.Error, lab.File)
	}
	recs, err := csv.NewReader(bytes.NewReader(lab.File.Data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 441 || !slices.Equal(recs[0][len(recs[0])-2:], []string{"segment", "segment_name"}) {
		t.Fatalf("%d records, header %q", len(recs), recs[0])
	}
	for i, rec := range recs[1:] {
		l := r.Fit.Labels[i]
		if rec[8] != strconv.Itoa(l) || rec[9] != r.Fit.Segments[l].Name {
			t.Fatalf("row %d: %q, label %d", i, rec, l)
		}
	}
	mr := h.Handle(context.Background(), protocol.Request{ID: 4, Op: protocol.OpModel}, nil)
	if mr.Error != nil {
		t.Fatal(mr.Error)
	}
	m, err := model.Decode(mr.File.Data)
	if err != nil {
		t.Fatal(err)
	}
	if m.ID != r.Fit.ModelID || len(m.Segments) != 3 {
		t.Errorf("model %s with %d segments, fit said %s", m.ID, len(m.Segments), r.Fit.ModelID)
	}
}

func TestCancel(t *testing.T) {
	var h Handler
	load(t, &h, "w.csv", wholesale(t), 1<<20)
	done := make(chan protocol.Response)
	go func() {
		done <- h.Handle(context.Background(), protocol.Request{ID: 9, Op: protocol.OpFit, Fit: &protocol.FitParams{K: 5, NInit: protocol.MaxNInit}}, func(p protocol.Response) {
			// The first progress report means the fit is running: cancel it.
			if p.Progress.Iteration == 1 && p.Progress.Run == 1 {
				go h.Handle(context.Background(), protocol.Request{ID: 10, Op: protocol.OpCancel, Target: 9}, nil)
			}
		})
	}()
	if r := <-done; code(r) != protocol.CodeCancelled {
		t.Fatalf("fit: %+v", r.Error)
	}
	// The handler is usable again.
	if r := h.Handle(context.Background(), protocol.Request{ID: 11, Op: protocol.OpFit, Fit: &protocol.FitParams{K: 2}}, nil); r.Error != nil {
		t.Fatal(r.Error)
	}
}

func TestChunkOutOfOrder(t *testing.T) {
	var h Handler
	h.Handle(context.Background(), protocol.Request{ID: 1, Op: protocol.OpLoad, Load: &protocol.Load{Name: "a.csv", Size: 10, Chunk: []byte("a,b\n")}}, nil)
	r := h.Handle(context.Background(), protocol.Request{ID: 2, Op: protocol.OpLoad, Load: &protocol.Load{Name: "a.csv", Size: 10, Offset: 7, Chunk: []byte("1,2\n"), Final: true}}, nil)
	if code(r) != protocol.CodeBadRequest {
		t.Fatalf("%+v", r.Error)
	}
}

// Mall customers on income × spending score: scikit-learn finds segments of
// 22, 23, 35, 39 and 81 customers for every seed.
func TestMallFiveSegments(t *testing.T) {
	data, err := os.ReadFile(shareddata.Path(t, "Mall_Customers.csv"))
	if err != nil {
		t.Fatal(err)
	}
	var h Handler
	load(t, &h, "Mall_Customers.csv", data, 4096)
	r := h.Handle(context.Background(), protocol.Request{ID: 2, Op: protocol.OpFit, Fit: &protocol.FitParams{
		K: 5, Columns: []string{"Annual Income (k$)", "Spending Score (1-100)"}}}, nil)
	if r.Error != nil {
		t.Fatal(r.Error)
	}
	var sizes []int
	names := map[string]int{}
	for _, s := range r.Fit.Segments {
		sizes = append(sizes, s.Size)
		names[s.Name] = s.Size
		if s.Description == "" || len(s.Features) == 0 && s.Size != 81 {
			t.Errorf("segment %q has no description or features: %+v", s.Name, s)
		}
	}
	slices.Sort(sizes)
	if !slices.Equal(sizes, []int{22, 23, 35, 39, 81}) {
		t.Fatalf("sizes %v", sizes)
	}
	// The textbook names of the five groups (see core/profile).
	if names["High income · High spending"] != 39 || names["Low income · High spending"] != 22 || names["Mid income · Mid spending"] != 81 {
		t.Fatalf("segment names %v", names)
	}
}

// On Mall customers' income and spending score the suggestion is 5, as
// `segkit suggest` and the textbook answer have it; cancelling stops it.
func TestSuggest(t *testing.T) {
	data, err := os.ReadFile(shareddata.Path(t, "Mall_Customers.csv"))
	if err != nil {
		t.Fatal(err)
	}
	cols := []string{"Annual Income (k$)", "Spending Score (1-100)"}
	tests := []struct {
		name   string
		params protocol.SuggestParams
		code   string
	}{
		{"default range", protocol.SuggestParams{Columns: cols, Seed: 1}, ""},
		{"kmin 1", protocol.SuggestParams{KMin: 1, KMax: 4, Columns: cols}, protocol.CodeBadK},
		{"kmax below kmin", protocol.SuggestParams{KMin: 5, KMax: 4, Columns: cols}, protocol.CodeBadK},
		{"kmax above MaxK", protocol.SuggestParams{KMax: protocol.MaxK + 1, Columns: cols}, protocol.CodeBadK},
		{"unknown column", protocol.SuggestParams{Columns: []string{"Nope"}}, protocol.CodeBadColumn},
		{"identifier column", protocol.SuggestParams{Columns: []string{"CustomerID", "Nope"}}, protocol.CodeBadColumn},
	}
	var h Handler
	if r := h.Handle(context.Background(), protocol.Request{ID: 1, Op: protocol.OpSuggest, Suggest: &protocol.SuggestParams{}}, nil); code(r) != protocol.CodeNoData {
		t.Fatalf("suggest before a load: %+v", r.Error)
	}
	load(t, &h, "Mall_Customers.csv", data, 4096)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.params
			var progress int
			r := h.Handle(context.Background(), protocol.Request{ID: 2, Op: protocol.OpSuggest, Suggest: &p}, func(protocol.Response) { progress++ })
			if got := code(r); got != tt.code {
				t.Fatalf("code %q (%+v), want %q", got, r.Error, tt.code)
			}
			if tt.code != "" {
				return
			}
			s := r.Suggest
			if s.SuggestedK != 5 || s.Elbow != 5 || len(s.Scores) != 9 || s.Scores[0].K != 2 || s.Rows != 200 || progress == 0 {
				t.Fatalf("suggested %d, elbow %d, %d scores, %d rows, %d progress reports", s.SuggestedK, s.Elbow, len(s.Scores), s.Rows, progress)
			}
			if len(s.Reasons) == 0 || !strings.Contains(s.Reasons[0], "k = 5") {
				t.Errorf("reasons %q", s.Reasons)
			}
			// scikit-learn 1.2.1 (KMeans(5, n_init=10, random_state=0) on the
			// standardised columns, silhouette_score) gives 0.5547.
			if sil := s.Scores[3].Silhouette; sil < 0.553 || sil > 0.555 {
				t.Errorf("silhouette at k = 5: %v", sil)
			}
		})
	}
	// A category column (chosen for k-prototypes) takes part as 0/1
	// indicators, unscaled, beside the standardised numbers. scikit-learn
	// 1.2.1 on [Female, Male, income, spending] (KMeans, n_init 10, the
	// lowest inertia over random_state 0–4): inertia 367.491, 255.3856,
	// 196.0319, 156.2734 for k = 2…5.
	t.Run("category column", func(t *testing.T) {
		r := h.Handle(context.Background(), protocol.Request{ID: 3, Op: protocol.OpSuggest, Suggest: &protocol.SuggestParams{
			Columns: append([]string{"Genre"}, cols...), Seed: 1, NInit: 10}}, nil)
		if r.Error != nil {
			t.Fatal(r.Error)
		}
		for i, want := range []float64{367.491, 255.3856, 196.0319, 156.2734} {
			if got := r.Suggest.Scores[i].Inertia; math.Abs(got-want) > 0.01*want {
				t.Errorf("k = %d: inertia %v, scikit-learn %v", i+2, got, want)
			}
		}
		if last := r.Suggest.Reasons[len(r.Suggest.Reasons)-1]; !strings.Contains(last, `"Genre" counts here as one 0/1 indicator`) {
			t.Errorf("reasons %q do not say how Genre took part", r.Suggest.Reasons)
		}
	})
	t.Run("cancel", func(t *testing.T) {
		done := make(chan protocol.Response)
		go func() {
			done <- h.Handle(context.Background(), protocol.Request{ID: 9, Op: protocol.OpSuggest, Suggest: &protocol.SuggestParams{KMax: 20, NInit: 50}}, func(p protocol.Response) {
				if p.Progress.Done == 1 {
					go h.Handle(context.Background(), protocol.Request{ID: 10, Op: protocol.OpCancel, Target: 9}, nil)
				}
			})
		}()
		if r := <-done; code(r) != protocol.CodeCancelled {
			t.Fatalf("suggest: %+v", r.Error)
		}
	})
}

// The fit carries the rows projected on two principal components, with the
// variance shares scikit-learn 1.2.1 finds (PCA(2) on the standardised
// Age, Annual Income and Spending Score: 0.44266167, 0.33308378).
func TestScatter(t *testing.T) {
	data, err := os.ReadFile(shareddata.Path(t, "Mall_Customers.csv"))
	if err != nil {
		t.Fatal(err)
	}
	var h Handler
	load(t, &h, "Mall_Customers.csv", data, 4096)
	r := h.Handle(context.Background(), protocol.Request{ID: 2, Op: protocol.OpFit, Fit: &protocol.FitParams{
		K: 5, Columns: []string{"Age", "Annual Income (k$)", "Spending Score (1-100)"}, Labels: true}}, nil)
	if r.Error != nil {
		t.Fatal(r.Error)
	}
	s := r.Fit.Scatter
	if s == nil || len(s.X) != 200 || len(s.Y) != 200 || len(s.Labels) != 200 || len(s.Text) != 200 || s.Rows != 200 {
		t.Fatalf("scatter %+v", s)
	}
	for i, want := range []float64{0.44266167, 0.33308378} {
		if d := s.Variance[i] - want; d > 1e-6 || d < -1e-6 {
			t.Errorf("variance share %d: %v, want %v", i, s.Variance[i], want)
		}
	}
	if !slices.Equal(s.Labels, r.Fit.Labels) {
		t.Error("scatter labels differ from the fit's")
	}
	if s.Text[0] != "row 1 · Age 19 · Annual Income (k$) 15 · Spending Score (1-100) 39" {
		t.Errorf("hover text %q", s.Text[0])
	}
}

// The Mall segments come with a profile table (means in original units,
// high and low marked), rules and silhouettes. Known answers: the high
// income and high spending segment's means are 86.5 and 82.1 (the textbook
// figures); on all 200 rows the silhouettes average to scikit-learn's
// silhouette_score, 0.5547.
func TestDescribe(t *testing.T) {
	data, err := os.ReadFile(shareddata.Path(t, "Mall_Customers.csv"))
	if err != nil {
		t.Fatal(err)
	}
	var h Handler
	load(t, &h, "Mall_Customers.csv", data, 4096)
	r := h.Handle(context.Background(), protocol.Request{ID: 2, Op: protocol.OpFit, Fit: &protocol.FitParams{
		K: 5, Columns: []string{"Annual Income (k$)", "Spending Score (1-100)"}}}, nil)
	if r.Error != nil {
		t.Fatal(r.Error)
	}
	f := r.Fit
	tab := f.Profile
	if tab == nil || !slices.Equal(tab.Columns, []string{"Annual Income (k$)", "Spending Score (1-100)"}) || len(tab.Segments) != 5 {
		t.Fatalf("profile table %+v", tab)
	}
	if d := tab.Population[0] - 60.56; d > 1e-9 || d < -1e-9 {
		t.Errorf("population mean income %v, want 60.56", tab.Population[0])
	}
	total, weighted := 0, 0.0
	for i, s := range f.Segments {
		row := tab.Segments[i]
		if row.ID != s.ID {
			t.Fatalf("profile row %d is segment %d", i, row.ID)
		}
		if s.Name == "High income · High spending" {
			if fmt.Sprintf("%.1f %.1f", row.Means[0], row.Means[1]) != "86.5 82.1" || !slices.Equal(row.Levels, []string{"high", "high"}) {
				t.Errorf("%s: means %v levels %q", s.Name, row.Means, row.Levels)
			}
		}
		if len(s.Rules) == 0 || !strings.Contains(s.Rules[0], "customers)") || strings.Contains(s.Rules[0], "→") {
			t.Errorf("%s: rules %q", s.Name, s.Rules)
		}
		if len(s.Silhouette) != s.Size || !slices.IsSortedFunc(s.Silhouette, func(a, b float64) int { return cmp.Compare(b, a) }) {
			t.Errorf("%s: %d silhouettes for %d rows, or not sorted", s.Name, len(s.Silhouette), s.Size)
		}
		total += len(s.Silhouette)
		weighted += s.SilhouetteMean * float64(len(s.Silhouette))
	}
	if total != 200 || f.SilhouetteRows != 200 {
		t.Errorf("silhouettes of %d rows (%d stated)", total, f.SilhouetteRows)
	}
	if d := weighted/200 - 0.5546571631111091; d > 1e-9 || d < -1e-9 {
		t.Errorf("mean silhouette %v, scikit-learn 0.5546571631111091", weighted/200)
	}
	if f.Fidelity < 0.9 {
		t.Errorf("rules classify %.2f of the rows as the clustering did", f.Fidelity)
	}
}

// A renamed segment carries its new name into the labelled rows and the
// model; bad names are refused and change nothing.
func TestRename(t *testing.T) {
	var h Handler
	if r := h.Handle(context.Background(), protocol.Request{ID: 1, Op: protocol.OpRename, Rename: &protocol.Rename{ID: 0, Name: "x"}}, nil); code(r) != protocol.CodeNoFit {
		t.Fatalf("rename before a fit: %+v", r.Error)
	}
	load(t, &h, "wholesale.csv", wholesale(t), 1<<20)
	fit := h.Handle(context.Background(), protocol.Request{ID: 2, Op: protocol.OpFit, Fit: &protocol.FitParams{K: 3, Seed: 1, Labels: true}}, nil)
	if fit.Error != nil {
		t.Fatal(fit.Error)
	}
	other, modelID := fit.Fit.Segments[1].Name, fit.Fit.ModelID
	tests := []struct {
		id         int
		name, code string
	}{
		{0, "  Big hotels  ", ""},
		{0, "", protocol.CodeBadName},
		{0, "   ", protocol.CodeBadName},
		{0, other, protocol.CodeBadName},
		{0, strings.Repeat("é", protocol.MaxNameLength+1), protocol.CodeBadName},
		{0, "two\nlines", protocol.CodeBadName},
		{3, "Nobody", protocol.CodeBadRequest},
		{-1, "Nobody", protocol.CodeBadRequest},
	}
	for _, tt := range tests {
		r := h.Handle(context.Background(), protocol.Request{ID: 3, Op: protocol.OpRename, Rename: &protocol.Rename{ID: tt.id, Name: tt.name}}, nil)
		if code(r) != tt.code {
			t.Errorf("rename %d to %q: code %q (%+v), want %q", tt.id, tt.name, code(r), r.Error, tt.code)
		}
		if tt.code == "" && (r.Renamed == nil || r.Renamed.Name != "Big hotels" || r.Renamed.ModelID == modelID) {
			t.Errorf("renamed %+v", r.Renamed)
		}
	}
	lab := h.Handle(context.Background(), protocol.Request{ID: 4, Op: protocol.OpLabelled}, nil)
	recs, err := csv.NewReader(bytes.NewReader(lab.File.Data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for i, rec := range recs[1:] {
		want := map[int]string{0: "Big hotels", 1: other}[fit.Fit.Labels[i]]
		if want != "" && rec[9] != want {
			t.Fatalf("row %d: segment_name %q, want %q", i, rec[9], want)
		}
	}
	mr := h.Handle(context.Background(), protocol.Request{ID: 5, Op: protocol.OpModel}, nil)
	m, err := model.Decode(mr.File.Data)
	if err != nil {
		t.Fatal(err)
	}
	if m.Segments[0].Name != "Big hotels" || m.Segments[1].Name != other {
		t.Errorf("model names %q, %q", m.Segments[0].Name, m.Segments[1].Name)
	}
}

// The profiles download is profile.Profile.CSV of the fit, with renamed
// segments under their new name.
func TestProfilesFile(t *testing.T) {
	var h Handler
	if r := h.Handle(context.Background(), protocol.Request{ID: 1, Op: protocol.OpProfiles}, nil); code(r) != protocol.CodeNoFit {
		t.Fatalf("profiles before a fit: %+v", r.Error)
	}
	load(t, &h, "wholesale.csv", wholesale(t), 1<<20)
	fit := h.Handle(context.Background(), protocol.Request{ID: 2, Op: protocol.OpFit, Fit: &protocol.FitParams{K: 3, Seed: 1, Columns: []string{"Fresh", "Milk"}}}, nil)
	if fit.Error != nil {
		t.Fatal(fit.Error)
	}
	if r := h.Handle(context.Background(), protocol.Request{ID: 3, Op: protocol.OpRename, Rename: &protocol.Rename{ID: 2, Name: "Cafés"}}, nil); r.Error != nil {
		t.Fatal(r.Error)
	}
	r := h.Handle(context.Background(), protocol.Request{ID: 4, Op: protocol.OpProfiles}, nil)
	if r.Error != nil || r.File.Name != "wholesale-profiles.csv" {
		t.Fatalf("%+v %+v", r.Error, r.File)
	}
	recs, err := csv.NewReader(bytes.NewReader(r.File.Data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(recs[0], []string{"segment", "name", "column", "category", "statistic", "value"}) {
		t.Fatalf("header %q", recs[0])
	}
	// The population's mean of Fresh is the column's mean in the file,
	// 12000.297727 (computed from the file with awk).
	var sawCafe, sawMean bool
	for _, rec := range recs[1:] {
		sawCafe = sawCafe || rec[0] == "2" && rec[1] == "Cafés"
		if rec[0] == "all" && rec[2] == "Fresh" && rec[4] == "mean" {
			sawMean = strings.HasPrefix(rec[5], "12000.2977")
		}
	}
	if !sawCafe || !sawMean {
		t.Errorf("renamed segment in the CSV: %v; population mean of Fresh: %v", sawCafe, sawMean)
	}
}

// Every algorithm on Mall customers' income and spending score, standard
// scaling, against scikit-learn 1.2.1 with the same settings (segment sizes,
// sorted; noise apart): DBSCAN(eps=0.3, min_samples=5),
// AgglomerativeClustering(5) with ward and average linkage,
// Birch(threshold=0.5, n_clusters=5), MiniBatchKMeans(5). MeanShift() finds
// one segment, which the page refuses with a hint. The mixed algorithms take
// Genre as a category.
func TestAlgorithms(t *testing.T) {
	data, err := os.ReadFile(shareddata.Path(t, "Mall_Customers.csv"))
	if err != nil {
		t.Fatal(err)
	}
	cols := []string{"Annual Income (k$)", "Spending Score (1-100)"}
	tests := []struct {
		fit   protocol.FitParams
		sizes []int // nil: only check the count
		k     int
		noise int
		code  string
		model bool // the model downloads
	}{
		{fit: protocol.FitParams{Algorithm: "minibatch-kmeans", K: 5}, sizes: []int{22, 23, 35, 39, 81}, k: 5, model: true},
		{fit: protocol.FitParams{Algorithm: "gmm", K: 5, Covariance: "full"}, k: 5, model: true},
		{fit: protocol.FitParams{Algorithm: "dbscan", Eps: 0.3, MinSamples: 5}, sizes: []int{5, 7, 9, 12, 14, 30, 88}, k: 7, noise: 35, model: true},
		{fit: protocol.FitParams{Algorithm: "hdbscan", MinClusterSize: 10}, k: -1, model: true},
		{fit: protocol.FitParams{Algorithm: "agglomerative", K: 5, Linkage: "ward"}, sizes: []int{21, 23, 32, 39, 85}, k: 5, model: true},
		{fit: protocol.FitParams{Algorithm: "agglomerative", K: 5, Linkage: "average"}, sizes: []int{3, 21, 36, 38, 102}, k: 5, model: true},
		{fit: protocol.FitParams{Algorithm: "birch", K: 5, Threshold: 0.5}, sizes: []int{8, 22, 25, 36, 109}, k: 5, model: true},
		{fit: protocol.FitParams{Algorithm: "meanshift"}, code: protocol.CodeNoSegments},
		{fit: protocol.FitParams{Algorithm: "kprototypes", K: 4, Columns: append([]string{"Genre"}, cols...)}, k: 4, model: true},
		{fit: protocol.FitParams{Algorithm: "kmedoids", K: 4, Columns: append([]string{"Genre"}, cols...)}, k: 4, model: true},
	}
	for _, tt := range tests {
		t.Run(tt.fit.Algorithm+"-"+tt.fit.Linkage, func(t *testing.T) {
			var h Handler
			load(t, &h, "Mall_Customers.csv", data, 1<<20)
			p := tt.fit
			if p.Columns == nil {
				p.Columns = cols
			}
			p.Seed = 1
			r := h.Handle(context.Background(), protocol.Request{ID: 2, Op: protocol.OpFit, Fit: &p}, nil)
			if code(r) != tt.code {
				t.Fatalf("code %q (%+v), want %q", code(r), r.Error, tt.code)
			}
			if tt.code != "" {
				return
			}
			f := r.Fit
			var sizes []int
			total := f.Noise
			for _, s := range f.Segments {
				sizes = append(sizes, s.Size)
				total += s.Size
				if s.Name == "" || strings.HasPrefix(s.Name, "Segment ") {
					t.Errorf("segment %d is not named from its profile: %q", s.ID, s.Name)
				}
			}
			slices.Sort(sizes)
			if tt.k > 0 && f.K != tt.k || tt.sizes != nil && !slices.Equal(sizes, tt.sizes) || f.Noise != tt.noise && tt.k > 0 || total != 200 {
				t.Errorf("k %d, sizes %v, noise %d (total %d); want k %d, sizes %v, noise %d", f.K, sizes, f.Noise, total, tt.k, tt.sizes, tt.noise)
			}
			mixed := slices.Contains(protocol.MixedAlgorithms, p.Algorithm)
			if mixed == f.Metrics.Indices || mixed != (f.Scatter == nil) {
				t.Errorf("indices %v, scatter %v for mixed = %v", f.Metrics.Indices, f.Scatter != nil, mixed)
			}
			if (p.Algorithm == "agglomerative") != (f.Dendrogram != nil) {
				t.Errorf("dendrogram %v", f.Dendrogram != nil)
			}
			mr := h.Handle(context.Background(), protocol.Request{ID: 3, Op: protocol.OpModel}, nil)
			if tt.model != (mr.Error == nil) || !tt.model && code(mr) != protocol.CodeNoModel {
				t.Errorf("model download: %+v", mr.Error)
			}
			if mixed && mr.Error == nil {
				// The mixed algorithms' models give back the fit's labels
				// on the training rows (raw records, category included).
				mod, err := model.Decode(mr.File.Data)
				if err != nil {
					t.Fatal(err)
				}
				recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
				if err != nil {
					t.Fatal(err)
				}
				rf := h.Handle(context.Background(), protocol.Request{ID: 5, Op: protocol.OpLabelled}, nil)
				lrecs, _ := csv.NewReader(bytes.NewReader(rf.File.Data)).ReadAll()
				for i, rec := range recs[1:] {
					row := map[string]any{}
					for j, name := range recs[0] {
						row[name] = rec[j]
					}
					got, err := mod.Predict(row)
					if err != nil {
						t.Fatalf("row %d: %v", i+1, err)
					}
					if want := lrecs[i+1][5]; strconv.Itoa(got.Segment) != want {
						t.Fatalf("row %d: the model says segment %d, the fit %s", i+1, got.Segment, want)
					}
				}
			}
			lab := h.Handle(context.Background(), protocol.Request{ID: 4, Op: protocol.OpLabelled}, nil)
			recs, err := csv.NewReader(bytes.NewReader(lab.File.Data)).ReadAll()
			if err != nil || len(recs) != 201 {
				t.Fatalf("labelled: %d records, %v", len(recs), err)
			}
			noise := 0
			for _, rec := range recs[1:] {
				if rec[5] == "-1" && rec[6] == "Noise" {
					noise++
				}
			}
			if noise != f.Noise {
				t.Errorf("%d noise rows in the download, %d in the fit", noise, f.Noise)
			}
		})
	}
}

// The dendrogram of Ward's tree on Mall: 40 leaves that together hold the
// 200 rows, 39 merges at rising heights, each leaf inside one segment, and
// the cut between the merges kept and the four undone.
func TestDendrogram(t *testing.T) {
	data, err := os.ReadFile(shareddata.Path(t, "Mall_Customers.csv"))
	if err != nil {
		t.Fatal(err)
	}
	var h Handler
	load(t, &h, "Mall_Customers.csv", data, 1<<20)
	r := h.Handle(context.Background(), protocol.Request{ID: 2, Op: protocol.OpFit, Fit: &protocol.FitParams{Algorithm: "agglomerative", K: 5,
		Columns: []string{"Annual Income (k$)", "Spending Score (1-100)"}}}, nil)
	if r.Error != nil {
		t.Fatal(r.Error)
	}
	d := r.Fit.Dendrogram
	if d == nil || len(d.Leaves) != protocol.MaxDendrogramLeaves || len(d.Merges) != protocol.MaxDendrogramLeaves-1 || d.Rows != 200 {
		t.Fatalf("dendrogram %+v", d)
	}
	rows := 0
	for _, l := range d.Leaves {
		rows += l.Size
		if l.Segment < 0 || l.Segment >= 5 {
			t.Errorf("leaf %+v", l)
		}
	}
	last := d.Merges[len(d.Merges)-1]
	if rows != 200 || last.Size != 200 {
		t.Errorf("leaves hold %d rows, the root %d", rows, last.Size)
	}
	for i := 1; i < len(d.Merges); i++ {
		if d.Merges[i].Height < d.Merges[i-1].Height {
			t.Fatalf("merge %d lower than the one before", i)
		}
	}
	n := len(d.Merges)
	if !(d.Merges[n-5].Height < d.Cut && d.Cut < d.Merges[n-4].Height) {
		t.Errorf("cut %v not between merges %v and %v", d.Cut, d.Merges[n-5].Height, d.Merges[n-4].Height)
	}
}

// RFM from the UCI online-retail slice: the columns are guessed, the log
// becomes one row per customer — 860 customers with a purchase that is not
// a cancellation (922 ids in all, counted with Python's csv module) — which
// is segmented and downloaded like any file; an empty customer goes back.
func TestRFM(t *testing.T) {
	data, err := os.ReadFile(shareddata.Path(t, "online_retail_head.csv"))
	if err != nil {
		t.Fatal(err)
	}
	var h Handler
	resp := load(t, &h, "online_retail_head.csv", data, 1<<20)
	g := resp.Inspect.RFM
	want := protocol.RFMParams{Customer: "CustomerID", Date: "InvoiceDate", Quantity: "Quantity", Price: "UnitPrice", Invoice: "InvoiceNo", Cancellations: "ignore"}
	if g == nil || *g != want {
		t.Fatalf("guess %+v, want %+v", g, want)
	}
	bad := []struct {
		p    protocol.RFMParams
		code string
	}{
		{protocol.RFMParams{Customer: "CustomerID", Date: "Country", Amount: "UnitPrice"}, protocol.CodeBadColumn},
		{protocol.RFMParams{Customer: "CustomerID", Date: "InvoiceDate", Amount: "Description"}, protocol.CodeBadColumn},
		{protocol.RFMParams{Customer: "Nope", Date: "InvoiceDate", Amount: "UnitPrice"}, protocol.CodeBadColumn},
		{protocol.RFMParams{Customer: "CustomerID", Date: "InvoiceDate", Amount: "UnitPrice", Quantity: "Quantity", Price: "UnitPrice"}, protocol.CodeBadSetting},
		{protocol.RFMParams{Customer: "CustomerID", Date: "InvoiceDate", Amount: "UnitPrice", Cancellations: "keep"}, protocol.CodeBadSetting},
	}
	for _, b := range bad {
		p := b.p
		if r := h.Handle(context.Background(), protocol.Request{ID: 2, Op: protocol.OpRFM, RFM: &p}, nil); code(r) != b.code || r.Error.Message == "" {
			t.Errorf("rfm %+v: %+v, want %s", b.p, r.Error, b.code)
		}
	}
	r := h.Handle(context.Background(), protocol.Request{ID: 3, Op: protocol.OpRFM, RFM: g}, nil)
	if r.Error != nil {
		t.Fatal(r.Error)
	}
	if r.RFM.Customers != 860 || r.Inspect.Rows != 860 || r.Inspect.Name != "online_retail_head-rfm.csv" || r.RFM.Reference != "2010-12-21" || r.Inspect.RFM != nil {
		t.Fatalf("rfm summary %+v, table %d rows named %s", r.RFM, r.Inspect.Rows, r.Inspect.Name)
	}
	var defaults []string
	for _, c := range r.Inspect.Columns {
		if c.Default {
			defaults = append(defaults, c.Name)
		}
	}
	if !slices.Equal(defaults, []string{"recency", "frequency", "monetary"}) {
		t.Errorf("default columns %q", defaults)
	}
	fit := h.Handle(context.Background(), protocol.Request{ID: 4, Op: protocol.OpFit, Fit: &protocol.FitParams{K: 4, Columns: defaults, Seed: 1}}, nil)
	if fit.Error != nil {
		t.Fatal(fit.Error)
	}
	if fit.Fit.Rows != 860 || len(fit.Fit.Logged) == 0 {
		t.Errorf("fit on %d rows, logged %q", fit.Fit.Rows, fit.Fit.Logged)
	}
	lab := h.Handle(context.Background(), protocol.Request{ID: 5, Op: protocol.OpLabelled}, nil)
	recs, err := csv.NewReader(bytes.NewReader(lab.File.Data)).ReadAll()
	if err != nil || len(recs) != 861 || recs[0][0] != "customer" || recs[0][len(recs[0])-1] != "segment_name" || lab.File.Name != "online_retail_head-rfm-segments.csv" {
		t.Fatalf("labelled %s: %d records, header %q, %v", lab.File.Name, len(recs), recs[0], err)
	}
	back := h.Handle(context.Background(), protocol.Request{ID: 6, Op: protocol.OpRFM, RFM: &protocol.RFMParams{}}, nil)
	if back.Error != nil || back.Inspect.Rows != 39522 || back.Inspect.RFM == nil {
		t.Fatalf("back to the log: %+v", back.Error)
	}
	if r := h.Handle(context.Background(), protocol.Request{ID: 7, Op: protocol.OpLabelled}, nil); code(r) != protocol.CodeNoFit {
		t.Errorf("the fit on the RFM table outlived it: %+v", r.Error)
	}
}

func TestRuleSample(t *testing.T) {
	labels := make([]int, maxRuleRows+10)
	labels[3] = profile.NotClustered
	labels[4] = -1
	got, sampled := ruleSample(labels, 1)
	kept := 0
	for _, l := range got {
		if l >= 0 {
			kept++
		}
	}
	if !sampled || kept != maxRuleRows || got[3] != profile.NotClustered || got[4] != profile.NotClustered {
		t.Errorf("sampled %v, kept %d", sampled, kept)
	}
	small := []int{0, 1, -1, 1}
	if got, sampled := ruleSample(small, 1); sampled || !slices.Equal(got, small) {
		t.Errorf("small: %v %v", got, sampled)
	}
}
