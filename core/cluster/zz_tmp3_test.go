package cluster

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"
)

func TestTmpHD(t *testing.T) {
	spec := os.Getenv("DUMPHD")
	if spec == "" {
		t.Skip()
	}
	var bat, name string
	var mcs, ms int
	fmt.Sscan(spec, &bat, &name, &mcs, &ms)
	x, truth := loadBench(t, bat, name)
	st := time.Now()
	m, sc, err := (&HDBSCAN{MinClusterSize: mcs, MinSamples: ms}).FitScores(context.Background(), x)
	if err != nil {
		t.Fatal(err)
	}
	noise := 0
	for _, l := range m.Labels {
		if l < 0 {
			noise++
		}
	}
	t.Logf("%s ari %.4f k %d noise %d %v p0 %.3f g0 %.3f", name, adjustedRand(truth, m.Labels), m.K, noise, time.Since(st), sc.Probabilities[0], sc.OutlierScores[0])
	m2, _ := (&HDBSCAN{MinClusterSize: mcs, MinSamples: ms, Selection: "leaf"}).Fit(context.Background(), x)
	t.Logf("leaf ari %.4f k %d", adjustedRand(truth, m2.Labels), m2.K)
}
