package main

import (
	"slices"
	"testing"

	"github.com/segkit/segkit/wasm/engine/protocol"
)

// The settings card offers exactly the engine's algorithms, each explained,
// and marks the mixed ones as the engine does.
func TestAlgoInfos(t *testing.T) {
	var names []string
	for _, a := range algoInfos {
		names = append(names, a.Name)
		if a.Label == "" || a.Help == "" {
			t.Errorf("%s has no label or explanation", a.Name)
		}
		if a.Mixed != slices.Contains(protocol.MixedAlgorithms, a.Name) {
			t.Errorf("%s: mixed %v", a.Name, a.Mixed)
		}
	}
	if !slices.Equal(names, protocol.Algorithms) {
		t.Errorf("algorithms %q, the engine has %q", names, protocol.Algorithms)
	}
	if algo("nope").Name != "kmeans" || !algo("dbscan").has("eps") || algo("kmeans").has("eps") {
		t.Error("algo lookup")
	}
}

func TestAlgoLabel(t *testing.T) {
	for fitted, want := range map[string]string{"agglomerative-ward": "Agglomerative (hierarchical)", "kmeans": "k-means",
		"kmedoids": "k-medoids (numbers and categories)", "minibatch-kmeans": "Mini-batch k-means", "other": "other"} {
		if got := algoLabel(fitted); got != want {
			t.Errorf("algoLabel(%q) = %q, want %q", fitted, got, want)
		}
	}
}
