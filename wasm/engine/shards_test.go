package engine

import (
	"bytes"
	"context"
	"slices"
	"sync"
	"testing"

	"github.com/segkit/segkit/internal/synth"
	"github.com/segkit/segkit/wasm/engine/protocol"
	"github.com/segkit/segkit/wasm/engine/shards"
)

// helperPool runs shard helpers as goroutines, as the page runs helper
// workers, delivering their answers to the client.
type helperPool struct {
	client  *shards.Client
	inboxes []chan []byte
	wg      sync.WaitGroup
}

func newHelperPool(n int) *helperPool {
	p := &helperPool{}
	p.client = shards.NewClient(p, n)
	for h := range n {
		in := make(chan []byte, 16)
		p.inboxes = append(p.inboxes, in)
		srv := &shards.Server{}
		p.wg.Go(func() {
			for msg := range in {
				p.client.Deliver(h, srv.Handle(msg))
			}
		})
	}
	return p
}

func (p *helperPool) Send(h int, msg []byte) error {
	p.inboxes[h] <- slices.Clone(msg)
	return nil
}

func (p *helperPool) close() {
	for _, in := range p.inboxes {
		close(in)
	}
	p.wg.Wait()
}

// TestFitWithHelpers checks that a k-means fit spread over helper workers
// gives the page exactly what a fit in the engine alone gives.
func TestFitWithHelpers(t *testing.T) {
	x, _ := synth.Blobs(50_000, 4, 6, 3, 9)
	var csv bytes.Buffer
	if err := synth.WriteCSV(&csv, x); err != nil {
		t.Fatal(err)
	}
	fit := func(h *Handler) *protocol.FitResult {
		t.Helper()
		if r := load(t, h, "blobs.csv", csv.Bytes(), 1<<20); r.Error != nil {
			t.Fatal(r.Error)
		}
		r := h.Handle(context.Background(), protocol.Request{ID: 2, Op: protocol.OpFit,
			Fit: &protocol.FitParams{Algorithm: "kmeans", K: 6, Seed: 4, NInit: 2, Labels: true}}, nil)
		if r.Error != nil {
			t.Fatal(r.Error)
		}
		return r.Fit
	}
	alone := fit(&Handler{})
	pool := newHelperPool(3)
	defer pool.close()
	if n := len(pool.client.Split(50_000)); n != 3 { // at least shards.MinRowsPerShard rows each
		t.Fatalf("50,000 rows split into %d shards, want 3", n)
	}
	spread := fit(&Handler{Shards: pool.client})
	if alone.Metrics.Workers != 1 || spread.Metrics.Workers != 3 {
		t.Errorf("workers %d alone, %d with helpers; want 1 and 3", alone.Metrics.Workers, spread.Metrics.Workers)
	}
	if !slices.Equal(spread.Labels, alone.Labels) || spread.Metrics.Inertia != alone.Metrics.Inertia {
		t.Errorf("with helpers: inertia %v, without: %v (labels equal: %v)",
			spread.Metrics.Inertia, alone.Metrics.Inertia, slices.Equal(spread.Labels, alone.Labels))
	}
}
