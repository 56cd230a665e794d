package main

import (
	"flag"
	"io"
	"strconv"
	"strings"

	"github.com/segkit/segkit/core/dataset"
	"github.com/segkit/segkit/core/groupby"
	"github.com/segkit/segkit/core/profile"
)

// runGroup segments by rules (country, postal prefix, age bands) instead of
// clustering, with the same outputs and profiles.
func runGroup(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("group", flag.ContinueOnError)
	by := fs.String("by", "", "comma-separated columns to group by (required): a text column by value, a column named like age by the standard age bands")
	prefixes := fs.String("prefix", "", "COL=N,…: group these columns by their first N characters (postal codes)")
	bands := fs.String("bands", "", "COL=e1;e2;…: group a numeric column into bands between these edges, e.g. Income=30;60;90")
	maxGroups := fs.Int("max-groups", 0, "largest number of groups per column; smaller ones merge into Other (0 = 12)")
	labelsOnly := fs.Bool("labels-only", false, "print one segment number per data row (-1: a grouping column is missing)")
	out := fs.String("out", "", "write the rows (or labels) to FILE instead of standard output")
	asJSON := fs.Bool("json", false, "print the groups and their profiles as JSON")
	withProfile := fs.Bool("profile", false, "describe the groups as text on standard error")
	pos, err := parseArgs(fs, args, stderr)
	if err != nil {
		return err
	}
	if len(pos) != 1 || *by == "" {
		return usagef("group takes one FILE and --by COL[,COL…]")
	}
	if *maxGroups < 0 {
		return usagef("--max-groups must not be negative")
	}
	prefixOf, err := parseColumnOptions(*prefixes, ",")
	if err != nil {
		return err
	}
	bandsOf, err := parseColumnOptions(*bands, ",")
	if err != nil {
		return err
	}
	var rules []groupby.Rule
	for _, col := range splitList(*by) {
		r := groupby.Rule{Column: col, MaxGroups: *maxGroups}
		if p, ok := prefixOf[col]; ok {
			n, err := strconv.Atoi(p)
			if err != nil || n <= 0 {
				return usagef("--prefix %s=%s: want a positive number of characters", col, p)
			}
			r.Kind, r.Prefix = groupby.ByPrefix, n
		}
		if b, ok := bandsOf[col]; ok {
			r.Kind = groupby.ByBands
			for _, e := range strings.Split(b, ";") {
				v, err := strconv.ParseFloat(strings.TrimSpace(e), 64)
				if err != nil {
					return usagef("--bands %s: %q is not a number", col, e)
				}
				r.Bands = append(r.Bands, v)
			}
		}
		rules = append(rules, r)
	}
	t, err := dataset.ReadFile(pos[0], dataset.Options{})
	if err != nil {
		return err
	}
	for i, r := range rules {
		// A column given without --prefix or --bands gets its default rule:
		// the standard bands for an age, one titled group per numeric code
		// ("Region 3"), one group per text value.
		if c := t.Column(r.Column); c != nil && r.Kind == groupby.ByValue {
			d := groupby.DefaultRule(c)
			rules[i].Kind, rules[i].Title = d.Kind, d.Title
		}
	}
	g, err := groupby.Segment(t, rules...)
	if err != nil {
		return err
	}
	labels := make([]int, len(g.Labels))
	for i, l := range g.Labels {
		labels[i] = l
		if l < 0 {
			labels[i] = profile.NotClustered
		}
	}
	var prof *profile.Profile
	if *asJSON || *withProfile {
		if prof, err = profile.Build(t, labels, profile.Options{}); err != nil {
			return err
		}
		for id, name := range g.Names {
			if err := prof.Rename(id, name); err != nil {
				return err
			}
		}
	}
	emit := func(w io.Writer) error {
		if *labelsOnly {
			return writeLabels(w, g.Labels)
		}
		return annotateRows(w, pos[0], []string{"segment", "segment_name"}, func(_ *dataset.Reader, i int, _ []string) ([]string, error) {
			if g.Labels[i] < 0 {
				return []string{"-1", ""}, nil
			}
			return []string{strconv.Itoa(g.Labels[i]), g.Names[g.Labels[i]]}, nil
		})
	}
	switch {
	case *out != "":
		if err := writeAtomic(*out, emit); err != nil {
			return err
		}
	case !*asJSON:
		if err := emit(stdout); err != nil {
			return err
		}
	}
	if *withProfile {
		if err := prof.Text(stderr); err != nil {
			return err
		}
	}
	if *asJSON {
		return encodeJSON(stdout, map[string]any{"names": g.Names, "sizes": g.Sizes, "missing": g.Missing, "profile": prof})
	}
	return nil
}

// parseColumnOptions reads "COL=value,COL=value" flag values.
func parseColumnOptions(s, sep string) (map[string]string, error) {
	out := map[string]string{}
	if s == "" {
		return out, nil
	}
	for _, item := range strings.Split(s, sep) {
		col, val, ok := strings.Cut(item, "=")
		if !ok || strings.TrimSpace(col) == "" {
			return nil, usagef("%q: want COL=VALUE", item)
		}
		out[strings.TrimSpace(col)] = strings.TrimSpace(val)
	}
	return out, nil
}
