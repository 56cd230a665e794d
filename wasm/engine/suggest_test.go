package engine

import (
	"context"
	"reflect"
	"testing"

	"github.com/segkit/segkit/wasm/engine/protocol"
)

// TestSuggestWithHelpers: the suggestion on Wholesale customers spread over
// helper workers is the engine's alone, field by field (but the seconds),
// and says how many workers scored.
func TestSuggestWithHelpers(t *testing.T) {
	suggest := func(h *Handler) *protocol.Suggestion {
		t.Helper()
		if r := load(t, h, "wholesale-customers.csv", wholesale(t), 4096); r.Error != nil {
			t.Fatal(r.Error)
		}
		progress := 0
		r := h.Handle(context.Background(), protocol.Request{ID: 2, Op: protocol.OpSuggest, Suggest: &protocol.SuggestParams{
			Columns: []string{"Fresh", "Milk", "Grocery", "Frozen", "Detergents_Paper", "Delicassen"}, Seed: 3}},
			func(protocol.Response) { progress++ })
		if r.Error != nil {
			t.Fatal(r.Error)
		}
		if progress == 0 {
			t.Error("no progress reported")
		}
		r.Suggest.Seconds = 0
		return r.Suggest
	}
	alone := suggest(&Handler{})
	for _, helpers := range []int{1, 2} {
		pool := newHelperPool(helpers)
		spread := suggest(&Handler{Shards: pool.client})
		pool.close()
		if alone.Workers != 1 || spread.Workers != helpers+1 {
			t.Errorf("%d helpers: workers %d alone, %d with helpers; want 1 and %d", helpers, alone.Workers, spread.Workers, helpers+1)
		}
		spread.Workers = 1
		if !reflect.DeepEqual(spread, alone) {
			t.Errorf("%d helpers: the suggestion differs from the engine's alone:\n%+v\n%+v", helpers, spread, alone)
		}
	}
}
