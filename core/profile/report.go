package profile

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode/utf8"
)

// Rename gives segment id the name the user chose. The name is trimmed of
// surrounding spaces; it must not be empty nor be another segment's name.
// The description is left as it is.
func (p *Profile) Rename(id int, name string) error {
	k := p.segment(id)
	if k < 0 {
		return fmt.Errorf("%w: %d", ErrNoSegment, id)
	}
	name = strings.TrimSpace(name)
	if name == "" {
		return fmt.Errorf("%w: segment %d: empty name", ErrName, id)
	}
	for j, s := range p.Segments {
		if j != k && s.Name == name {
			return fmt.Errorf("%w: segment %d: %q is already the name of segment %d", ErrName, id, name, s.ID)
		}
	}
	p.Segments[k].Name = name
	return nil
}

// Names returns the name of every segment by ID, to store with a model
// (model.Model.Rename) so that names travel with it; applying stored names
// to a new profile is a Rename per segment.
func (p *Profile) Names() map[int]string {
	m := make(map[int]string, len(p.Segments))
	for _, s := range p.Segments {
		m[s.ID] = s.Name
	}
	return m
}

func (p *Profile) segment(id int) int {
	for k, s := range p.Segments {
		if s.ID == id {
			return k
		}
	}
	return -1
}

// CSV writes the profile in long form for download, one row per segment ×
// statistic, with the header
//
//	segment,name,column,category,statistic,value
//
// segment is the ID, or "all" for the population. Per segment: size and share
// (column and category empty); per numeric column mean, median, q1, q3, min,
// max, std, missing, and for segments z and effect; per categorical column
// missing, then per category count, share, population_share and lift.
// Numbers are written in full precision.
func (p *Profile) CSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"segment", "name", "column", "category", "statistic", "value"})
	write := func(s Segment, all bool) {
		id := strconv.Itoa(s.ID)
		if all {
			id = "all"
		}
		row := func(col, cat, stat, value string) { _ = cw.Write([]string{id, s.Name, col, cat, stat, value}) }
		row("", "", "size", strconv.Itoa(s.Size))
		row("", "", "share", fnum(s.Share))
		for _, n := range s.Numeric {
			for _, kv := range []struct {
				k string
				v float64
			}{{"mean", n.Mean}, {"median", n.Median}, {"q1", n.Q1}, {"q3", n.Q3}, {"min", n.Min}, {"max", n.Max}, {"std", n.Std}} {
				row(n.Column, "", kv.k, fnum(kv.v))
			}
			row(n.Column, "", "missing", strconv.Itoa(n.Missing))
			if !all {
				row(n.Column, "", "z", fnum(n.Z))
				row(n.Column, "", "effect", fnum(n.Effect))
			}
		}
		for _, c := range s.Categorical {
			row(c.Column, "", "missing", strconv.Itoa(c.Missing))
			for _, sh := range c.Shares {
				row(c.Column, sh.Value, "count", strconv.Itoa(sh.Count))
				row(c.Column, sh.Value, "share", fnum(sh.Share))
				row(c.Column, sh.Value, "population_share", fnum(sh.PopulationShare))
				row(c.Column, sh.Value, "lift", fnum(sh.Lift))
			}
		}
	}
	write(p.Population, true)
	for _, s := range p.Segments {
		write(s, false)
	}
	cw.Flush()
	return cw.Error()
}

func fnum(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// Text writes a plain-text report for reading in a terminal: a header, the
// population, then each segment with its name, description, a table of the
// numeric columns, the category shares and the distinguishing features.
func (p *Profile) Text(w io.Writer) error {
	ew := &errWriter{w: w}
	fmt.Fprintf(ew, "Profile of %d rows: %d in %d segments, %d noise", p.Rows, p.Clustered, len(p.Segments), p.Noise)
	if nc := p.Rows - p.Clustered - p.Noise; nc > 0 {
		fmt.Fprintf(ew, ", %d not clustered", nc)
	}
	fmt.Fprintf(ew, "\nColumns: %s\n", strings.Join(p.Columns, ", "))
	p.segmentText(ew, p.Population, true)
	for _, s := range p.Segments {
		p.segmentText(ew, s, false)
	}
	return ew.err
}

func (p *Profile) segmentText(ew *errWriter, s Segment, all bool) {
	if all {
		fmt.Fprintf(ew, "\n%s\n  %s\n", s.Name, s.Description)
	} else {
		fmt.Fprintf(ew, "\nSegment %d: %s\n  %s\n", s.ID, s.Name, s.Description)
	}
	if len(s.Numeric) > 0 {
		// Names are padded by hand so that they read left-aligned while the
		// numbers align right.
		width := len("column")
		for _, n := range s.Numeric {
			width = max(width, utf8.RuneCountInString(n.Column))
		}
		pad := func(name string) string {
			return name + strings.Repeat(" ", width-utf8.RuneCountInString(name))
		}
		tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', tabwriter.AlignRight)
		head := "  " + pad("column") + "\tmean\tmedian\tq1\tq3\tmin\tmax\tstd\tmissing\t"
		if !all {
			head += "z\teffect\t"
		}
		fmt.Fprintln(tw, head)
		for _, n := range s.Numeric {
			if n.Missing == s.Size {
				fmt.Fprintf(tw, "  %s\t-\t-\t-\t-\t-\t-\t-\t%d\t", pad(n.Column), n.Missing)
			} else {
				fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t", pad(n.Column), formatNumber(n.Mean), formatNumber(n.Median),
					formatNumber(n.Q1), formatNumber(n.Q3), formatNumber(n.Min), formatNumber(n.Max), formatNumber(n.Std), n.Missing)
			}
			if !all {
				fmt.Fprintf(tw, "%+.2f\t%+.2f\t", n.Z, n.Effect)
			}
			fmt.Fprintln(tw)
		}
		_ = tw.Flush()
	}
	for _, c := range s.Categorical {
		items := make([]string, 0, len(c.Shares))
		for _, sh := range c.Shares {
			if all {
				items = append(items, fmt.Sprintf("%s %s", sh.Value, percent(sh.Share)))
			} else {
				items = append(items, fmt.Sprintf("%s %s (×%.2f)", sh.Value, percent(sh.Share), sh.Lift))
			}
		}
		line := fmt.Sprintf("  %s: %s", c.Column, strings.Join(items, ", "))
		if c.Missing > 0 {
			line += fmt.Sprintf("; %d missing", c.Missing)
		}
		fmt.Fprintln(ew, line)
	}
	if !all {
		if len(s.Distinguishing) == 0 {
			fmt.Fprintf(ew, "  Distinguishing: none (no effect of size %.1f or more)\n", MinEffect)
		} else {
			fmt.Fprintln(ew, "  Distinguishing:")
			for _, f := range s.Distinguishing {
				sym := "d"
				if f.Value != "" {
					sym = "h"
				}
				fmt.Fprintf(ew, "    %s (%s = %+.2f)\n", f.Text, sym, f.Effect)
			}
		}
	}
}

// errWriter keeps the first write error and ignores later writes.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(b []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(b)
	e.err = err
	return n, err
}
