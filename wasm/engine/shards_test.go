package engine

import (
	"bytes"
	"context"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"sync"
	"testing"

	"github.com/segkit/segkit/core/dataset"
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
	mu      sync.Mutex
	sent    map[byte]int // messages sent, by type
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

func (p *helperPool) Send(h int, pieces ...[]byte) error {
	msg := slices.Concat(pieces...)
	p.mu.Lock()
	if p.sent == nil {
		p.sent = map[byte]int{}
	}
	p.sent[msg[0]]++
	p.mu.Unlock()
	p.inboxes[h] <- msg
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

// customersCSV writes rows of a customer file of about 100 bytes each:
// identifiers, a category, a date, amounts with missing cells, and a code
// column that is numbers until its last rows.
func customersCSV(rows int, latin1 bool) []byte {
	var b bytes.Buffer
	b.WriteString("CustomerID,City,Joined,Spend,Visits,Code,Note\n")
	cities := []string{"Paris", "Lyon", "Lille", "Nantes", "Brest"}
	for i := range rows {
		spend := fmt.Sprintf("%d.%02d", i*37%5000, i%100)
		if i%97 == 0 {
			spend = "NA"
		}
		code := strconv.Itoa(i % 400)
		if i >= rows-10 {
			code = "X" + code
		}
		note := "ok"
		if latin1 && i == rows-5 {
			note = "caf\xe9"
		}
		fmt.Fprintf(&b, "C%07d,%s,%02d/%02d/20%02d,%s,%d,%s,%s\n", i, cities[i%5], 1+i%28, 1+i%12, 10+i%15, spend, i%17, code, note)
	}
	return b.Bytes()
}

// TestLoadWithHelpers checks that a file parsed in parts by helper workers
// gives the page exactly the table the engine alone reads: every column's
// kind, every cell.
func TestLoadWithHelpers(t *testing.T) {
	for _, tt := range []struct {
		name             string
		data             []byte
		helpers, workers int
	}{
		{"one helper", customersCSV(150_000, false), 1, 2},
		{"three helpers", customersCSV(250_000, false), 3, 4},         // parts of at least 2 MiB
		{"not UTF-8 near the end", customersCSV(150_000, true), 1, 1}, // parsed again by the engine alone
	} {
		t.Run(tt.name, func(t *testing.T) {
			alone := &Handler{}
			want := load(t, alone, "customers.csv", tt.data, 8<<20)
			pool := newHelperPool(tt.helpers)
			defer pool.close()
			spread := &Handler{Shards: pool.client}
			got := load(t, spread, "customers.csv", tt.data, 8<<20)
			if want.Error != nil || got.Error != nil {
				t.Fatalf("errors %v / %v", want.Error, got.Error)
			}
			if pool.sent['P'] != tt.helpers {
				t.Errorf("%d parts sent to %d helpers", pool.sent['P'], tt.helpers)
			}
			if want.Inspect.Workers != 1 || got.Inspect.Workers != tt.workers {
				t.Errorf("read by %d workers alone and %d with helpers, want 1 and %d", want.Inspect.Workers, got.Inspect.Workers, tt.workers)
			}
			got.Inspect.Workers = 1
			if !reflect.DeepEqual(want.Inspect, got.Inspect) {
				t.Errorf("inspection differs:\n%+v\n%+v", want.Inspect, got.Inspect)
			}
			a, b := alone.table, spread.table
			if rows := bytes.Count(tt.data, []byte{'\n'}) - 1; a.Rows != rows || b.Rows != a.Rows {
				t.Fatalf("%d rows alone, %d with helpers", a.Rows, b.Rows)
			}
			for j, ca := range a.Columns {
				cb := b.Columns[j]
				if ca.Kind != cb.Kind || ca.Missing != cb.Missing {
					t.Fatalf("%s: %v with %d missing alone, %v with %d with helpers", ca.Name, ca.Kind, ca.Missing, cb.Kind, cb.Missing)
				}
				for i := range a.Rows {
					if ca.Text(i) != cb.Text(i) {
						t.Fatalf("%s row %d: %q alone, %q with helpers", ca.Name, i, ca.Text(i), cb.Text(i))
					}
				}
			}
			if c := b.Column("Code"); c.Kind != dataset.KindCategorical || c.Text(0) != "0" || c.Text(b.Rows-1) != "X399" {
				t.Errorf("Code: %v, %q … %q", c.Kind, c.Text(0), c.Text(b.Rows-1))
			}
		})
	}
}
