package cluster

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/segkit/segkit/core/matrix"
	"github.com/segkit/segkit/internal/synth"
)

// goShards is a ShardClient over in-process shards, each answering in its
// own goroutine; with viaJSON every request and reply goes through JSON, as
// to a Web Worker.
type goShards struct {
	shards    []*KMeansShard
	viaJSON   bool
	viaBinary bool // through MarshalBinary/UnmarshalBinary, as the page's workers
	calls     int
}

func (g *goShards) Do(ctx context.Context, reqs []*ShardRequest) ([]*ShardReply, error) {
	g.calls++
	reps := make([]*ShardReply, len(reqs))
	errs := make([]error, len(reqs))
	var wg sync.WaitGroup
	for i, req := range reqs {
		wg.Go(func() {
			if g.viaJSON {
				b, err := json.Marshal(req)
				if err != nil {
					errs[i] = err
					return
				}
				req = new(ShardRequest)
				if err := json.Unmarshal(b, req); err != nil {
					errs[i] = err
					return
				}
			}
			if g.viaBinary {
				b, _ := req.MarshalBinary()
				req = new(ShardRequest)
				if err := req.UnmarshalBinary(b); err != nil {
					errs[i] = err
					return
				}
			}
			rep, err := g.shards[i].Handle(req)
			if err != nil {
				errs[i] = err
				return
			}
			if g.viaJSON {
				b, err := json.Marshal(rep)
				if err != nil {
					errs[i] = err
					return
				}
				rep = new(ShardReply)
				if err := json.Unmarshal(b, rep); err != nil {
					errs[i] = err
					return
				}
			}
			if g.viaBinary {
				b, _ := rep.MarshalBinary()
				rep = new(ShardReply)
				if err := rep.UnmarshalBinary(b); err != nil {
					errs[i] = err
					return
				}
			}
			reps[i] = rep
		})
	}
	wg.Wait()
	return reps, errors.Join(errs...)
}

// splitShards cuts x into shards of the given row counts (the last takes the
// rest).
func splitShards(t *testing.T, x *matrix.Dense, k int, sizes []int) ([]*KMeansShard, []int) {
	t.Helper()
	var shards []*KMeansShard
	var rows []int
	first := 0
	for i := 0; first < x.Rows; i++ {
		r := x.Rows - first
		if i < len(sizes) {
			r = min(sizes[i], r)
		}
		part := &matrix.Dense{Rows: r, Cols: x.Cols, Data: x.Data[first*x.Cols : (first+r)*x.Cols]}
		s, err := NewKMeansShard(part, first, k, 1+i%2)
		if err != nil {
			t.Fatal(err)
		}
		shards = append(shards, s)
		rows = append(rows, r)
		first += r
	}
	return shards, rows
}

// TestFitShardedEqualsFit checks that a fit over shards gives Fit's labels,
// centres, inertia and iterations bit for bit, for several splits, with
// relocated empty clusters, several restarts, and through JSON.
func TestFitShardedEqualsFit(t *testing.T) {
	blobs, _ := synth.Blobs(20000, 3, 6, 4, 7)
	rounded := &matrix.Dense{Rows: blobs.Rows, Cols: blobs.Cols, Data: slices.Clone(blobs.Data)}
	for i, v := range rounded.Data {
		rounded.Data[i] = math.Round(v / 3) // few distinct rows: empty clusters get relocated
	}
	tests := []struct {
		name    string
		x       *matrix.Dense
		k, nit  int
		sizes   []int
		viaJSON bool
		binary  bool
	}{
		{"one shard", blobs, 6, 2, nil, false, false},
		{"three shards", blobs, 6, 2, []int{4096, 8192}, false, false},
		{"one chunk each", blobs, 6, 1, []int{4096, 4096, 4096, 4096}, false, false},
		{"k=1", blobs, 1, 1, []int{8192}, false, false},
		{"k=9, 3 restarts", blobs, 9, 3, []int{12288}, false, false},
		{"relocations", rounded, 12, 2, []int{4096, 4096}, false, false},
		{"through JSON", blobs, 6, 2, []int{8192, 4096}, true, false},
		{"through the binary codec", rounded, 12, 2, []int{8192, 4096}, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			km := &KMeans{K: tt.k, NInit: tt.nit, Seed: 5, Workers: 2}
			want, err := km.Fit(context.Background(), tt.x)
			if err != nil {
				t.Fatal(err)
			}
			shards, rows := splitShards(t, tt.x, tt.k, tt.sizes)
			client := &goShards{shards: shards, viaJSON: tt.viaJSON, viaBinary: tt.binary}
			got, err := km.FitSharded(context.Background(), client, rows, tt.x.Cols)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got.Labels, want.Labels) {
				t.Errorf("labels differ from Fit's")
			}
			if !slices.Equal(got.Centers.Data, want.Centers.Data) {
				t.Errorf("centres differ from Fit's")
			}
			if got.Inertia != want.Inertia || got.Iterations != want.Iterations || got.Converged != want.Converged {
				t.Errorf("inertia %v, %d iterations, converged %v; Fit: %v, %d, %v",
					got.Inertia, got.Iterations, got.Converged, want.Inertia, want.Iterations, want.Converged)
			}
			if len(shards) > 1 && client.calls == 0 {
				t.Errorf("no request reached the shards")
			}
		})
	}
}

// TestShardResetEqualsNew fits over shards, then resets them for other
// rows and k, again and again: each fit is Fit's, bit for bit, whether the
// shards kept their buffers (same row counts) or not, and a reset shard has
// no labels to give before its fit keeps a run.
func TestShardResetEqualsNew(t *testing.T) {
	a, _ := synth.Blobs(20000, 3, 6, 4, 11)
	b, _ := synth.Blobs(20000, 3, 4, 2, 12)
	c, _ := synth.Blobs(13000, 3, 5, 3, 13)
	sizes := []int{8192}
	shards, rows := splitShards(t, a, 6, sizes)
	for i, step := range []struct {
		x *matrix.Dense
		k int
	}{{a, 6}, {a, 3}, {b, 4}, {c, 5}, {a, 7}} {
		if i > 0 {
			first := 0
			rows = rows[:0]
			for s, sh := range shards {
				r := step.x.Rows - first
				if s < len(sizes) {
					r = sizes[s]
				}
				part := &matrix.Dense{Rows: r, Cols: step.x.Cols, Data: step.x.Data[first*step.x.Cols : (first+r)*step.x.Cols]}
				if err := sh.Reset(part, first, step.k); err != nil {
					t.Fatal(err)
				}
				if _, err := sh.Handle(&ShardRequest{Op: ShardLabels}); err == nil {
					t.Fatalf("step %d: a reset shard gave labels before its fit kept a run", i+1)
				}
				rows = append(rows, r)
				first += r
			}
		}
		km := &KMeans{K: step.k, NInit: 2, Seed: uint64(20 + i), Workers: 1}
		want, err := km.Fit(context.Background(), step.x)
		if err != nil {
			t.Fatal(err)
		}
		got, err := km.FitSharded(context.Background(), &goShards{shards: shards}, rows, step.x.Cols)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got.Labels, want.Labels) || !slices.Equal(got.Centers.Data, want.Centers.Data) ||
			got.Inertia != want.Inertia || got.Iterations != want.Iterations {
			t.Errorf("step %d (%d rows, k = %d): the fit over reset shards differs from Fit", i+1, step.x.Rows, step.k)
		}
	}
	if err := shards[0].Reset(a, 0, 0); err == nil {
		t.Error("Reset with k = 0: no error")
	}
	if err := shards[0].Reset(a, 5, 3); err == nil {
		t.Error("Reset to a first row that is not a multiple of ShardAlign: no error")
	}
}

// errMalformed marks a test case expecting the coordinator to reject a
// reply of the wrong shape.
var errMalformed = errors.New("malformed reply")

func TestFitShardedErrors(t *testing.T) {
	x, _ := synth.Blobs(9000, 2, 3, 4, 1)
	bad := &matrix.Dense{Rows: x.Rows, Cols: x.Cols, Data: slices.Clone(x.Data)}
	bad.Data[5000*2+1] = math.NaN()
	tests := []struct {
		name  string
		x     *matrix.Dense
		sizes []int
		rows  []int // overrides the rows given to FitSharded
		k     int
		want  error
	}{
		{"misaligned shard", x, []int{4000}, nil, 3, ErrBadSettings},
		{"rows do not match", x, []int{4096}, []int{4096, 100}, 3, errMalformed},
		{"NaN in the second shard", bad, []int{4096}, nil, 3, nil},
		{"too few rows", x, nil, nil, 9001, ErrTooFewPoints},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sizes := tt.sizes
			if tt.name == "misaligned shard" {
				// Build the shards by hand: NewKMeansShard refuses a
				// misaligned start, so give FitSharded misaligned counts.
				sizes = []int{4096}
			}
			shards, rows := splitShards(t, tt.x, min(tt.k, 3), sizes)
			if tt.name == "misaligned shard" {
				rows = []int{4000, 5000}
			}
			if tt.rows != nil {
				rows = tt.rows
			}
			_, err := (&KMeans{K: tt.k, NInit: 1}).FitSharded(context.Background(), &goShards{shards: shards}, rows, 2)
			if tt.want == errMalformed {
				if err == nil || !strings.Contains(err.Error(), "shard 1: malformed reply to stats") {
					t.Fatalf("err = %v, want a malformed reply of shard 1", err)
				}
				return
			}
			if tt.want != nil {
				if !errors.Is(err, tt.want) {
					t.Fatalf("err = %v, want %v", err, tt.want)
				}
				return
			}
			var ie *InputError
			if !errors.As(err, &ie) || ie.Row != 5000 || ie.Column != 1 {
				t.Fatalf("err = %v, want an InputError at row 5000, column 1", err)
			}
		})
	}
	if _, err := NewKMeansShard(x, 100, 3, 1); !errors.Is(err, ErrBadSettings) {
		t.Errorf("a shard starting at row 100: err = %v, want ErrBadSettings", err)
	}
}

// TestShardHandleRejectsMalformed checks that requests of the wrong shape
// are errors, not panics.
func TestShardHandleRejectsMalformed(t *testing.T) {
	x, _ := synth.Blobs(100, 2, 2, 4, 1)
	s, err := NewKMeansShard(x, 0, 2, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, req := range []*ShardRequest{
		nil,
		{Op: "nonsense"},
		{Op: ShardStart, Center: []float64{1}},
		{Op: ShardTrial, Cand: []float64{1, 2}, CCMin: []float64{0, 0}},
		{Op: ShardAssign, Centers: []float64{0, 0, 1, 1}, Half: []float64{1}},
		{Op: ShardSearch, Targets: []ShardTarget{{Chunk: 3}}},
		{Op: ShardSearch, Targets: []ShardTarget{{Chunk: -1, Row: 100}}},
		{Op: ShardSearch, Pending: 5},
		{Op: ShardFarthest, M: 0, Centers: []float64{0, 0, 1, 1}},
		{Op: ShardLabels},
	} {
		if _, err := s.Handle(req); !errors.Is(err, ErrBadSettings) {
			t.Errorf("Handle(%+v): err = %v, want ErrBadSettings", req, err)
		}
	}
}

func TestShardCodecRoundTrip(t *testing.T) {
	reqs := []*ShardRequest{
		{Op: ShardSearch, NewRound: true, Pending: 3, PendingCand: 1, Targets: []ShardTarget{{Chunk: 2, Offset: 1.5, Target: 7.25}, {Chunk: -1, Row: 9}}},
		{Op: ShardAssign, First: true, Accumulate: true, Full: false, Exact: true, Centers: []float64{1, -2, math.Pi, 4},
			CentersT: []float64{}, Half: []float64{0.5, math.Inf(1)}, Shift: []float64{0, 1e-300}, MaxShift: 2, Shift2: 1, MaxShiftIdx: 1, Pending: -1},
		{Op: ShardFarthest, M: 2, Centers: []float64{0, 0}},
		{Op: ShardKeep},
	}
	for _, r := range reqs {
		b, err := r.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var got ShardRequest
		if err := got.UnmarshalBinary(b); err != nil {
			t.Fatalf("%s: %v", r.Op, err)
		}
		want := *r
		if len(want.CentersT) == 0 {
			want.CentersT = nil // empty and nil slices encode alike
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: round trip gave %+v, want %+v", r.Op, got, want)
		}
	}
	rep := &ShardReply{BadRow: 12, BadCol: 3, BadValue: math.Inf(-1), Mean: []float64{1, 2}, M2: []float64{3, 4},
		Rows: []int{5, 4097}, RowData: []float64{1, 2, 3, 4}, FarDist: []float64{9, 8}, Pot: []float64{0.1},
		Changed: []int{0, 7}, Inertia: []float64{1, 2}, Sums: []float64{-1, 1}, Counts: []int{-3, 3}, Labels: []int{0, 1, 2}}
	b, _ := rep.MarshalBinary()
	var got ShardReply
	if err := got.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(&got, rep) {
		t.Errorf("reply round trip gave %+v, want %+v", got, *rep)
	}
	// NaN survives (JSON could not carry it).
	nan := &ShardReply{BadRow: 1, BadValue: math.NaN()}
	b, _ = nan.MarshalBinary()
	if err := got.UnmarshalBinary(b); err != nil || !math.IsNaN(got.BadValue) {
		t.Errorf("NaN round trip: %v, %v", got.BadValue, err)
	}
	// Truncations and trailing bytes are errors.
	for _, bad := range [][]byte{nil, {1}, {1, 'Q'}, {2, 'R'}, append(b, 0), b[:len(b)-1]} {
		if err := got.UnmarshalBinary(bad); !errors.Is(err, errShardCodec) {
			t.Errorf("UnmarshalBinary(%v) = %v, want a codec error", bad, err)
		}
	}
}

func FuzzShardCodec(f *testing.F) {
	req, _ := (&ShardRequest{Op: ShardTrial, Cand: []float64{1, 2}, CCMin: []float64{3}, Targets: []ShardTarget{{Chunk: 1}}}).MarshalBinary()
	rep, _ := (&ShardReply{Sums: []float64{1}, Counts: []int{2}, Labels: []int{-1}}).MarshalBinary()
	f.Add(req)
	f.Add(rep)
	f.Add([]byte{1, 'Q', 0, 0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Fuzz(func(t *testing.T, b []byte) {
		var q ShardRequest
		if q.UnmarshalBinary(b) == nil {
			again, _ := q.MarshalBinary()
			var q2 ShardRequest
			if err := q2.UnmarshalBinary(again); err != nil {
				t.Fatalf("re-encoded request does not decode: %v", err)
			}
		}
		var r ShardReply
		if r.UnmarshalBinary(b) == nil {
			again, _ := r.MarshalBinary()
			var r2 ShardReply
			if err := r2.UnmarshalBinary(again); err != nil {
				t.Fatalf("re-encoded reply does not decode: %v", err)
			}
		}
	})
}
