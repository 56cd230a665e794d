package main

import (
	"fmt"
	"strings"

	"github.com/vugu/vugu"
)

// ResultsCard is step 4: the quality of the segmentation, one SegmentCard
// per segment, and the downloads.
type ResultsCard struct {
	Root *Root
}

func (c *ResultsCard) metrics() string {
	res := c.Root.Result
	m := res.Metrics
	var b strings.Builder
	fmt.Fprintf(&b, "%d segments of %d rows on %s (%s scaling", res.K, res.Rows, strings.Join(res.Columns, ", "), res.Scale)
	if len(res.Logged) > 0 {
		fmt.Fprintf(&b, "; log of %s", strings.Join(res.Logged, ", "))
	}
	fmt.Fprintf(&b, "). Silhouette %.3f", m.Silhouette)
	if m.SilhouetteSampled {
		b.WriteString(" (on a sample)")
	}
	fmt.Fprintf(&b, " · Calinski–Harabasz %s · Davies–Bouldin %.3f · %d iterations · %.2f s.",
		number(m.CalinskiHarabasz), m.DaviesBouldin, m.Iterations, m.Seconds)
	return b.String()
}

// Download asks the engine for the labelled rows, the profiles or the model.
func (c *ResultsCard) Download(_ vugu.DOMEvent, op string) {
	go c.Root.download(op)
}
