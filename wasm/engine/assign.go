package engine

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/segkit/segkit/core/model"
	"github.com/segkit/segkit/core/order"
	"github.com/segkit/segkit/core/prep"
	"github.com/segkit/segkit/wasm/engine/protocol"
)

// assigner keeps the model of the last assign request, decoded, so that a
// caller assigning records one at a time decodes the model once.
type assigner struct {
	raw []byte
	m   *model.Model
}

// load returns the model of raw, decoding it unless it is the last one.
func (a *assigner) load(raw []byte) (*model.Model, error) {
	if a.m != nil && bytes.Equal(a.raw, raw) {
		return a.m, nil
	}
	if len(raw) > model.MaxSize {
		return nil, fmt.Errorf("%w: larger than %d bytes", model.ErrInvalidModel, model.MaxSize)
	}
	m, err := model.Decode(raw)
	if err != nil {
		return nil, err
	}
	a.raw, a.m = bytes.Clone(raw), m
	return m, nil
}

// assign assigns records to the segments of a saved model with the model's
// own rule (model.Predict), as `segkit assign` and the edge worker do. It
// needs no loaded file and leaves the loaded file and fit alone.
func (h *Handler) assign(req protocol.Request) protocol.Response {
	p := req.Assign
	switch {
	case p == nil:
		return fail(req, protocol.CodeBadRequest, "assign: the request has no assign part")
	case len(p.Model) == 0 || string(p.Model) == "null":
		return fail(req, protocol.CodeBadModel, "assign: no model: pass the model JSON of a fit or a download")
	case len(p.Records) > protocol.MaxAssignRecords:
		return fail(req, protocol.CodeTooLarge, fmt.Sprintf("assign: %d records; at most %d per request", len(p.Records), protocol.MaxAssignRecords))
	}
	m, err := h.assigner.load(p.Model)
	if err != nil {
		return fail(req, protocol.CodeBadModel, strings.Replace(err.Error(), "model: invalid model", "This is not a valid segkit model", 1))
	}
	out := &protocol.Assigned{ModelID: m.ID, Results: make([]protocol.Assignment, len(p.Records))}
	for i, rec := range p.Records {
		if rec == nil {
			return fail(req, protocol.CodeBadRecord, fmt.Sprintf("record %d: not an object of fields by column name", i))
		}
		if field := nested(rec); field != "" {
			return fail(req, protocol.CodeBadRecord, fmt.Sprintf("record %d, field %q: an object or array; expected a string, number, boolean or null", i, field))
		}
		r, err := m.Predict(rec)
		if err != nil {
			var ve *prep.ValueError
			if errors.As(err, &ve) {
				return fail(req, protocol.CodeBadRecord, fmt.Sprintf("record %d, field %q: %s", i, ve.Column, ve.Detail))
			}
			return fail(req, protocol.CodeBadRecord, fmt.Sprintf("record %d: %s", i, err))
		}
		out.Results[i] = protocol.Assignment{Segment: r.Segment, Name: r.Name, Distance: r.Distance, Probabilities: r.Probabilities}
	}
	return protocol.Response{ID: req.ID, Op: req.Op, Assigned: out}
}

// nested returns the first field (in name order) of rec whose value is an
// object or an array, or "".
func nested(rec map[string]any) string {
	keys := make([]string, 0, len(rec))
	for k := range rec {
		keys = append(keys, k)
	}
	order.SortFunc(keys, strings.Compare)
	for _, k := range keys {
		switch rec[k].(type) {
		case map[string]any, []any:
			return k
		}
	}
	return ""
}
