package engine

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/segkit/segkit/core/dataset"
	"github.com/segkit/segkit/core/groupby"
	"github.com/segkit/segkit/core/profile"
	"github.com/segkit/segkit/wasm/engine/protocol"
)

// fitGroups segments the table by rules (protocol.AlgorithmGroups): one
// segment per group of core/groupby, named after it ("Region 3", "United
// Kingdom"), profiled on p.Columns (empty: every numeric and categorical
// column but the rules'), with no model. Rows whose rule cell is missing
// belong to no group (empty cells in the labelled download).
func (h *Handler) fitGroups(p *protocol.FitParams) (*protocol.FitResult, error) {
	t := h.table
	if len(p.Groups) == 0 {
		return nil, perr(protocol.CodeBadSetting, "Choose the column to group by (region, country, city, postal code…).")
	}
	start := time.Now()
	rules := make([]groupby.Rule, len(p.Groups))
	var ruleCols []string
	for i, g := range p.Groups {
		c := t.Column(g.Column)
		switch {
		case c == nil:
			return nil, perr(protocol.CodeBadColumn, "The file has no column %q to group by.", g.Column)
		case g.Prefix < 0:
			return nil, perr(protocol.CodeBadSetting, "Column %q: the number of first characters to group by must not be negative (got %d).", g.Column, g.Prefix)
		case g.Prefix > 0 && len(g.Bands) > 0:
			return nil, perr(protocol.CodeBadSetting, "Column %q: group by its first characters or by bands, not both.", g.Column)
		}
		r := groupby.DefaultRule(c)
		switch {
		case g.Prefix > 0:
			r.Kind, r.Prefix, r.Title = groupby.ByPrefix, g.Prefix, g.Column
		case len(g.Bands) > 0:
			r.Kind, r.Bands, r.Title = groupby.ByBands, g.Bands, ""
		}
		rules[i] = r
		ruleCols = append(ruleCols, g.Column)
	}
	g, err := groupby.Segment(t, rules...)
	switch {
	case errors.Is(err, groupby.ErrUnknownColumn):
		return nil, perr(protocol.CodeBadColumn, "%s", strings.TrimPrefix(err.Error(), "groupby: "))
	case err != nil:
		return nil, perr(protocol.CodeBadSetting, "%s", strings.TrimPrefix(err.Error(), "groupby: "))
	case len(g.Names) < 2:
		return nil, perr(protocol.CodeNoSegments, "Every row with a value has the same %s, so there is only one group: choose another column.", strings.Join(ruleCols, " and "))
	}
	rowLabels := make([]int, len(g.Labels))
	for i, l := range g.Labels {
		rowLabels[i] = l
		if l < 0 {
			rowLabels[i] = profile.NotClustered
		}
	}
	grouped := t.Rows - g.Missing
	res := &protocol.FitResult{Algorithm: protocol.AlgorithmGroups, K: len(g.Names), Rows: grouped, Columns: ruleCols}
	for id, name := range g.Names {
		res.Segments = append(res.Segments, protocol.Segment{ID: id, Name: name, Size: g.Sizes[id], Share: float64(g.Sizes[id]) / float64(grouped)})
	}
	prof, err := describe(res, t, profileColumns(t, p.Columns, ruleCols), rowLabels, p.Seed)
	if err != nil {
		return nil, err
	}
	// The groups keep their own names; the profile describes them, and the
	// rule that makes a group is its name, so no decision tree is shown.
	res.Fidelity, res.RuleRows = 0, 0
	for i := range res.Segments {
		s := &res.Segments[i]
		s.Name, s.Rules = g.Names[s.ID], nil
	}
	if prof != nil {
		// Through names no cell can hold (a NUL), so that a group's name
		// never meets another segment's generated one.
		for pass, name := range []func(int) string{func(id int) string { return fmt.Sprintf("\x00%d", id) }, func(id int) string { return g.Names[id] }} {
			for _, s := range prof.Segments {
				if err := prof.Rename(s.ID, name(s.ID)); err != nil {
					return nil, fmt.Errorf("engine: naming group %d (pass %d): %w", s.ID, pass, err)
				}
			}
		}
	}
	res.Metrics.Seconds = time.Since(start).Seconds()
	if p.Labels {
		res.Labels = slices.Clone(rowLabels)
	}
	h.fit, h.model, h.rowLabels, h.profile, h.names = res, nil, rowLabels, prof, slices.Clone(g.Names)
	h.noModel = fmt.Sprintf("Groups made by rules have no clustering model to download: a customer's group is read from %s, so there is nothing to learn or to score. Download the labelled rows instead.", strings.Join(ruleCols, " and "))
	return res, nil
}

// profileColumns are the columns a segmentation by rules is profiled on:
// the chosen ones, or every numeric and categorical column; never a rule's
// own column (its groups would differ by construction).
func profileColumns(t *dataset.Table, chosen, ruleCols []string) []string {
	if len(chosen) == 0 {
		for _, c := range t.Columns {
			chosen = append(chosen, c.Name)
		}
	}
	var cols []string
	for _, name := range describable(t, chosen) {
		if !slices.Contains(ruleCols, name) {
			cols = append(cols, name)
		}
	}
	return cols
}
