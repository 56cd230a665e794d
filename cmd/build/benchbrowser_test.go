package main

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/segkit/segkit/core/matrix"
)

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-12*math.Max(1, math.Abs(b)) }

func TestRatioOf(t *testing.T) {
	tests := []struct {
		name         string
		num, den     []float64
		numIt, denIt []int
		want         ratio
		err          string
	}{
		{
			// totals 8 s / 3 s; pairs 2× and 3×; per iteration (8/30)/(3/10).
			name: "two pairs", num: []float64{2, 6}, den: []float64{1, 2}, numIt: []int{10, 20}, denIt: []int{5, 5},
			want: ratio{Total: 8.0 / 3, PairMedian: 2.5, PairMin: 2, PairMax: 3, PerIteration: (8.0 / 30) / (3.0 / 10)},
		},
		{
			name: "one pair", num: []float64{1.5}, den: []float64{0.5}, numIt: []int{12}, denIt: []int{12},
			want: ratio{Total: 3, PairMedian: 3, PairMin: 3, PairMax: 3, PerIteration: 3},
		},
		{name: "no pairs", err: "at least one"},
		{name: "uneven", num: []float64{1, 2}, den: []float64{1}, numIt: []int{1, 1}, denIt: []int{1}, err: "same number of pairs"},
		{name: "zero time", num: []float64{1, 0}, den: []float64{1, 1}, numIt: []int{1, 1}, denIt: []int{1, 1}, err: "pair 2"},
		{name: "NaN time", num: []float64{math.NaN()}, den: []float64{1}, numIt: []int{1}, denIt: []int{1}, err: "pair 1"},
		{name: "infinite time", num: []float64{1}, den: []float64{math.Inf(1)}, numIt: []int{1}, denIt: []int{1}, err: "pair 1"},
		{name: "no iterations", num: []float64{1}, den: []float64{1}, numIt: []int{0}, denIt: []int{1}, err: "0 and 1 iterations"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ratioOf(tt.name, tt.num, tt.den, tt.numIt, tt.denIt)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want one containing %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !near(got.Total, tt.want.Total) || !near(got.PairMedian, tt.want.PairMedian) || !near(got.PairMin, tt.want.PairMin) ||
				!near(got.PairMax, tt.want.PairMax) || !near(got.PerIteration, tt.want.PerIteration) {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestLoadRunCheck(t *testing.T) {
	cols := []loadColumn{{"id", "identifier", false}, {"x1", "float", true}, {"x2", "float", true}}
	good := loadRun{Bytes: 1000, Seconds: 0.5, Rows: 10, Columns: cols}
	tests := []struct {
		name string
		edit func(l *loadRun)
		err  string
	}{
		{"good", func(*loadRun) {}, ""},
		{"rows short", func(l *loadRun) { l.Rows = 9 }, "read 9 rows"},
		{"rows skipped", func(l *loadRun) { l.Skipped = 1 }, "1 skipped"},
		{"zero time", func(l *loadRun) { l.Seconds = 0 }, "in 0 s"},
		{"no bytes", func(l *loadRun) { l.Bytes = 0 }, "load of 0 bytes"},
		{"a column lost", func(l *loadRun) { l.Columns = cols[:2] }, "2 columns"},
		{"text column", func(l *loadRun) {
			l.Columns = []loadColumn{cols[0], cols[1], {"x2", "text", false}}
		}, `"x2" inferred as text`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := good
			tt.edit(&l)
			checkErr(t, l.check(10, 3), tt.err)
		})
	}
	if got := good.mbPerS(); !near(got, 0.002) {
		t.Fatalf("mbPerS = %v, want 0.002 (1000 bytes in 0.5 s)", got)
	}
}

func checkErr(t *testing.T, err error, want string) {
	t.Helper()
	if want == "" {
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return
	}
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("error %v, want one containing %q", err, want)
	}
}

func TestKMeansPairCheck(t *testing.T) {
	cols := []string{"x1", "x2"}
	good := kmeansPair{
		Seed:     42,
		Segkit:   engineFit{Seconds: 1, WallSeconds: 2, Iterations: 12, Inertia: 100, Rows: 50, K: 3, Columns: cols, Scale: "none"},
		MLKMeans: jsFit{Seconds: 5, Iterations: 20, Inertia: 105, Rows: 50},
		SKLearn:  peerRun{Seconds: 0.5, Iterations: 13, Inertia: 100},
	}
	tests := []struct {
		name string
		edit func(p *kmeansPair)
		err  string
	}{
		{"good", func(*kmeansPair) {}, ""},
		{"inertia at the slack", func(p *kmeansPair) { p.MLKMeans.Inertia = 110 }, ""},
		{"segkit NaN time", func(p *kmeansPair) { p.Segkit.Seconds = math.NaN() }, "segkit-wasm: NaN s"},
		{"segkit no iterations", func(p *kmeansPair) { p.Segkit.Iterations = 0 }, "0 iterations"},
		{"segkit fewer rows", func(p *kmeansPair) { p.Segkit.Rows = 49 }, "fitted 49 rows"},
		{"segkit wrong columns", func(p *kmeansPair) { p.Segkit.Columns = []string{"id", "x1", "x2"} }, `columns ["id" "x1" "x2"]`},
		{"segkit logged", func(p *kmeansPair) { p.Segkit.Logged = []string{"x1"} }, `logged ["x1"]`},
		{"segkit scaled", func(p *kmeansPair) { p.Segkit.Scale = "standard" }, `scale "standard"`},
		{"segkit other k", func(p *kmeansPair) { p.Segkit.K = 2 }, "k = 2"},
		{"ml-kmeans fewer rows", func(p *kmeansPair) { p.MLKMeans.Rows = 10 }, "ml-kmeans"},
		{"ml-kmeans infinite inertia", func(p *kmeansPair) { p.MLKMeans.Inertia = math.Inf(1) }, "ml-kmeans"},
		{"scikit-learn zero time", func(p *kmeansPair) { p.SKLearn.Seconds = 0 }, "scikit-learn: 0 s"},
		{"segkit other problem", func(p *kmeansPair) { p.Segkit.Inertia = 150 }, "segkit-wasm reached inertia 150"},
		{"ml-kmeans other problem", func(p *kmeansPair) { p.MLKMeans.Inertia = 80 }, "ml-kmeans reached inertia 80"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := good
			p.Segkit.Columns = append([]string(nil), cols...)
			tt.edit(&p)
			checkErr(t, p.check(50, 3, cols), tt.err)
		})
	}
}

func TestRenderRunCheck(t *testing.T) {
	tests := []struct {
		name string
		run  renderRun
		err  string
	}{
		{"good", renderRun{FirstRenderMS: 300, EngineReadyMS: 500, DOMContentLoadedMS: 40, FileInput: true}, ""},
		{"no file input", renderRun{FirstRenderMS: 300, EngineReadyMS: 500, DOMContentLoadedMS: 40}, "#file-input"},
		{"mark missing", renderRun{FirstRenderMS: -1, EngineReadyMS: 500, DOMContentLoadedMS: 40, FileInput: true}, "first render -1 ms"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkErr(t, tt.run.check(), tt.err) })
	}
}

// report is a small, complete report as the bench page would give it.
func report() browserReport {
	cols := []string{"x1"}
	return browserReport{
		Renders: []renderRun{
			{FirstRenderMS: 300, Workers: 2, WasmRequests: 3, WasmBytes: 1_300_000},
			{FirstRenderMS: 1200, Workers: 2, WasmRequests: 3, WasmBytes: 1_200_000},
			{FirstRenderMS: 500, Workers: 1, WasmRequests: 2, WasmBytes: 1_250_000},
		},
		Transfer: []resourceSize{
			{Name: "../segkit.wasm", TransferSize: 1_300_000, EncodedBodySize: 1_299_700, DecodedBodySize: 4_500_000},
			{Name: "../segkit.js", TransferSize: 900_000, EncodedBodySize: 899_700, DecodedBodySize: 899_700},
		},
		Parse: []loadRun{{Bytes: 100e6, Seconds: 2}, {Bytes: 100e6, Seconds: 1}, {Bytes: 100e6, Seconds: 4}},
		KMeans: kmeansReport{Pairs: []kmeansPair{
			{Segkit: engineFit{Seconds: 1, WallSeconds: 2, Iterations: 10, Columns: cols}, MLKMeans: jsFit{Seconds: 5, Iterations: 10}, SKLearn: peerRun{Seconds: 1, Iterations: 10}},
			{Segkit: engineFit{Seconds: 2, WallSeconds: 3, Iterations: 20, Columns: cols}, MLKMeans: jsFit{Seconds: 7, Iterations: 10}, SKLearn: peerRun{Seconds: 1, Iterations: 10}},
		}},
	}
}

func TestSummarize(t *testing.T) {
	r := report()
	if err := r.summarize(); err != nil {
		t.Fatal(err)
	}
	if r.FirstRender != (stat{Median: 500, Min: 300, Max: 1200, N: 3}) {
		t.Errorf("first render %+v", r.FirstRender)
	}
	if r.WasmBytes != 1_300_000 { // the largest cold load
		t.Errorf("wasm bytes %d, want 1300000", r.WasmBytes)
	}
	if r.ParseMBPerS != (stat{Median: 50, Min: 25, Max: 100, N: 3}) {
		t.Errorf("parse %+v", r.ParseMBPerS)
	}
	wantRatios := map[string]float64{
		"segkit-wasm / scikit-learn":        3.0 / 2,
		"segkit-wasm (wall) / scikit-learn": 5.0 / 2,
		"ml-kmeans / segkit-wasm":           12.0 / 3,
		"ml-kmeans / segkit-wasm (wall)":    12.0 / 5,
	}
	for _, q := range r.KMeans.Ratios {
		if w, ok := wantRatios[q.Name]; !ok || !near(q.Total, w) {
			t.Errorf("ratio %q = %v, want %v", q.Name, q.Total, w)
		}
		delete(wantRatios, q.Name)
	}
	if len(wantRatios) != 0 {
		t.Errorf("ratios missing: %v", wantRatios)
	}
	// 500 ms ≤ 1 s; 1.3 MB ≤ 1.5 MB; 50 MB/s ≥ 50; 1.5× ≤ 1.5×; 4× ≥ 4×: all
	// exactly at or inside their targets.
	for _, g := range r.Targets {
		if !g.Met {
			t.Errorf("target %q (%v %s, %s) not met", g.Name, g.Value, g.Unit, g.Target)
		}
	}
	if len(r.Targets) != 5 {
		t.Errorf("%d targets, want 5", len(r.Targets))
	}
	b, err := json.Marshal(r)
	if err != nil || !strings.Contains(string(b), `"wasm_bytes":1300000`) {
		t.Errorf("JSON %s (%v)", b, err)
	}

	r = report()
	r.KMeans.Pairs[1].MLKMeans.Seconds = 6.9 // 11.9 / 3 < 4
	r.Renders[2].FirstRenderMS = 1001
	if err := r.summarize(); err != nil {
		t.Fatal(err)
	}
	for _, g := range r.Targets {
		missed := strings.HasPrefix(g.Name, "first render") || strings.HasPrefix(g.Name, "k-means: ml-kmeans")
		if g.Met == missed {
			t.Errorf("target %q: met = %v at %v", g.Name, g.Met, g.Value)
		}
	}
}

func TestSummarizeRefusesGarbage(t *testing.T) {
	tests := []struct {
		name string
		edit func(r *browserReport)
		err  string
	}{
		{"no pairs", func(r *browserReport) { r.KMeans.Pairs = nil }, "0 k-means pairs"},
		{"no renders", func(r *browserReport) { r.Renders = nil }, "0 renders"},
		{"no wasm", func(r *browserReport) { r.Transfer = r.Transfer[1:] }, "0 wasm files"},
		{"two wasm", func(r *browserReport) { r.Transfer = append(r.Transfer, r.Transfer[0]) }, "2 wasm files"},
		{"nothing transferred", func(r *browserReport) { r.Transfer[0].TransferSize = 0 }, "segkit.wasm: 0 bytes transferred"},
		{"decoded smaller", func(r *browserReport) { r.Transfer[0].DecodedBodySize = 10 }, "segkit.wasm"},
		{"nothing sent on a load", func(r *browserReport) { r.Renders[1].WasmBytes = 0 }, "cold load 2: 0 bytes"},
		{"a worker did not fetch", func(r *browserReport) { r.Renders[0].WasmRequests = 2 }, "cold load 1"},
		{"zero fit time", func(r *browserReport) { r.KMeans.Pairs[0].SKLearn.Seconds = 0 }, "pair 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := report()
			tt.edit(&r)
			checkErr(t, r.summarize(), tt.err)
		})
	}
}

func TestRoundTo6AndMeanVariance(t *testing.T) {
	x := matrix.New(2, 2)
	copy(x.Data, []float64{1.0000004, 2.0000006, 3, 6})
	roundTo6(x)
	if x.Data[0] != 1 || x.Data[1] != 2.000001 {
		t.Fatalf("rounded %v, want [1 2.000001 …]", x.Data)
	}
	copy(x.Data, []float64{1, 2, 3, 6})
	// Columns {1, 3}: variance 1; {2, 6}: variance 4; mean 2.5.
	if got := meanVariance(x); !near(got, 2.5) {
		t.Fatalf("meanVariance = %v, want 2.5", got)
	}
}
