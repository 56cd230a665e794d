package cluster

import (
	"context"
	"fmt"
	"hash/fnv"
	"math"
	"testing"
)

// TestDensityDigest pins a digest of the labels (and, for mean-shift, the
// modes' bits) of each density-based algorithm on seeded data, so a change
// natively or under js/wasm shows up: the digests are the same on both
// (checked with GOOS=js GOARCH=wasm on 2026-11-26).
func TestDensityDigest(t *testing.T) {
	x := densityBlobs(3000, 2)
	tests := []struct {
		name string
		f    Fitter
		want string
	}{
		{"dbscan", &DBSCAN{Eps: 0.3, MinSamples: 5}, "dbscan k=22 b609398458228016"},
		{"hdbscan", &HDBSCAN{MinClusterSize: 20}, "hdbscan k=5 30dc35680c04d64b"},
		{"meanshift", &MeanShift{Quantile: 0.05}, "meanshift k=8 a83559f52a82d9e1"},
		{"dbscan-haversine", &DBSCAN{Eps: 40, MinSamples: 5, Metric: Haversine}, "dbscan-haversine k=12 df71b58460443991"},
	}
	for _, tt := range tests {
		m, err := tt.f.Fit(context.Background(), x)
		if err != nil {
			t.Fatal(err)
		}
		h := fnv.New64a()
		for _, l := range m.Labels {
			fmt.Fprint(h, l, ",")
		}
		if m.Centers != nil {
			for _, v := range m.Centers.Data {
				fmt.Fprint(h, math.Float64bits(v), ",")
			}
		}
		got := fmt.Sprintf("%s k=%d %016x", tt.name, m.K, h.Sum64())
		t.Log(got)
		if tt.want != "" && got != tt.want {
			t.Errorf("digest %s, want %s", got, tt.want)
		}
	}
}
