package main

import (
	"fmt"

	"github.com/vugu/vugu"
)

// EvidenceCard shows the evidence for the number of segments: the elbow of
// the inertia curve, the silhouette and the stability against k with the
// suggested k marked, the reasons in words, and a button that takes the
// suggestion.
type EvidenceCard struct {
	Root *Root
}

func (c *EvidenceCard) ks() []int {
	var ks []int
	for _, s := range c.Root.Suggestion.Scores {
		ks = append(ks, s.K)
	}
	return ks
}

// series returns one score per k: "inertia", "silhouette" or "stability".
func (c *EvidenceCard) series(name string) []float64 {
	var v []float64
	for _, s := range c.Root.Suggestion.Scores {
		switch name {
		case "inertia":
			v = append(v, s.Inertia)
		case "silhouette":
			v = append(v, s.Silhouette)
		case "stability":
			v = append(v, s.Stability)
		}
	}
	return v
}

func (c *EvidenceCard) elbowTitle() string {
	if e := c.Root.Suggestion.Elbow; e > 0 {
		return fmt.Sprintf("Inertia (lower is tighter) — elbow at k = %d", e)
	}
	return "Inertia (lower is tighter) — no clear elbow"
}

func (c *EvidenceCard) thresholdLabel() string {
	return fmt.Sprintf("unstable below %.2f", c.Root.Suggestion.StabilityThreshold)
}

func (c *EvidenceCard) useText() string {
	return fmt.Sprintf("Use k = %d", c.Root.Suggestion.SuggestedK)
}

func (c *EvidenceCard) sampleText() string {
	s := c.Root.Suggestion
	on := ""
	if s.Workers > 1 {
		on = fmt.Sprintf(" on %d workers", s.Workers)
	}
	if s.SampleSize < s.Rows {
		return fmt.Sprintf("Scored on a sample of %d of %d rows in %.1f s%s.", s.SampleSize, s.Rows, s.Seconds, on)
	}
	return fmt.Sprintf("Scored on all %d rows in %.1f s%s.", s.Rows, s.Seconds, on)
}

// Use sets the number of segments to the suggestion.
func (c *EvidenceCard) Use(vugu.DOMEvent) {
	c.Root.useK(c.Root.Suggestion.SuggestedK)
}
