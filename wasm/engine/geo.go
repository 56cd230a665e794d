package engine

import (
	"errors"
	"math"
	"strings"

	"github.com/segkit/segkit/core/dataset"
	"github.com/segkit/segkit/core/groupby"
	"github.com/segkit/segkit/core/prep"
	"github.com/segkit/segkit/wasm/engine/protocol"
)

// guessGoals finds the columns of the demographic and geographic goals.
func guessGoals(t *dataset.Table) *protocol.Goals {
	g := &protocol.Goals{Demographic: groupby.Demographic(t), Places: groupby.Places(t)}
	lat, lon, err := groupby.LatLon(t)
	if err != nil {
		g.NoLocation = locationMessage(err)
	} else {
		g.Latitude, g.Longitude = lat, lon
	}
	return g
}

// locationMessage words a groupby.LatLon error for people.
func locationMessage(err error) string {
	msg := strings.TrimPrefix(err.Error(), "groupby: ")
	if errors.Is(err, groupby.ErrNoCoordinates) {
		msg = strings.Replace(msg, "no latitude and longitude columns: ", "", 1)
	}
	return "No latitude and longitude columns: " + msg + "."
}

// prepareGeo prepares the features of the haversine metric: exactly two
// columns, latitude then longitude (given, in either order, or found by
// name with groupby.LatLon), in raw degrees — no log, no scaling (the scale
// asked for is ignored) —, rows with a missing coordinate left out. A value
// out of range is an error naming its column and row. It has prepare's
// signature, so fitTable can use either.
func (h *Handler) prepareGeo(cols []string, _ string, _ encoding) (*prepared, error) {
	t := h.table
	lat, lon, found := groupby.LatLon(t)
	switch {
	case len(cols) == 0 && found != nil:
		return nil, perr(protocol.CodeBadColumn, "%s Choose the latitude and longitude columns.", locationMessage(found))
	case len(cols) == 0:
		cols = []string{lat, lon}
	case len(cols) != 2:
		return nil, perr(protocol.CodeBadColumn, "The distance along the Earth's surface (haversine) takes two columns, latitude and longitude in degrees; %d are chosen (%s).", len(cols), strings.Join(cols, ", "))
	case found == nil && cols[0] == lon && cols[1] == lat:
		cols = []string{lat, lon}
	}
	for i, name := range cols {
		c := t.Column(name)
		what, limit := "latitude", 90.0
		if i == 1 {
			what, limit = "longitude", 180
		}
		if c == nil {
			return nil, perr(protocol.CodeBadColumn, "The file has no column %q.", name)
		}
		if !c.Kind.IsNumeric() {
			return nil, perr(protocol.CodeBadColumn, "Column %q (the %s) holds %s values, not degrees.", name, what, c.Kind)
		}
		for row, v := range c.Num {
			if !math.IsNaN(v) && math.Abs(v) > limit {
				return nil, perr(protocol.CodeBadValue, "Column %q (the %s) has %v in row %d: a %s lies between -%v and %v degrees.", name, what, v, row+1, what, limit, limit)
			}
		}
	}
	pipe, x, rep, err := prep.Fit(t, prep.Spec{Columns: cols, Scale: prep.ScaleNone, Log: prep.LogNone, Impute: prep.ImputeDrop})
	if err != nil {
		return nil, perr(protocol.CodeBadValue, "%s", strings.TrimPrefix(err.Error(), "prep: "))
	}
	return &prepared{pipe: pipe, x: x, rep: rep, scale: prep.ScaleNone}, nil
}
