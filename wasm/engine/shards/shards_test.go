package shards

import (
	"context"
	"errors"
	"math"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/segkit/segkit/core/cluster"
	"github.com/segkit/segkit/core/matrix"
	"github.com/segkit/segkit/internal/synth"
)

// goTransport runs each helper as a goroutine with its own Server, as a Web
// Worker would: messages are copied, answered in order, and delivered back
// to the client.
type goTransport struct {
	client  *Client
	servers []*Server
	inboxes []chan []byte
	delay   atomic.Int64 // nanoseconds per request, to let a test cancel mid-fit
	mu      sync.Mutex
	sent    map[byte]int            // messages sent, by type
	ops     map[cluster.ShardOp]int // requests sent to helpers, by operation
	wg      sync.WaitGroup
}

func newGoTransport(helpers int) *goTransport {
	t := &goTransport{}
	t.client = NewClient(t, helpers)
	for h := range helpers {
		s, in := &Server{}, make(chan []byte, 64)
		t.servers, t.inboxes = append(t.servers, s), append(t.inboxes, in)
		t.wg.Go(func() {
			for msg := range in {
				if d := t.delay.Load(); d > 0 && msg[0] == msgRequest {
					time.Sleep(time.Duration(d))
				}
				t.client.Deliver(h, s.Handle(msg))
			}
		})
	}
	return t
}

func (t *goTransport) Send(h int, pieces ...[]byte) error {
	msg := slices.Concat(pieces...)
	if h >= len(t.inboxes) {
		return errors.New("no such helper")
	}
	t.mu.Lock()
	if t.sent == nil {
		t.sent = map[byte]int{}
	}
	t.sent[msg[0]]++
	if msg[0] == msgRequest {
		var req cluster.ShardRequest
		if err := req.UnmarshalBinary(msg[5:]); err == nil {
			if t.ops == nil {
				t.ops = map[cluster.ShardOp]int{}
			}
			t.ops[req.Op]++
		}
	}
	t.mu.Unlock()
	t.inboxes[h] <- msg
	return nil
}

func (t *goTransport) close() {
	for _, in := range t.inboxes {
		close(in)
	}
	t.wg.Wait()
}

func TestSplit(t *testing.T) {
	a := cluster.ShardAlign
	tests := []struct {
		helpers, n int
		want       []int
	}{
		{0, 100, []int{100}},
		{3, 100, []int{100}},                              // too few rows for a helper
		{3, 8 * a, []int{4 * a, 4 * a}},                   // two shards of the minimum
		{1, 1_000_000, []int{123 * a, 1_000_000 - 123*a}}, // ⌈500,000 / 4096⌉ = 123
		{3, 1_000_000, []int{62 * a, 62 * a, 62 * a, 1_000_000 - 186*a}},
	}
	for _, tt := range tests {
		got := NewClient(nil, tt.helpers).Split(tt.n)
		if !slices.Equal(got, tt.want) {
			t.Errorf("Split(%d) with %d helpers = %v, want %v", tt.n, tt.helpers, got, tt.want)
		}
	}
}

// TestShardedFitEqualsFit runs the whole path — rows copied to helpers,
// binary messages both ways — and compares with a single-process fit.
func TestShardedFitEqualsFit(t *testing.T) {
	x, _ := synth.Blobs(60_000, 5, 7, 3, 11)
	km := &cluster.KMeans{K: 7, NInit: 2, Seed: 3}
	want, err := km.Fit(context.Background(), x)
	if err != nil {
		t.Fatal(err)
	}
	for _, helpers := range []int{0, 1, 3} {
		tr := newGoTransport(helpers)
		rows, err := tr.client.Load(context.Background(), x, km.K)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != min(helpers+1, 3) {
			t.Errorf("%d helpers: %d shards, want %d", helpers, len(rows), min(helpers+1, 3))
		}
		got, err := km.FitSharded(context.Background(), tr.client, rows, x.Cols)
		tr.close()
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got.Labels, want.Labels) || !slices.Equal(got.Centers.Data, want.Centers.Data) ||
			got.Inertia != want.Inertia || got.Iterations != want.Iterations {
			t.Errorf("%d helpers: the sharded fit differs from Fit (inertia %v vs %v, %d vs %d iterations)",
				helpers, got.Inertia, want.Inertia, got.Iterations, want.Iterations)
		}
	}
}

// TestCancelThenFitAgain cancels a fit while the helpers work, then fits
// again on the same client: the late answers of the cancelled fit must be
// dropped, not taken for the new fit's.
func TestCancelThenFitAgain(t *testing.T) {
	x, _ := synth.Blobs(40_000, 4, 5, 3, 2)
	km := &cluster.KMeans{K: 5, NInit: 1, Seed: 1}
	want, err := km.Fit(context.Background(), x)
	if err != nil {
		t.Fatal(err)
	}
	tr := newGoTransport(2)
	defer tr.close()
	rows, err := tr.client.Load(context.Background(), x, km.K)
	if err != nil {
		t.Fatal(err)
	}
	tr.delay.Store(int64(20 * time.Millisecond))
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	_, err = km.FitSharded(ctx, tr.client, rows, x.Cols)
	cancel()
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("cancelled fit: err = %v, want the context's", err)
	}
	tr.delay.Store(0)
	got, err := km.FitSharded(context.Background(), tr.client, rows, x.Cols)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Labels, want.Labels) || got.Inertia != want.Inertia {
		t.Errorf("the fit after a cancelled one differs from Fit")
	}
}

func TestServerRejectsMalformed(t *testing.T) {
	var s Server
	tests := []struct {
		name string
		msg  []byte
		want string
	}{
		{"short", []byte{msgInit}, "too short"},
		{"request before init", []byte{msgRequest, 1, 0, 0, 0}, "before the rows"},
		{"unknown type", []byte{'Z', 1, 0, 0, 0}, "unknown message type"},
		{"init with too few bytes", []byte{msgInit, 1, 0, 0, 0, 0, 2, 3, 2, 1, 2}, "malformed init"},
		{"init with a bad k", append([]byte{msgInit, 1, 0, 0, 0, 0, 0, 1, 1}, make([]byte, 8)...), "K = 0"},
	}
	for _, tt := range tests {
		out := s.Handle(tt.msg)
		if out[0] != msgError || !strings.Contains(string(out[5:]), tt.want) {
			t.Errorf("%s: answer %q, want an error containing %q", tt.name, out, tt.want)
		}
	}
	// A helper's error reaches the coordinator as an error naming it.
	tr := newGoTransport(1)
	defer tr.close()
	tr.client.used, tr.client.local = 1, must(cluster.NewKMeansShard(synthRows(t), 0, 2, 1))
	_, err := tr.client.Do(context.Background(), []*cluster.ShardRequest{{Op: cluster.ShardKeep}, {Op: cluster.ShardKeep}})
	if err == nil || !strings.Contains(err.Error(), "helper 1: a request before the rows arrived") {
		t.Errorf("err = %v, want helper 1's error", err)
	}
}

func synthRows(t *testing.T) *matrix.Dense {
	t.Helper()
	x, _ := synth.Blobs(10, 2, 2, 3, 1)
	return x
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// TestLoadSameRowsRekeys fits the same rows (a fresh copy, as the engine
// prepares them for every fit) with another k: the helpers get a rekey, not
// the rows again, and the fit is still Fit's. Changed rows go out again.
func TestLoadSameRowsRekeys(t *testing.T) {
	x, _ := synth.Blobs(60_000, 3, 5, 3, 8) // three shards: two helpers
	tr := newGoTransport(2)
	defer tr.close()
	sent := func(typ byte) int {
		tr.mu.Lock()
		defer tr.mu.Unlock()
		return tr.sent[typ]
	}
	for i, k := range []int{5, 7, 3} {
		y := &matrix.Dense{Rows: x.Rows, Cols: x.Cols, Data: slices.Clone(x.Data)}
		rows, err := tr.client.Load(context.Background(), y, k)
		if err != nil {
			t.Fatal(err)
		}
		if inits, rekeys := sent(msgInit), sent(msgRekey); inits != 2 || rekeys != 2*i {
			t.Errorf("fit %d: %d init and %d rekey messages, want 2 and %d", i+1, inits, rekeys, 2*i)
		}
		km := &cluster.KMeans{K: k, NInit: 1, Seed: 2}
		got, err := km.FitSharded(context.Background(), tr.client, rows, y.Cols)
		if err != nil {
			t.Fatal(err)
		}
		want, err := km.Fit(context.Background(), y)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got.Labels, want.Labels) || got.Inertia != want.Inertia {
			t.Errorf("k = %d after a rekey: the sharded fit differs from Fit", k)
		}
	}
	// One value changed in a helper's rows: they go out again.
	y := &matrix.Dense{Rows: x.Rows, Cols: x.Cols, Data: slices.Clone(x.Data)}
	y.Data[len(y.Data)-1] += 1
	if _, err := tr.client.Load(context.Background(), y, 3); err != nil {
		t.Fatal(err)
	}
	if inits := sent(msgInit); inits != 4 {
		t.Errorf("after a change: %d init messages, want 4", inits)
	}
	// A rekey before any rows, or malformed, is an error.
	var s Server
	for _, msg := range [][]byte{{msgRekey, 1, 0, 0, 0, 3}, {msgRekey, 1, 0, 0, 0}, {msgRekey, 1, 0, 0, 0, 0}} {
		if out := s.Handle(msg); out[0] != msgError {
			t.Errorf("rekey %v: answer %q, want an error", msg, out)
		}
	}
}

// TestStatsAskedOnceForSameRows fits the same rows again (fresh copies):
// the shards' statistics are asked once, and asked again when any row
// changes, in the engine's own shard or a helper's; a value that is not
// finite is then reported with its row either way.
func TestStatsAskedOnceForSameRows(t *testing.T) {
	x, _ := synth.Blobs(60_000, 3, 5, 3, 9) // three shards: two helpers
	tr := newGoTransport(2)
	defer tr.close()
	statsAsked := func() int {
		tr.mu.Lock()
		defer tr.mu.Unlock()
		return tr.ops[cluster.ShardStats]
	}
	fit := func(change func([]float64)) (*cluster.Model, error) {
		y := &matrix.Dense{Rows: x.Rows, Cols: x.Cols, Data: slices.Clone(x.Data)}
		change(y.Data)
		rows, err := tr.client.Load(context.Background(), y, 4)
		if err != nil {
			t.Fatal(err)
		}
		km := &cluster.KMeans{K: 4, NInit: 1, Seed: 3}
		got, err := km.FitSharded(context.Background(), tr.client, rows, y.Cols)
		if err != nil {
			return nil, err
		}
		want, err := km.Fit(context.Background(), y)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got.Labels, want.Labels) || got.Inertia != want.Inertia || got.Iterations != want.Iterations {
			t.Errorf("after %d requests for statistics: the sharded fit differs from Fit", statsAsked())
		}
		return got, nil
	}
	same := func([]float64) {}
	steps := []struct {
		name   string
		change func([]float64)
		asked  int // requests for statistics sent to the helpers so far
		badRow int // the row reported as not finite, or -1
	}{
		{"first fit", same, 2, -1},
		{"same rows", same, 2, -1},
		{"same rows again", same, 2, -1},
		{"the engine's rows scaled", func(v []float64) { v[5] *= 2 }, 4, -1},
		{"then the same again", func(v []float64) { v[5] *= 2 }, 4, -1},
		{"a NaN in the engine's rows", func(v []float64) { v[3*7+1] = math.NaN() }, 6, 7},
		{"an infinity in a helper's rows", func(v []float64) { v[len(v)-2] = math.Inf(1) }, 8, x.Rows - 1},
		{"back to the rows", same, 10, -1},
	}
	for _, st := range steps {
		_, err := fit(st.change)
		var ie *cluster.InputError
		switch {
		case st.badRow < 0 && err != nil:
			t.Fatalf("%s: %v", st.name, err)
		case st.badRow >= 0 && (!errors.As(err, &ie) || ie.Row != st.badRow):
			t.Errorf("%s: error %v, want the input error of row %d", st.name, err, st.badRow)
		}
		if got := statsAsked(); got != st.asked {
			t.Errorf("%s: %d requests for statistics sent to the helpers, want %d", st.name, got, st.asked)
		}
	}
}
