package main

import (
	"fmt"
	"strconv"

	"github.com/segkit/segkit/wasm/engine/protocol"
)

// SegmentCard shows one segment: name, size, share, how well its rows fit
// (mean silhouette), description, distinguishing features and rules.
type SegmentCard struct {
	Seg   protocol.Segment
	Index int
}

func (c *SegmentCard) class() string { return "segment seg-" + strconv.Itoa(c.Index%8) }

func (c *SegmentCard) headingID() string { return "segment-" + strconv.Itoa(c.Seg.ID) }

func (c *SegmentCard) silhouetteText() string {
	return fmt.Sprintf(" · silhouette %.2f", c.Seg.SilhouetteMean)
}

func (c *SegmentCard) rulesHeading() string {
	if len(c.Seg.Rules) > 1 {
		return "Rules"
	}
	return "Rule"
}
