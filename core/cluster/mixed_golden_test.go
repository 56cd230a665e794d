package cluster

import (
	"context"
	"testing"
)

// TestMixedGoldenDigest is the cross-platform identity check of KPrototypes
// and KMedoids (see TestGoldenDigest): the digests were recorded from a
// native linux/amd64 run and must hold unchanged under GOOS=js GOARCH=wasm.
func TestMixedGoldenDigest(t *testing.T) {
	x, mask, _ := mixedBlobs(3000, 5, 2, 5, 11)
	if got, want := digest(x.Data), "3fedff02b6abb23e"; got != want {
		t.Fatalf("data digest %s, want %s: the generator's output changed", got, want)
	}
	small := *x
	small.Rows = 1500
	small.Data = x.Data[:1500*x.Cols]
	tests := []struct {
		name         string
		f            Fitter
		small        bool
		labels, cent string
	}{
		{"kprototypes/cao", &KPrototypes{K: 5, Categorical: mask, NInit: 3, Seed: 9, Workers: 2}, false, "567a51f541caa4a6", "495ea642797817e9"},
		{"kprototypes/huang", &KPrototypes{K: 5, Categorical: mask, NInit: 2, Init: "huang", Seed: 9}, false, "9400ce03785ff6b9", "343b5cfd8ac8d5d1"},
		{"kmedoids/fasterpam", &KMedoids{K: 5, Categorical: mask, Workers: 2}, true, "9414e663da79da7c", "c73f075f2040c3e5"},
		{"kmedoids/alternate++", &KMedoids{K: 5, Categorical: mask, Method: "alternate", Init: "k-medoids++", Seed: 9}, true, "ad473d43da3d698b", "91ebffafc8988e55"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := x
			if tt.small {
				in = &small
			}
			m, err := tt.f.Fit(context.Background(), in)
			if err != nil {
				t.Fatal(err)
			}
			if got := digest(m.Labels); got != tt.labels {
				t.Errorf("labels digest %s, want %s", got, tt.labels)
			}
			if got := digest(append(m.Centers.Data, m.Inertia)); got != tt.cent {
				t.Errorf("centres and inertia digest %s, want %s", got, tt.cent)
			}
		})
	}
}
