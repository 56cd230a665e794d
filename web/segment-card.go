package main

import (
	"strconv"

	"github.com/segkit/segkit/wasm/engine/protocol"
)

// maxCentreValues is the most centre values a card shows.
const maxCentreValues = 6

// SegmentCard shows one segment: name, size, share and its centre in the
// original units.
type SegmentCard struct {
	Seg   protocol.Segment
	Index int
}

func (c *SegmentCard) class() string { return "segment seg-" + strconv.Itoa(c.Index%8) }

func (c *SegmentCard) headingID() string { return "segment-" + strconv.Itoa(c.Seg.ID) }

func (c *SegmentCard) centre() []protocol.Value {
	if len(c.Seg.Centre) > maxCentreValues {
		return c.Seg.Centre[:maxCentreValues]
	}
	return c.Seg.Centre
}
