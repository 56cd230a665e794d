package cluster

import (
	"bufio"
	"compress/gzip"
	"context"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/segkit/segkit/core/matrix"
	"github.com/segkit/segkit/internal/shareddata"
)

// readGz returns the whitespace-separated fields of each non-empty line of a
// gzip'd text file.
func readGz(t testing.TB, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var lines [][]string
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		if fs := strings.Fields(sc.Text()); len(fs) > 0 {
			lines = append(lines, fs)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return lines
}

// loadBench reads a labelled benchmark set (battery/name.data.gz and
// .labels0.gz) from the shared data folder.
func loadBench(t testing.TB, battery, name string) (*matrix.Dense, []int) {
	t.Helper()
	data := readGz(t, shareddata.Path(t, "bench", battery, name+".data.gz"))
	rows := make([][]float64, len(data))
	for i, fs := range data {
		rows[i] = make([]float64, len(fs))
		for j, f := range fs {
			v, err := strconv.ParseFloat(f, 64)
			if err != nil {
				t.Fatalf("%s line %d: %v", name, i+1, err)
			}
			rows[i][j] = v
		}
	}
	x, err := matrix.FromRows(rows)
	if err != nil {
		t.Fatal(err)
	}
	lab := readGz(t, shareddata.Path(t, "bench", battery, name+".labels0.gz"))
	labels := make([]int, len(lab))
	for i, fs := range lab {
		v, err := strconv.Atoi(fs[0])
		if err != nil {
			t.Fatalf("%s labels line %d: %v", name, i+1, err)
		}
		labels[i] = v
	}
	if len(labels) != x.Rows {
		t.Fatalf("%s: %d labels for %d rows", name, len(labels), x.Rows)
	}
	return x, labels
}

// adjustedRand is the adjusted Rand index of two labellings (Hubert and
// Arabie), from the contingency table. Test-only: the eval package has the
// real one.
func adjustedRand(a, b []int) float64 {
	type pair struct{ a, b int }
	cont := map[pair]int{}
	ra, rb := map[int]int{}, map[int]int{}
	for i := range a {
		cont[pair{a[i], b[i]}]++
		ra[a[i]]++
		rb[b[i]]++
	}
	c2 := func(n int) float64 { return float64(n) * float64(n-1) / 2 }
	var index, sa, sb float64
	for _, n := range cont {
		index += c2(n)
	}
	for _, n := range ra {
		sa += c2(n)
	}
	for _, n := range rb {
		sb += c2(n)
	}
	expected := sa * sb / c2(len(a))
	maxIndex := (sa + sb) / 2
	if maxIndex == expected {
		return 1
	}
	return (index - expected) / (maxIndex - expected)
}

func TestAdjustedRand(t *testing.T) {
	tests := []struct {
		a, b []int
		want float64
	}{
		{[]int{0, 0, 1, 1}, []int{5, 5, 3, 3}, 1},
		{[]int{0, 0, 1, 1}, []int{0, 1, 0, 1}, -0.5},
		// sklearn.metrics.adjusted_rand_score([0,0,0,1,1,1],[0,0,1,1,2,2])
		{[]int{0, 0, 0, 1, 1, 1}, []int{0, 0, 1, 1, 2, 2}, 0.24242424242424246},
	}
	for _, tt := range tests {
		if got := adjustedRand(tt.a, tt.b); got-tt.want > 1e-12 || tt.want-got > 1e-12 {
			t.Errorf("adjustedRand(%v, %v) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

// TestQualityBench compares with scikit-learn 1.2.1 on the labelled
// benchmark sets. The reference ARIs come from KMeans(k, n_init=10,
// random_state=0) and MiniBatchKMeans(k, n_init=3, random_state=0) (default
// settings otherwise), computed with:
//
//	/usr/bin/python3 -c "import numpy as np,sklearn.cluster as c,sklearn.metrics as m;X=np.loadtxt('bench/sipu/s1.data.gz');y=np.loadtxt('bench/sipu/s1.labels0.gz');print(m.adjusted_rand_score(y,c.KMeans(15,n_init=10,random_state=0).fit(X).labels_),m.adjusted_rand_score(y,c.MiniBatchKMeans(15,n_init=3,random_state=0).fit(X).labels_))"
//
// (with the battery, name and k of each row). The thresholds are those ARIs
// minus 0.01.
func TestQualityBench(t *testing.T) {
	tests := []struct {
		battery, name string
		k             int
		sklearnKM     float64
		sklearnMB     float64
	}{
		{"fcps", "hepta", 7, 1.0, 1.0},
		{"sipu", "s1", 15, 0.9868, 0.9864},
		{"sipu", "d31", 31, 0.9523, 0.9113},
		{"sipu", "unbalance", 8, 1.0, 1.0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x, truth := loadBench(t, tt.battery, tt.name)
			km, err := (&KMeans{K: tt.k, NInit: 10, Seed: 1}).Fit(context.Background(), x)
			if err != nil {
				t.Fatal(err)
			}
			ari := adjustedRand(truth, km.Labels)
			t.Logf("kmeans ARI %.4f (scikit-learn %.4f), inertia %.6g, %d iterations", ari, tt.sklearnKM, km.Inertia, km.Iterations)
			if ari < tt.sklearnKM-0.01 {
				t.Errorf("kmeans ARI %.4f < scikit-learn %.4f - 0.01", ari, tt.sklearnKM)
			}
			mb, err := (&MiniBatchKMeans{K: tt.k, Seed: 1}).Fit(context.Background(), x)
			if err != nil {
				t.Fatal(err)
			}
			mbARI := adjustedRand(truth, mb.Labels)
			t.Logf("minibatch ARI %.4f (scikit-learn %.4f), inertia %.6g, %d steps", mbARI, tt.sklearnMB, mb.Inertia, mb.Iterations)
			if mbARI < tt.sklearnMB-0.01 {
				t.Errorf("minibatch ARI %.4f < scikit-learn %.4f - 0.01", mbARI, tt.sklearnMB)
			}
		})
	}
}
