package eval

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/segkit/segkit/internal/synth"
)

// BenchmarkSuggest100k times Suggest with its defaults (k = 2…10, a fit
// sample of 20000 rows, silhouette on 5000, 5 gap reference sets, 5
// stability pairs) on 100000 rows of 8-D blobs. The bar: faster
// than scikit-learn's silhouette_score(x, labels, sample_size=10000) summed
// over the same ks. With SEGKIT_PEER=1 the benchmark also runs
// scripts/silhouette_peer.py with /usr/bin/python3 on the same data, once,
// and reports its seconds as peer-silhouette-s.
func BenchmarkSuggest100k(b *testing.B) {
	x, _ := synth.Blobs(100000, 8, 8, 1.5, 1)
	var peerSil, peerFit float64
	if os.Getenv("SEGKIT_PEER") == "1" && runtime.GOOS != "js" {
		path := filepath.Join(b.TempDir(), "blobs.f64")
		f, err := os.Create(path)
		if err != nil {
			b.Fatal(err)
		}
		if err := synth.WriteFloat64(f, x); err != nil {
			b.Fatal(err)
		}
		if err := f.Close(); err != nil {
			b.Fatal(err)
		}
		out, err := exec.Command("/usr/bin/python3", "../../scripts/silhouette_peer.py", path, "8", "2", "10").Output()
		if err != nil {
			b.Fatalf("scikit-learn peer: %v", err)
		}
		var peer struct {
			SilhouetteSeconds float64 `json:"silhouette_seconds"`
			FitSeconds        float64 `json:"fit_seconds"`
		}
		if err := json.Unmarshal(out, &peer); err != nil {
			b.Fatalf("scikit-learn peer printed %q: %v", out, err)
		}
		peerSil, peerFit = peer.SilhouetteSeconds, peer.FitSeconds
	}
	b.ReportAllocs()
	b.ResetTimer()
	var s *Suggestion
	for b.Loop() {
		var err error
		if s, err = Suggest(context.Background(), x, SuggestOptions{Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(s.SuggestedK), "k")
	if peerSil > 0 {
		b.ReportMetric(peerSil, "peer-silhouette-s")
		b.ReportMetric(peerFit, "peer-fit-s")
	}
}
