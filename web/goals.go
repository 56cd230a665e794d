package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/segkit/segkit/wasm/engine/protocol"
)

// The goals beyond the file's columns and RFM (Root.Goal).
const (
	goalDemographic = "demographic"  // the demographic columns, found by name
	goalRegion      = "geo-region"   // groups by a place column: rules, not clustering
	goalLocation    = "geo-location" // DBSCAN on latitude and longitude (haversine)
)

// haversine is the metric of the location goal: kilometres along the
// Earth's surface between latitude, longitude pairs.
const haversine = "haversine"

// defaultEpsKm is the location goal's radius: stores or customers within 5
// km of each other (a town) form a group.
const defaultEpsKm = "5"

// groupsInfo is the settings card's "algorithm" of the region goal:
// rule-based groups profiled on the chosen columns (numbers and categories).
var groupsInfo = algoInfo{Name: protocol.AlgorithmGroups, Label: "Groups by rule", Mixed: true,
	Help: "One segment per value of the column chosen above (or per first characters of a postal code): rules, not clustering, so there is no model to download."}

// goalChoice is one goal of the goal card: its radio's id and value, a
// label, one line of explanation, and why it cannot be chosen ("" when it
// can).
type goalChoice struct {
	ID, Value, Label, Help, Reason string
}

// goals lists the goals of the loaded file, each with whether it can be
// chosen.
func (r *Root) goals() []goalChoice {
	g := r.fileGoals()
	var demo, region, location string
	if len(g.Demographic) == 0 {
		demo = "No column is named like age, gender, income, education, marital status, children, year of birth, household or occupation."
	}
	if len(r.groupColumns()) == 0 {
		region = "No column of names or codes (region, country, city, postal code) to group by."
	}
	if g.Latitude == "" {
		location = g.NoLocation
		if location == "" {
			location = "No latitude and longitude columns."
		}
	}
	return []goalChoice{
		{ID: "goal-columns", Value: goalColumns, Label: "Any columns",
			Help: "Each row of this file on the columns you tick (spend, visits, anything numeric), with the method you choose."},
		{ID: "goal-rfm", Value: goalRFM, Label: "Behaviour (RFM)",
			Help: "Customers by recency, frequency and monetary value, computed from a log of purchases."},
		{ID: "goal-demographic", Value: goalDemographic, Label: "Demographic",
			Help: "Customers by who they are: the age, gender, income, education, family and occupation columns, found by name.", Reason: demo},
		{ID: "goal-geo-region", Value: goalRegion, Label: "Geographic: by region",
			Help: "One group per region, country, city or postal prefix, by rule (no clustering), compared on the other columns.", Reason: region},
		{ID: "goal-geo-location", Value: goalLocation, Label: "Geographic: by location",
			Help: "Customers or stores close together on the map: DBSCAN on latitude and longitude, distances in kilometres; isolated ones are noise.", Reason: location},
	}
}

// fileGoals is what the engine found in the loaded file for the goals.
func (r *Root) fileGoals() protocol.Goals {
	if r.Source == nil || r.Source.Goals == nil {
		return protocol.Goals{}
	}
	return *r.Source.Goals
}

// groupColumns are the columns the region goal can group by: those named
// like a place first, then the other columns of names (categorical) or
// whole numbers (codes such as a channel).
func (r *Root) groupColumns() []string {
	if r.Source == nil {
		return nil
	}
	cols := slices.Clone(r.fileGoals().Places)
	for _, c := range r.Source.Columns {
		if (c.Type == "categorical" || c.Type == "integer") && !slices.Contains(cols, c.Name) {
			cols = append(cols, c.Name)
		}
	}
	return cols
}

// info is the settings card's algorithm: the rule-based groups in the
// region goal, else the chosen algorithm.
func (r *Root) info() algoInfo {
	if r.Goal == goalRegion {
		return groupsInfo
	}
	return algo(r.Algorithm)
}

// applyGoal sets the defaults of a goal on the table in use: its columns,
// algorithm, distance and scaling.
func (r *Root) applyGoal(goal string) {
	r.Goal = goal
	if r.Inspect == nil {
		return
	}
	r.leaveLocation()
	g := r.fileGoals()
	switch goal {
	case goalColumns:
		for _, c := range r.Inspect.Columns {
			r.Selected[c.Name] = c.Default
		}
	case goalDemographic:
		r.selectOnly(g.Demographic...)
		r.Algorithm = "kmeans"
		for _, c := range r.Inspect.Columns {
			if c.Type == "categorical" && slices.Contains(g.Demographic, c.Name) {
				r.Algorithm = "kprototypes" // numbers and categories together
			}
		}
	case goalRegion:
		if cols := r.groupColumns(); !slices.Contains(cols, r.GroupColumn) && len(cols) > 0 {
			r.GroupColumn, r.GroupPrefix = cols[0], 0
		}
		for _, c := range r.Inspect.Columns {
			r.Selected[c.Name] = c.Default || c.Type == "categorical"
		}
	case goalLocation:
		r.selectOnly(g.Latitude, g.Longitude)
		r.Algorithm, r.Choices["metric"], r.Scale = "dbscan", haversine, "none"
	}
}

// leaveLocation puts back the usual distance, scaling and algorithm when
// the location goal's are set.
func (r *Root) leaveLocation() {
	if r.Choices["metric"] == haversine {
		r.Choices["metric"], r.Scale, r.Algorithm = "euclidean", "standard", "kmeans"
	}
}

// selectOnly ticks exactly the named columns.
func (r *Root) selectOnly(names ...string) {
	for _, c := range r.Inspect.Columns {
		r.Selected[c.Name] = slices.Contains(names, c.Name)
	}
}

// goalNote is the goal card's line on what the chosen goal found and will
// do.
func (r *Root) goalNote() string {
	g := r.fileGoals()
	switch r.Goal {
	case goalDemographic:
		why := "k-means, as they are all numbers"
		if r.Algorithm == "kprototypes" {
			why = "k-prototypes, which takes numbers and categories together"
		}
		return fmt.Sprintf("Demographic columns found: %s. They are ticked in step 3 (change them there), and the method is %s.", strings.Join(g.Demographic, ", "), why)
	case goalLocation:
		return fmt.Sprintf("Latitude: %s, longitude: %s (degrees, used as they are). DBSCAN groups the rows within the radius of step 3 (kilometres along the Earth's surface) of each other; rows with too few neighbours are noise.", g.Latitude, g.Longitude)
	}
	return ""
}
