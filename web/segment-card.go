package main

import (
	"fmt"
	"strconv"

	"github.com/segkit/segkit/wasm/engine/protocol"
	"github.com/vugu/vugu"
)

// SegmentCard shows one segment: name, size, share, how well its rows fit
// (mean silhouette), description, distinguishing features and rules.
type SegmentCard struct {
	Root  *Root
	Seg   protocol.Segment
	Index int
}

func (c *SegmentCard) nameID() string { return "name-" + strconv.Itoa(c.Seg.ID) }

func (c *SegmentCard) nameLabel() string {
	return fmt.Sprintf("Name of segment %d", c.Seg.ID+1)
}

// Rename sends the edited name to the engine (on change: Enter or leaving
// the field).
func (c *SegmentCard) Rename(e vugu.DOMEvent) {
	name := e.JSEventTarget().Get("value").String()
	go c.Root.rename(c.Seg.ID, name)
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
