package main

// ProfileTable shows the mean of every column per segment in the file's
// own units, beside everyone's mean, with the means that set a segment apart
// marked high or low.
type ProfileTable struct {
	Root *Root
}

// cellClass styles a mean by its level ("high", "low" or "").
func (c *ProfileTable) cellClass(level string) string {
	if level == "" {
		return "num"
	}
	return "num " + level
}

// cellText is the mean with its level in words for screen readers and
// colour-blind readers alike: ▲ high, ▼ low.
func (c *ProfileTable) cellText(v float64, level string) string {
	switch level {
	case "high":
		return number(v) + " ▲"
	case "low":
		return number(v) + " ▼"
	}
	return number(v)
}

func (c *ProfileTable) name(id int) string {
	names := c.Root.segmentNames()
	if id >= 0 && id < len(names) {
		return names[id]
	}
	return ""
}

func (c *ProfileTable) size(id int) int {
	for _, s := range c.Root.Result.Segments {
		if s.ID == id {
			return s.Size
		}
	}
	return 0
}
