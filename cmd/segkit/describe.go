package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/segkit/segkit/core/dataset"
	"github.com/segkit/segkit/core/explain"
	"github.com/segkit/segkit/core/profile"
)

// runProfile describes the segments of a labelled file.
func runProfile(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("profile", flag.ContinueOnError)
	labelsPath := fs.String("labels", "", "one segment number per data row, as 'segkit cluster --labels-only' writes (required)")
	cols := fs.String("cols", "", "comma-separated columns to describe (default: every numeric and categorical column)")
	asJSON := fs.Bool("json", false, "print the profile as JSON")
	asCSV := fs.Bool("csv", false, "print the profile as CSV (segment, name, column, category, statistic, value)")
	pos, err := parseArgs(fs, args, stderr)
	if err != nil {
		return err
	}
	if len(pos) != 1 || *labelsPath == "" {
		return usagef("profile takes one FILE and --labels FILE")
	}
	t, labels, err := readLabelled(pos[0], *labelsPath)
	if err != nil {
		return err
	}
	p, err := profile.Build(t, labels, profile.Options{Columns: splitList(*cols)})
	if err != nil {
		return err
	}
	switch {
	case *asJSON:
		return encodeJSON(stdout, p)
	case *asCSV:
		return p.CSV(stdout)
	}
	return p.Text(stdout)
}

// runExplain states each segment as rules of a small decision tree.
func runExplain(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("explain", flag.ContinueOnError)
	labelsPath := fs.String("labels", "", "one segment number per data row, as 'segkit cluster --labels-only' writes (required)")
	cols := fs.String("cols", "", "comma-separated columns the rules may use (default: every numeric and categorical column)")
	depth := fs.Int("depth", 3, "largest number of conditions in a rule (1–5)")
	asJSON := fs.Bool("json", false, "print the rules as JSON")
	pos, err := parseArgs(fs, args, stderr)
	if err != nil {
		return err
	}
	if len(pos) != 1 || *labelsPath == "" {
		return usagef("explain takes one FILE and --labels FILE")
	}
	if *depth < 1 || *depth > explain.MaxDepthLimit {
		return usagef("--depth must be between 1 and %d", explain.MaxDepthLimit)
	}
	t, labels, err := readLabelled(pos[0], *labelsPath)
	if err != nil {
		return err
	}
	e, err := explain.Tree(t, labels, explain.Options{Columns: splitList(*cols), MaxDepth: *depth})
	if err != nil {
		return err
	}
	if *asJSON {
		return encodeJSON(stdout, e)
	}
	return e.Text(stdout)
}

// readLabelled reads a data file and its labels file, which must have one
// line per data row: a segment number, or an empty line for a row that was
// not clustered.
func readLabelled(dataPath, labelsPath string) (*dataset.Table, []int, error) {
	t, err := dataset.ReadFile(dataPath, dataset.Options{})
	if err != nil {
		return nil, nil, err
	}
	f, err := os.Open(labelsPath)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	var labels []int
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		s := strings.TrimSpace(sc.Text())
		if s == "" {
			labels = append(labels, profile.NotClustered)
			continue
		}
		v, err := strconv.Atoi(s)
		if err != nil || v < profile.Noise {
			return nil, nil, fmt.Errorf("%s line %d: %q is not a segment number (an integer ≥ -1, or empty)", labelsPath, line, s)
		}
		labels = append(labels, v)
	}
	if err := sc.Err(); err != nil {
		return nil, nil, err
	}
	if len(labels) != t.Rows {
		return nil, nil, fmt.Errorf("%s has %d labels but %s has %d data rows", labelsPath, len(labels), dataPath, t.Rows)
	}
	return t, labels, nil
}

func encodeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
