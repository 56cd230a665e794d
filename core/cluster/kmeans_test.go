package cluster

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/segkit/segkit/core/matrix"
	"github.com/segkit/segkit/internal/synth"
)

// naiveLloyd is scikit-learn's lloyd loop written out plainly: brute-force
// assignment, sums in row order, the same relocation of empty clusters and the
// same stopping rules. It starts from centers (k×d) and returns the labels,
// centres and iterations.
func naiveLloyd(x []float64, n, d, k int, centers []float64, maxIter int, tol float64) ([]int, []float64, int) {
	c := slices.Clone(centers)
	labels := make([]int, n)
	old := slices.Repeat([]int{-1}, n)
	buf := make([]float64, k)
	iters := maxIter
	for it := 1; it <= maxIter; it++ {
		for i := range n {
			labels[i], _ = nearest(x[i*d:i*d+d], c, buf)
		}
		sums := make([]float64, k*d)
		counts := make([]int, k)
		for i, l := range labels {
			for j := range d {
				sums[l*d+j] += x[i*d+j]
			}
			counts[l]++
		}
		st := newKMState(&matrix.Dense{Rows: n, Cols: d, Data: x}, k, 1)
		st.labels = labels
		co := newKMCoord(localShard{st}, []int{0, n}, d, k)
		co.centers, co.sums, co.counts = c, sums, counts
		if _, err := co.relocateEmpty(context.Background()); err != nil {
			panic(err)
		}
		next := make([]float64, k*d)
		shift := 0.0
		for j := range k {
			for t := range d {
				if counts[j] == 0 {
					next[j*d+t] = c[j*d+t]
				} else {
					next[j*d+t] = sums[j*d+t] / float64(counts[j])
				}
			}
			shift += sqdist(next[j*d:j*d+d], c[j*d:j*d+d])
		}
		c = next
		if slices.Equal(labels, old) || shift <= tol {
			iters = it
			break
		}
		copy(old, labels)
	}
	for i := range n {
		labels[i], _ = nearest(x[i*d:i*d+d], c, buf)
	}
	return labels, c, iters
}

// TestLloydMatchesNaive checks that the bounded (Hamerly) iterations give the
// labels and iteration count of plain Lloyd iterations from the same seeding,
// and the same centres up to rounding (the sums are updated incrementally, as
// rows change clusters, rather than recomputed).
func TestLloydMatchesNaive(t *testing.T) {
	tests := []struct {
		name       string
		n, d, k, g int
		seed       uint64
	}{
		{"well separated", 2000, 2, 5, 5, 1},
		{"overlapping", 4000, 3, 10, 6, 2},
		{"more k than blobs", 3000, 8, 12, 4, 3},
		{"k=1", 500, 3, 1, 3, 4},
		{"k=2", 1000, 5, 2, 2, 5},
		{"rounded, empty clusters", 3000, 2, 40, 3, 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x, _ := synth.Blobs(tt.n, tt.d, tt.g, 4, tt.seed)
			if strings.HasPrefix(tt.name, "rounded") {
				// Few distinct rows: seeding picks duplicates, so some
				// clusters start empty and are relocated.
				for i, v := range x.Data {
					x.Data[i] = math.Round(v / 2)
				}
			}
			st := newKMState(x, tt.k, 1)
			meanVar, err := checkMatrix(x, tt.k, 1)
			if err != nil {
				t.Fatal(err)
			}
			tol := 1e-4 * meanVar
			if err := st.seed(context.Background(), rand.New(rand.NewPCG(tt.seed, 0))); err != nil {
				t.Fatal(err)
			}
			init := slices.Clone(st.centers)
			r, err := st.lloyd(context.Background(), 300, tol, nil)
			if err != nil {
				t.Fatal(err)
			}
			labels, centers, iters := naiveLloyd(x.Data, tt.n, tt.d, tt.k, init, 300, tol)
			if !slices.Equal(st.labels, labels) {
				t.Errorf("labels differ from plain Lloyd")
			}
			for j, v := range centers {
				if math.Abs(st.centers[j]-v) > 1e-12*math.Max(1, math.Abs(v)) {
					t.Fatalf("centre value %d: %v, plain Lloyd %v", j, st.centers[j], v)
				}
			}
			if r.iterations != iters {
				t.Errorf("%d iterations, plain Lloyd %d", r.iterations, iters)
			}
		})
	}
}

// TestEmptyClusterRelocated starts Lloyd iterations with a centre that gets no
// rows: it must move to the row farthest from its centre (20, at distance 9
// from centre 11), which leaves its old cluster.
func TestEmptyClusterRelocated(t *testing.T) {
	x := mustRows(t, [][]float64{{0}, {1}, {2}, {10}, {11}, {20}})
	st := newKMState(x, 3, 1)
	copy(st.centers, []float64{1, 11, 100})
	buf := make([]float64, 3)
	for i := range x.Rows {
		st.labels[i], st.lower[i] = nearest(x.Row(i), st.centers, buf)
	}
	r, err := st.lloyd(context.Background(), 300, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := []float64{1, 10.5, 20}; !slices.Equal(st.centers, want) {
		t.Errorf("centres %v, want %v", st.centers, want)
	}
	if want := []int{0, 0, 0, 1, 1, 2}; !slices.Equal(st.labels, want) {
		t.Errorf("labels %v, want %v", st.labels, want)
	}
	// Iteration 1 relocates centre 2; iteration 2 moves row 5 to it and
	// leaves the centres in place (shift 0 <= tol 0).
	if r.inertia != 2.5 || !r.converged || r.iterations != 2 {
		t.Errorf("inertia %v converged %v after %d iterations, want 2.5 true 2", r.inertia, r.converged, r.iterations)
	}
}

func TestFarthestRows(t *testing.T) {
	x := []float64{0, 5, 1, -5, 3}
	cs := []float64{0}
	labels := make([]int, 5)
	tests := []struct {
		m    int
		want []int
	}{
		{1, []int{1}},
		{2, []int{1, 3}}, // tie: lower row first
		{3, []int{1, 3, 4}},
		{5, []int{1, 3, 4, 2, 0}},
	}
	for _, tt := range tests {
		if got, _ := farthestRows(x, 5, 1, cs, labels, tt.m); !slices.Equal(got, tt.want) {
			t.Errorf("farthestRows(m=%d) = %v, want %v", tt.m, got, tt.want)
		}
	}
}

// TestWorkersDoNotChangeResult fits with 1 and 4 workers on data spanning
// many chunks (including a partial last chunk): labels, centres and inertia
// must be bit-identical.
func TestWorkersDoNotChangeResult(t *testing.T) {
	n := 9*chunkRows + 123
	if testing.Short() {
		n = 3*chunkRows + 1
	}
	x, _ := synth.Blobs(n, 5, 6, 4, 3)
	for _, tt := range []struct {
		name string
		f    func(workers int) Fitter
	}{
		{"kmeans", func(w int) Fitter { return &KMeans{K: 6, NInit: 3, Seed: 5, Workers: w} }},
		{"minibatch-kmeans", func(w int) Fitter { return &MiniBatchKMeans{K: 6, Seed: 5, Workers: w} }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m1, err := tt.f(1).Fit(context.Background(), x)
			if err != nil {
				t.Fatal(err)
			}
			m4, err := tt.f(4).Fit(context.Background(), x)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(m1.Labels, m4.Labels) || !slices.Equal(m1.Centers.Data, m4.Centers.Data) ||
				m1.Inertia != m4.Inertia || m1.Iterations != m4.Iterations {
				t.Errorf("Workers=1 and Workers=4 differ: inertia %v vs %v, iterations %d vs %d",
					m1.Inertia, m4.Inertia, m1.Iterations, m4.Iterations)
			}
		})
	}
}

// digest hashes labels (as int32) or float64 bits, little-endian.
func digest[T int | float64](v []T) string {
	h := sha256.New()
	var b [8]byte
	for _, e := range v {
		switch e := any(e).(type) {
		case int:
			binary.LittleEndian.PutUint32(b[:4], uint32(int32(e)))
			h.Write(b[:4])
		case float64:
			binary.LittleEndian.PutUint64(b[:], math.Float64bits(e))
			h.Write(b[:])
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// TestGoldenDigest is a cross-platform identity check, not a quality check:
// the digests were recorded from a native linux/amd64 run and the test must
// pass unchanged under GOOS=js GOARCH=wasm (and any other GOARCH), proving
// that the same data and Seed give bit-identical labels and centres
// everywhere. The data digest is checked first, so a failure there points at
// the generator rather than the clustering. If an intended change to the
// algorithm changes the result, record the new digests natively and check
// them under wasm.
func TestGoldenDigest(t *testing.T) {
	x, _ := synth.Blobs(20000, 8, 8, 4, 7)
	if got, want := digest(x.Data), "abe72813f92cbdaa"; got != want {
		t.Fatalf("data digest %s, want %s: the generator's output changed", got, want)
	}
	tests := []struct {
		name         string
		f            Fitter
		labels, cent string
	}{
		{"kmeans", &KMeans{K: 8, NInit: 3, Seed: 99, Workers: 2}, "0d7d58b6c413801a", "f329d03e9a591229"},
		{"minibatch-kmeans", &MiniBatchKMeans{K: 8, Seed: 99, Workers: 2}, "01c528c4e0b9ac78", "e03b11203437a58f"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := tt.f.Fit(context.Background(), x)
			if err != nil {
				t.Fatal(err)
			}
			if got := digest(m.Labels); got != tt.labels {
				t.Errorf("labels digest %s, want %s", got, tt.labels)
			}
			if got := digest(m.Centers.Data); got != tt.cent {
				t.Errorf("centres digest %s, want %s", got, tt.cent)
			}
		})
	}
}

func TestKMeansProgressAndDeterminism(t *testing.T) {
	x, _ := synth.Blobs(5000, 3, 4, 4, 8)
	var calls []Progress
	km := &KMeans{K: 4, NInit: 2, Seed: 3, Progress: func(p Progress) { calls = append(calls, p) }}
	m, err := km.Fit(context.Background(), x)
	if err != nil {
		t.Fatal(err)
	}
	if len(calls) == 0 || calls[0].Run != 1 || calls[len(calls)-1].Run != 2 {
		t.Fatalf("progress calls %+v", calls)
	}
	for i, p := range calls {
		if p.Algorithm != "kmeans" || p.Runs != 2 || p.MaxIter != 300 || p.Iteration < 1 || p.Inertia <= 0 {
			t.Errorf("call %d: %+v", i, p)
		}
		if i > 0 && p.Run == calls[i-1].Run && p.Iteration != calls[i-1].Iteration+1 {
			t.Errorf("call %d: iteration %d after %d", i, p.Iteration, calls[i-1].Iteration)
		}
	}
	// The same settings without a callback give the same model.
	km.Progress = nil
	m2, err := km.Fit(context.Background(), x)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(m.Labels, m2.Labels) || !slices.Equal(m.Centers.Data, m2.Centers.Data) || m.Inertia != m2.Inertia {
		t.Errorf("refit with the same Seed differs")
	}
	if !m.Converged || m.Iterations < 2 {
		t.Errorf("converged %v after %d iterations", m.Converged, m.Iterations)
	}
}

func TestMaxIterLimits(t *testing.T) {
	x, _ := synth.Blobs(5000, 3, 8, 4, 8)
	m, err := (&KMeans{K: 8, NInit: 1, MaxIter: 2, Seed: 1}).Fit(context.Background(), x)
	if err != nil {
		t.Fatal(err)
	}
	if m.Iterations != 2 || m.Converged {
		t.Errorf("%d iterations, converged %v; want 2, false", m.Iterations, m.Converged)
	}
}

func TestFitCancelled(t *testing.T) {
	x, _ := synth.Blobs(5000, 3, 8, 4, 8)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for name, f := range fitters(3) {
		if _, err := f.Fit(ctx, x); !errors.Is(err, context.Canceled) {
			t.Errorf("%s: error %v, want context.Canceled", name, err)
		}
	}
	// Cancelled from the progress callback: Fit stops at the next check.
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	calls := 0
	km := &KMeans{K: 8, NInit: 1, Tol: 1e-12, Progress: func(Progress) { calls++; cancel() }}
	if _, err := km.Fit(ctx, x); !errors.Is(err, context.Canceled) || calls != 1 {
		t.Errorf("error %v after %d progress calls, want context.Canceled after 1", err, calls)
	}
}

// TestDuplicatePoints has fewer distinct rows than K: Fit must still return K
// centres, no NaN, and inertia 0 (up to the rounding of running means).
func TestDuplicatePoints(t *testing.T) {
	rows := make([][]float64, 30)
	for i := range rows {
		rows[i] = []float64{float64(i % 2), 7}
	}
	x := mustRows(t, rows)
	for name, f := range fitters(4) {
		t.Run(name, func(t *testing.T) {
			m, err := f.Fit(context.Background(), x)
			if err != nil {
				t.Fatal(err)
			}
			if m.Inertia > 1e-20 || m.Centers.Rows != 4 {
				t.Errorf("inertia %v, %d centres", m.Inertia, m.Centers.Rows)
			}
			for _, v := range m.Centers.Data {
				if math.IsNaN(v) {
					t.Fatalf("NaN centre: %v", m.Centers.Data)
				}
			}
		})
	}
}

// TestKMeansFindsBlobs checks the obvious: three far-apart blobs are found
// exactly, by every algorithm.
func TestKMeansFindsBlobs(t *testing.T) {
	var rows [][]float64
	var truth []int
	for c, centre := range [][]float64{{0, 0}, {100, 0}, {0, 100}} {
		for i := range 50 {
			rows = append(rows, []float64{centre[0] + float64(i%7), centre[1] + float64(i%5)})
			truth = append(truth, c)
		}
	}
	x := mustRows(t, rows)
	for name, f := range fitters(3) {
		m, err := f.Fit(context.Background(), x)
		if err != nil {
			t.Fatal(err)
		}
		if ari := adjustedRand(truth, m.Labels); ari != 1 {
			t.Errorf("%s: ARI %v, want 1", name, ari)
		}
	}
}

var _ Fitter = (*KMeans)(nil)
var _ Fitter = (*MiniBatchKMeans)(nil)
var _ Predictor = (*Model)(nil)
var _ Predictor = NearestCenter{Centers: &matrix.Dense{}}
