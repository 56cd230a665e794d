package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/segkit/segkit/wasm/engine/protocol"
)

// fitParams builds the settings of a fit of algorithm a from the number
// fields as typed (by element id; fields the algorithm does not show are
// absent) and the select choices. A field that is not a number in range is
// an error naming it.
func fitParams(a algoInfo, fields, choices map[string]string) (*protocol.FitParams, *protocol.Error) {
	p := &protocol.FitParams{Algorithm: a.Name}
	integer := func(id, what string, lo, hi int, dst *int) *protocol.Error {
		text, ok := fields[id]
		if !ok {
			return nil
		}
		v, err := strconv.Atoi(strings.TrimSpace(text))
		if err != nil || v < lo || v > hi {
			code := protocol.CodeBadSetting
			if id == "k" {
				code = protocol.CodeBadK
			}
			return &protocol.Error{Code: code, Message: fmt.Sprintf("%s must be a whole number between %d and %d.", what, lo, hi)}
		}
		*dst = v
		return nil
	}
	real := func(id, what string, dst *float64) *protocol.Error {
		text, ok := fields[id]
		if !ok {
			return nil
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(text), 64)
		if err != nil || v < 0 || v != v || v > 1e12 {
			return &protocol.Error{Code: protocol.CodeBadSetting, Message: fmt.Sprintf("%s must be a number, 0 or more.", what)}
		}
		*dst = v
		return nil
	}
	for _, e := range []*protocol.Error{
		integer("k", "The number of segments", 2, protocol.MaxK, &p.K),
		integer("n-init", "Restarts", 1, protocol.MaxNInit, &p.NInit),
		real("eps", "The radius", &p.Eps),
		integer("min-samples", "The neighbours for a dense point", 0, 1_000_000, &p.MinSamples),
		integer("min-cluster-size", "The smallest segment", 2, 1_000_000, &p.MinClusterSize),
		real("threshold", "The subcluster radius", &p.Threshold),
		integer("branching", "The branching factor", 2, 10_000, &p.Branching),
		real("bandwidth", "The bandwidth", &p.Bandwidth),
		real("gamma", "The category weight", &p.Gamma),
	} {
		if e != nil {
			return nil, e
		}
	}
	if a.K && p.K == 0 {
		return nil, &protocol.Error{Code: protocol.CodeBadK, Message: fmt.Sprintf("The number of segments must be a whole number between 2 and %d.", protocol.MaxK)}
	}
	if a.has("eps") && p.Eps == 0 {
		return nil, &protocol.Error{Code: protocol.CodeBadSetting, Message: "The radius must be more than 0."}
	}
	if a.has("covariance") {
		p.Covariance = choices["covariance"]
	}
	if a.has("metric") {
		p.Metric = choices["metric"]
	}
	if a.has("selection") {
		p.Selection = choices["selection"]
	}
	if a.has("linkage") {
		p.Linkage = choices["linkage"]
	}
	return p, nil
}
