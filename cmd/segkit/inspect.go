package main

import (
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/segkit/segkit/core/dataset"
)

// columnInfo is one column in `segkit inspect --json`.
type columnInfo struct {
	Name     string   `json:"name"`
	Type     string   `json:"type"`
	Missing  int      `json:"missing"`
	Distinct int      `json:"distinct"`
	Examples []string `json:"examples"`
}

// inspection is the whole of `segkit inspect --json`.
type inspection struct {
	File    string       `json:"file"`
	Rows    int          `json:"rows"`
	Columns []columnInfo `json:"columns"`
	Format  formatInfo   `json:"format"`
	Skipped int          `json:"skipped_rows"`
}

type formatInfo struct {
	Delimiter  string `json:"delimiter"`
	Header     bool   `json:"header"`
	Encoding   string `json:"encoding"`
	LineEnding string `json:"line_ending"`
}

func runInspect(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("inspect", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print one JSON object instead of a table")
	pos, err := parseArgs(fs, args, stderr)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("inspect takes one FILE, got %d arguments", len(pos))
	}
	t, err := dataset.ReadFile(pos[0], dataset.Options{})
	if err != nil {
		return err
	}
	in := describe(pos[0], t)
	if *asJSON {
		return encodeJSON(stdout, in)
	}
	fmt.Fprintf(stdout, "%s: %d rows, %d columns (delimiter %s, header %v, %s, %s)\n",
		in.File, in.Rows, len(in.Columns), in.Format.Delimiter, in.Format.Header, in.Format.Encoding, in.Format.LineEnding)
	if in.Skipped > 0 {
		fmt.Fprintf(stdout, "%d malformed rows skipped\n", in.Skipped)
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "column\ttype\tmissing\tdistinct\texamples")
	for _, c := range in.Columns {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\n", c.Name, c.Type, c.Missing, c.Distinct, quoteList(c.Examples))
	}
	return tw.Flush()
}

// describe summarises a table for inspect.
func describe(file string, t *dataset.Table) inspection {
	in := inspection{
		File: file,
		Rows: t.Rows,
		Format: formatInfo{
			Delimiter:  delimiterName(t.Format.Delimiter),
			Header:     t.Format.Header,
			Encoding:   t.Format.Encoding,
			LineEnding: t.Format.LineEnding,
		},
		Skipped: t.SkippedCount,
	}
	for _, c := range t.Columns {
		info := columnInfo{Name: c.Name, Type: c.Kind.String(), Missing: c.Missing, Examples: []string{}}
		seen := map[string]bool{}
		for i := range c.Len() {
			if c.IsMissing(i) {
				continue
			}
			s := c.Text(i)
			if !seen[s] {
				seen[s] = true
				if len(info.Examples) < 3 {
					info.Examples = append(info.Examples, s)
				}
			}
		}
		info.Distinct = len(seen)
		in.Columns = append(in.Columns, info)
	}
	return in
}

func delimiterName(r rune) string {
	switch r {
	case ',':
		return "comma"
	case ';':
		return "semicolon"
	case '\t':
		return "tab"
	case '|':
		return "pipe"
	case ' ':
		return "spaces"
	}
	return fmt.Sprintf("%q", r)
}

func quoteList(items []string) string {
	s := ""
	for i, it := range items {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprintf("%q", it)
	}
	return s
}
