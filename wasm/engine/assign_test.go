package engine

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/segkit/segkit/wasm/engine/protocol"
)

// roundTrip sends req through JSON as the worker receives it (numbers in
// records become float64) and returns the handler's answer.
func roundTrip(t *testing.T, h *Handler, req protocol.Request) protocol.Response {
	t.Helper()
	b, err := json.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	var in protocol.Request
	if err := json.Unmarshal(b, &in); err != nil {
		t.Fatal(err)
	}
	return h.Handle(context.Background(), in, nil)
}

// fitModel loads data, fits k-means and returns the fit and the model JSON.
func fitModel(t testing.TB, h *Handler, data []byte, p protocol.FitParams) (*protocol.FitResult, []byte) {
	t.Helper()
	if r := h.Handle(context.Background(), protocol.Request{ID: 1, Op: protocol.OpLoad, Load: &protocol.Load{
		Name: "data.csv", Size: int64(len(data)), Chunk: data, Final: true}}, nil); r.Error != nil {
		t.Fatal(r.Error)
	}
	p.Labels = true
	r := h.Handle(context.Background(), protocol.Request{ID: 2, Op: protocol.OpFit, Fit: &p}, nil)
	if r.Error != nil {
		t.Fatal(r.Error)
	}
	mr := h.Handle(context.Background(), protocol.Request{ID: 3, Op: protocol.OpModel}, nil)
	if mr.Error != nil {
		t.Fatal(mr.Error)
	}
	return r.Fit, mr.File.Data
}

// TestAssignHandComputed: two obvious groups; a record near each lands in
// that group's segment, and a far record still gets the nearest centre.
func TestAssignHandComputed(t *testing.T) {
	var h Handler
	data := []byte("a,b\n0,0\n0,1\n1,0\n10,10\n10,11\n11,10\n")
	fit, raw := fitModel(t, &h, data, protocol.FitParams{K: 2, Seed: 1, Scale: "none"})
	low, high := fit.Labels[0], fit.Labels[3]
	if low == high {
		t.Fatalf("labels %v: the two groups share a segment", fit.Labels)
	}
	r := roundTrip(t, &h, protocol.Request{ID: 4, Op: protocol.OpAssign, Assign: &protocol.AssignParams{Model: raw, Records: []map[string]any{
		{"a": 9, "b": 9}, {"a": "1", "b": "0.5"}, {"a": -50, "b": 2, "ignored": "x"}, {"a": 100, "b": 100},
	}}})
	if r.Error != nil {
		t.Fatal(r.Error)
	}
	want := []int{high, low, low, high}
	for i, a := range r.Assigned.Results {
		if a.Segment != want[i] || a.Name != fit.Segments[want[i]].Name {
			t.Errorf("record %d: segment %d %q, want %d %q", i, a.Segment, a.Name, want[i], fit.Segments[want[i]].Name)
		}
	}
	// The centre of the high group is (10.33, 10.33): (9, 9) is 1.886 from it.
	if d := r.Assigned.Results[0].Distance; d < 1.885 || d > 1.887 {
		t.Errorf("distance %v, want 1.886 (sqrt(2)·4/3)", d)
	}
	if r.Assigned.ModelID != fit.ModelID {
		t.Errorf("model id %q, fit's %q", r.Assigned.ModelID, fit.ModelID)
	}
}

// TestAssignReproducesFit: the model assigns every training row of the
// wholesale customers to the segment the fit gave it, from the rows' raw
// text fields, as `segkit assign` does.
func TestAssignReproducesFit(t *testing.T) {
	var h Handler
	data := wholesale(t)
	fit, raw := fitModel(t, &h, data, protocol.FitParams{K: 4, Seed: 3, Columns: []string{"Fresh", "Milk", "Grocery", "Frozen", "Detergents_Paper", "Delicassen"}})
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var records []map[string]any
	for _, rec := range recs[1:] {
		m := map[string]any{}
		for j, name := range recs[0] {
			m[name] = rec[j]
		}
		records = append(records, m)
	}
	r := roundTrip(t, &h, protocol.Request{ID: 4, Op: protocol.OpAssign, Assign: &protocol.AssignParams{Model: raw, Records: records}})
	if r.Error != nil {
		t.Fatal(r.Error)
	}
	for i, a := range r.Assigned.Results {
		if a.Segment != fit.Labels[i] {
			t.Fatalf("row %d: assigned %d, fitted %d", i, a.Segment, fit.Labels[i])
		}
	}
	// The loaded file and its fit are untouched by assign.
	if lab := h.Handle(context.Background(), protocol.Request{ID: 5, Op: protocol.OpLabelled}, nil); lab.Error != nil {
		t.Fatal(lab.Error)
	}
}

func TestAssignErrors(t *testing.T) {
	var h Handler
	_, raw := fitModel(t, &h, []byte("a,b\n0,0\n0,1\n1,0\n10,10\n10,11\n11,10\n"), protocol.FitParams{K: 2, Seed: 1})
	tests := []struct {
		name    string
		params  *protocol.AssignParams
		code    string
		message string // a part of the message
	}{
		{"no assign part", nil, protocol.CodeBadRequest, "no assign part"},
		{"no model", &protocol.AssignParams{Records: []map[string]any{{"a": 1}}}, protocol.CodeBadModel, "no model"},
		{"null model", &protocol.AssignParams{Model: json.RawMessage("null")}, protocol.CodeBadModel, "no model"},
		{"not a model", &protocol.AssignParams{Model: json.RawMessage(`{"format":"other"}`)}, protocol.CodeBadModel, `format "other"`},
		{"tampered model", &protocol.AssignParams{Model: bytes.Replace(raw, []byte(`"version": 1`), []byte(`"version": 1, "extra": true`), 1)}, protocol.CodeBadModel, `unknown field "extra"`},
		{"nested field", &protocol.AssignParams{Model: raw, Records: []map[string]any{{"a": 1, "b": 2}, {"a": map[string]any{"x": 1}, "b": 2}}}, protocol.CodeBadRecord, `record 1, field "a"`},
		{"not a number", &protocol.AssignParams{Model: raw, Records: []map[string]any{{"a": "lots", "b": 2}}}, protocol.CodeBadRecord, `record 0, field "a"`},
		{"boolean for a number", &protocol.AssignParams{Model: raw, Records: []map[string]any{{"a": 1, "b": true}}}, protocol.CodeBadRecord, `record 0, field "b"`},
		{"null record", &protocol.AssignParams{Model: raw, Records: []map[string]any{nil}}, protocol.CodeBadRecord, "record 0"},
		{"too many", &protocol.AssignParams{Model: raw, Records: make([]map[string]any, protocol.MaxAssignRecords+1)}, protocol.CodeTooLarge, "at most"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := roundTrip(t, &h, protocol.Request{ID: 9, Op: protocol.OpAssign, Assign: tt.params})
			if code(r) != tt.code || !strings.Contains(r.Error.Message, tt.message) {
				t.Errorf("got %+v, want code %s and a message with %q", r.Error, tt.code, tt.message)
			}
		})
	}
	// A missing field is imputed as in training, not an error.
	r := roundTrip(t, &h, protocol.Request{ID: 10, Op: protocol.OpAssign, Assign: &protocol.AssignParams{Model: raw, Records: []map[string]any{{"a": 10}}}})
	if r.Error != nil || len(r.Assigned.Results) != 1 {
		t.Errorf("missing field: %+v", r.Error)
	}
}

// FuzzAssign: any request JSON gets an answer, never a panic, and a
// success has one result per record.
func FuzzAssign(f *testing.F) {
	var h Handler
	_, raw := fitModel(f, &h, []byte("a,b\n0,0\n0,1\n1,0\n10,10\n10,11\n11,10\n"), protocol.FitParams{K: 2, Seed: 1})
	f.Add(`{"id":1,"op":"assign","assign":{"model":` + string(raw) + `,"records":[{"a":1,"b":"2"}]}}`)
	f.Add(`{"id":1,"op":"assign","assign":{"model":{},"records":[{"a":[1]}]}}`)
	f.Add(`{"id":1,"op":"assign","assign":{"model":"x","records":null}}`)
	f.Fuzz(func(t *testing.T, s string) {
		var req protocol.Request
		if json.Unmarshal([]byte(s), &req) != nil {
			return
		}
		var h Handler
		r := h.Handle(context.Background(), req, nil)
		if r.Error == nil && r.Assigned != nil && len(r.Assigned.Results) != len(req.Assign.Records) {
			t.Fatalf("%d results for %d records", len(r.Assigned.Results), len(req.Assign.Records))
		}
	})
}
