package main

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/segkit/segkit/wasm/engine/protocol"
	"github.com/vugu/vugu"
)

// SettingsCard is step 3: columns, scaling, k, run and cancel, progress.
type SettingsCard struct {
	Root *Root
}

func (c *SettingsCard) info() algoInfo { return c.Root.info() }

// haversine reports whether the distance is along the Earth's surface:
// the features are then raw degrees, never scaled.
func (c *SettingsCard) haversine() bool {
	return c.Root.Goal == goalLocation && c.info().has("metric") && c.Root.Choices["metric"] == haversine
}

// featureColumns are the columns that can be chosen: numbers, and
// categories for the mixed algorithms.
func (c *SettingsCard) featureColumns() []protocol.Column {
	var cols []protocol.Column
	for _, col := range c.Root.Inspect.Columns {
		if c.Root.canUse(col) {
			cols = append(cols, col)
		}
	}
	return cols
}

func (c *SettingsCard) columnsLegend() string {
	switch c.Root.Goal {
	case goalRegion:
		return "Columns to compare the groups on (numbers and categories)"
	case goalLocation:
		return "Columns to segment on: latitude and longitude"
	}
	if c.info().Mixed {
		return "Columns to segment on (numbers and categories)"
	}
	return "Columns to segment on (numbers only)"
}

// numberParam is a number setting of the algorithms other than k and the
// restarts: one input, whose id is the setting's name in the fit's
// parameters (params.go), with its default value.
type numberParam struct {
	ID, Label, Title, Min, Step, Default string
}

// numberParams are the number settings, in the order shown.
var numberParams = []numberParam{
	{"eps", "Radius (eps)", "Customers closer than this (in scaled units) are neighbours", "0", "0.05", "0.5"},
	{"min-samples", "Neighbours for a dense point", "Neighbours, the customer included, that make a dense point (HDBSCAN: 0 means the smallest segment size)", "0", "1", "5"},
	{"min-cluster-size", "Smallest segment", "Groups smaller than this are noise", "2", "1", "5"},
	{"threshold", "Subcluster radius", "Largest radius of a subcluster, in scaled units", "0", "0.05", "0.5"},
	{"branching", "Branching factor", "Most subclusters per node of the tree", "2", "1", "50"},
	{"bandwidth", "Bandwidth (0: estimate)", "Radius of the density window in scaled units; 0 estimates it", "0", "0.05", "0"},
	{"gamma", "Category weight (0: automatic)", "Weight of a category mismatch against numeric distances; 0 chooses it from the data", "0", "0.1", "0"},
}

// epsKm is the radius along the Earth's surface (the location goal).
var epsKm = numberParam{"eps", "Radius in km (eps)", "Rows within this many kilometres of each other are neighbours: 5 km is a town, 50 km a region", "0", "0.5", defaultEpsKm}

// numbers are the number settings algorithm a takes (after k and the
// restarts), as shown for it; haversine is whether its distance is along
// the Earth's surface. (One template for every number input keeps the
// generated code, and so the page's wasm, small.)
func numbers(a algoInfo, haversine bool) []numberParam {
	var out []numberParam
	for _, p := range numberParams {
		if !a.has(p.ID) {
			continue
		}
		switch {
		case p.ID == "eps" && haversine:
			p = epsKm
		case p.ID == "min-samples" && a.Name == "hdbscan":
			p.Default = "0"
		}
		out = append(out, p)
	}
	return out
}

func (c *SettingsCard) numbers() []numberParam { return numbers(c.info(), c.haversine()) }

// choiceParam is a setting chosen from a list: one select, whose id is the
// setting's name in Root.Choices and in the fit's parameters (params.go).
type choiceParam struct {
	ID, Label, Title string
	Options          []choiceOption
}

// choiceOption is one value of a choiceParam and its label.
type choiceOption struct{ Value, Label string }

// choiceParams are the list settings of the algorithms, in the order shown.
var choiceParams = []choiceParam{
	{ID: "covariance", Label: "Segment shape", Title: "The shape each segment may take", Options: []choiceOption{
		{"full", "Any ellipse (full)"}, {"diag", "Axis-aligned ellipse (diagonal)"},
		{"spherical", "Round (spherical)"}, {"tied", "One shared ellipse (tied)"}}},
	{ID: "metric", Label: "Distance", Options: []choiceOption{
		{"euclidean", "Straight line (Euclidean)"}, {"manhattan", "City block (Manhattan)"}}},
	{ID: "selection", Label: "Segments chosen by", Options: []choiceOption{
		{"eom", "Most persistent (eom)"}, {"leaf", "Finest (leaf)"}}},
	{ID: "linkage", Label: "Linkage", Title: "How the distance between two groups is measured", Options: []choiceOption{
		{"ward", "Ward (compact groups)"}, {"complete", "Complete (farthest members)"},
		{"average", "Average"}, {"single", "Single (nearest members, chains)"}}},
}

// haversineOption is the distance along the Earth's surface, offered with
// the location goal only.
var haversineOption = choiceOption{"haversine", "Along the Earth's surface (haversine, km)"}

// choices are the list settings the chosen algorithm takes. (One template
// for every select keeps the generated code, and so the page's wasm,
// small.)
func (c *SettingsCard) choices() []choiceParam {
	var out []choiceParam
	for _, p := range choiceParams {
		if !c.info().has(p.ID) {
			continue
		}
		if p.ID == "metric" && c.Root.Goal == goalLocation {
			p.Options = append(slices.Clip(p.Options), haversineOption)
		}
		out = append(out, p)
	}
	return out
}

// AlgorithmChanged sets the algorithm; the settings it takes appear.
func (c *SettingsCard) AlgorithmChanged(e vugu.DOMEvent) {
	c.Root.Algorithm = e.JSEventTarget().Get("value").String()
}

// Choose keeps the choice of a select setting (covariance, linkage, ...).
func (c *SettingsCard) Choose(e vugu.DOMEvent, setting string) {
	c.Root.Choices[setting] = e.JSEventTarget().Get("value").String()
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

// numberFields are the number inputs of the algorithms' settings.
var numberFields = []string{"k", "n-init", "eps", "min-samples", "min-cluster-size", "threshold", "branching", "bandwidth", "gamma"}

// Run reads the number fields shown as they are now and segments in the
// engine.
func (c *SettingsCard) Run(vugu.DOMEvent) {
	doc := jsDocument()
	fields := map[string]string{}
	for _, id := range numberFields {
		if el := doc.Call("getElementById", id); el.Truthy() {
			fields[id] = el.Get("value").String()
		}
	}
	go c.Root.run(fields)
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
	p := c.Root.Progress
	switch {
	case p.Phase == "suggest" && p.Total > 0:
		return float64(p.Total)
	case p.Runs > 0:
		return float64(p.Runs)
	}
	return 1
}

func (c *SettingsCard) progressValue() float64 {
	p := c.Root.Progress
	switch {
	case p.Phase == "suggest":
		return float64(p.Done)
	case p.MaxIter == 0:
		return 0
	case p.Runs == 0:
		// One run (agglomerative, DBSCAN, ...): the share of its steps.
		return min(1, float64(p.Iteration)/float64(p.MaxIter))
	}
	return float64(p.Run-1) + float64(p.Iteration)/float64(p.MaxIter)
}

func (c *SettingsCard) progressText() string {
	p := c.Root.Progress
	switch {
	case p.Phase == "suggest":
		return fmt.Sprintf("Trying each number of segments: fit %d of %d", p.Done, p.Total)
	case c.Root.Task == stepSuggest || p.Phase == "":
		return "Preparing the features…"
	case p.Runs > 0 && p.Inertia > 0:
		return fmt.Sprintf("Restart %d of %d, iteration %d — inertia %s", p.Run, p.Runs, p.Iteration, number(p.Inertia))
	case p.Runs > 0:
		return fmt.Sprintf("Restart %d of %d, iteration %d", p.Run, p.Runs, p.Iteration)
	case p.MaxIter > 0:
		return fmt.Sprintf("Step %d of at most %d", p.Iteration, p.MaxIter)
	}
	return "Working…"
}
