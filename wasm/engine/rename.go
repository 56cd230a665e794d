package engine

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/segkit/segkit/core/profile"
	"github.com/segkit/segkit/wasm/engine/protocol"
)

// rename gives a segment of the last fit the user's name: in the labelled
// rows, the model (when the algorithm has one), the profile (the profiles
// download) and the fit result.
func (h *Handler) rename(req protocol.Request) protocol.Response {
	rn := req.Rename
	switch {
	case rn == nil:
		return fail(req, protocol.CodeBadRequest, "rename: the request has no rename part")
	case h.fit == nil:
		return fail(req, protocol.CodeNoFit, "Segment the file before renaming a segment.")
	case rn.ID < 0 || rn.ID >= len(h.names):
		return fail(req, protocol.CodeBadRequest, fmt.Sprintf("rename: there is no segment %d", rn.ID))
	}
	name := strings.TrimSpace(rn.Name)
	switch {
	case name == "":
		return fail(req, protocol.CodeBadName, "A segment needs a name.")
	case utf8.RuneCountInString(name) > protocol.MaxNameLength:
		return fail(req, protocol.CodeBadName, fmt.Sprintf("A segment name can have at most %d characters.", protocol.MaxNameLength))
	case strings.ContainsAny(name, "\r\n\t"):
		return fail(req, protocol.CodeBadName, "A segment name must be one line.")
	}
	for id, s := range h.names {
		if id != rn.ID && s == name {
			return fail(req, protocol.CodeBadName, fmt.Sprintf("Another segment is already called %q.", name))
		}
	}
	if name == noiseName {
		return fail(req, protocol.CodeBadName, fmt.Sprintf("%q is kept for the rows in no segment.", noiseName))
	}
	if h.model != nil {
		if err := h.model.Rename(rn.ID, name); err != nil {
			return fail(req, protocol.CodeBadName, strings.TrimPrefix(err.Error(), "model: "))
		}
		h.fit.ModelID = h.model.ID
	}
	h.names[rn.ID] = name
	if h.profile != nil {
		// The profile has only the segments with rows; the model checked
		// the name.
		if err := h.profile.Rename(rn.ID, name); err != nil && !errors.Is(err, profile.ErrNoSegment) {
			return fail(req, protocol.CodeInternal, err.Error())
		}
	}
	for i := range h.fit.Segments {
		if h.fit.Segments[i].ID == rn.ID {
			h.fit.Segments[i].Name = name
		}
	}
	return protocol.Response{ID: req.ID, Op: req.Op, Renamed: &protocol.Rename{ID: rn.ID, Name: name, ModelID: h.fit.ModelID}}
}
