package main

import (
	"fmt"
	"strconv"

	"github.com/segkit/segkit/wasm/engine/protocol"
	"github.com/vugu/vugu"
)

// SettingsCard is step 3: columns, scaling, k, run and cancel, progress.
type SettingsCard struct {
	Root *Root
}

func (c *SettingsCard) numeric() []protocol.Column {
	var cols []protocol.Column
	for _, col := range c.Root.Inspect.Columns {
		if col.Numeric {
			cols = append(cols, col)
		}
	}
	return cols
}

func (c *SettingsCard) colID(i int) string { return "col-" + strconv.Itoa(i) }

func (c *SettingsCard) kText() string { return strconv.Itoa(c.Root.K) }

func (c *SettingsCard) nInitText() string { return strconv.Itoa(c.Root.NInit) }

func (c *SettingsCard) cannotRun() bool {
	r := c.Root
	return !r.EngineReady || r.Loading || r.Running || r.Inspect == nil
}

// Toggle chooses or leaves out a column.
func (c *SettingsCard) Toggle(e vugu.DOMEvent, name string) {
	c.Root.Selected[name] = e.JSEventTarget().Get("checked").Bool()
}

// ScaleChanged sets the scaling.
func (c *SettingsCard) ScaleChanged(e vugu.DOMEvent) {
	c.Root.Scale = e.JSEventTarget().Get("value").String()
}

// KChanged keeps the typed number of segments.
func (c *SettingsCard) KChanged(e vugu.DOMEvent) {
	if k, err := strconv.Atoi(e.JSEventTarget().Get("value").String()); err == nil {
		c.Root.K = k
	}
}

// Run reads the k and restarts fields as they are now and segments in the
// engine.
func (c *SettingsCard) Run(vugu.DOMEvent) {
	doc := jsDocument()
	k := doc.Call("getElementById", "k").Get("value").String()
	nInit := doc.Call("getElementById", "n-init").Get("value").String()
	go c.Root.run(k, nInit)
}

// Suggest asks the engine for the evidence for every number of segments.
func (c *SettingsCard) Suggest(vugu.DOMEvent) {
	go c.Root.suggest()
}

// Cancel stops the run.
func (c *SettingsCard) Cancel(vugu.DOMEvent) {
	go c.Root.cancel()
}

func (c *SettingsCard) progressMax() float64 {
	if p := c.Root.Progress; p.Phase == "suggest" && p.Total > 0 {
		return float64(p.Total)
	}
	if p := c.Root.Progress; p.Runs > 0 {
		return float64(p.Runs)
	}
	return 1
}

func (c *SettingsCard) progressValue() float64 {
	p := c.Root.Progress
	if p.Phase == "suggest" {
		return float64(p.Done)
	}
	if p.Runs == 0 || p.MaxIter == 0 {
		return 0
	}
	return float64(p.Run-1) + float64(p.Iteration)/float64(p.MaxIter)
}

func (c *SettingsCard) progressText() string {
	p := c.Root.Progress
	switch {
	case p.Phase == "suggest":
		return fmt.Sprintf("Trying each number of segments: fit %d of %d", p.Done, p.Total)
	case c.Root.Task == stepSuggest:
		return "Preparing the features…"
	case p.Runs == 0:
		return "Preparing the features…"
	}
	return fmt.Sprintf("Restart %d of %d, iteration %d — inertia %s", p.Run, p.Runs, p.Iteration, number(p.Inertia))
}
