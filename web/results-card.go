package main

import (
	"fmt"
	"strings"

	"github.com/segkit/segkit/wasm/engine/protocol"
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
	if res.Algorithm == protocol.AlgorithmGroups {
		compared := "nothing else"
		if res.Profile != nil && len(res.Profile.Columns) > 0 {
			compared = strings.Join(res.Profile.Columns, ", ")
		}
		fmt.Fprintf(&b, "%d groups of %d rows by %s, compared on %s. Groups made by rules: no clustering, so no model to download.", res.K, res.Rows, strings.Join(res.Columns, " and "), compared)
		return b.String()
	}
	fmt.Fprintf(&b, "%d segments of %d rows by %s on %s (%s scaling", res.K, res.Rows, algoLabel(res.Algorithm), strings.Join(res.Columns, ", "), res.Scale)
	if len(res.Logged) > 0 {
		fmt.Fprintf(&b, "; log of %s", strings.Join(res.Logged, ", "))
	}
	b.WriteString(")")
	if res.Noise > 0 {
		fmt.Fprintf(&b, "; %d rows (%s) in no segment (noise)", res.Noise, percent(float64(res.Noise)/float64(res.Rows)))
	}
	b.WriteString(".")
	if m.Indices {
		fmt.Fprintf(&b, " Silhouette %.3f", m.Silhouette)
		if m.SilhouetteSampled {
			b.WriteString(" (on a sample)")
		}
		fmt.Fprintf(&b, " · Calinski–Harabasz %s · Davies–Bouldin %.3f ·", number(m.CalinskiHarabasz), m.DaviesBouldin)
	}
	if m.Iterations > 0 {
		fmt.Fprintf(&b, " %d iterations ·", m.Iterations)
	}
	fmt.Fprintf(&b, " %.2f s", m.Seconds)
	if m.Workers > 1 {
		fmt.Fprintf(&b, " on %d workers", m.Workers)
	}
	b.WriteString(".")
	return b.String()
}

// Download asks the engine for the labelled rows, the profiles or the model.
func (c *ResultsCard) Download(_ vugu.DOMEvent, op string) {
	go c.Root.download(op)
}
