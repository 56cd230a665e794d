package main

import "fmt"

// PreviewTable is step 2: the first rows and each column's inferred type.
type PreviewTable struct {
	Root *Root
}

func (c *PreviewTable) typeText(kind string, missing int) string {
	if missing > 0 {
		return fmt.Sprintf("%s · %d missing", kind, missing)
	}
	return kind
}

func (c *PreviewTable) cellClass(j int) string {
	if j < len(c.Root.Inspect.Columns) && c.Root.Inspect.Columns[j].Numeric {
		return "num"
	}
	return ""
}
