package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/segkit/segkit/wasm/engine/protocol"
	"github.com/vugu/vugu"
)

// GoalCard is the choice of goal: the file's rows on any columns;
// customers on recency, frequency and monetary value (RFM) computed from a
// transaction log, with the log's columns (detected, changeable); on their
// demographic columns; by region (rule-based groups of a place column); or
// by location (DBSCAN on latitude and longitude). A goal the file cannot
// serve is shown disabled with the reason.
type GoalCard struct {
	Root *Root
}

// rfmRole is one column role of a transaction log.
type rfmRole struct {
	ID, Label, Help string
	Optional        bool
	Value           string
}

func (c *GoalCard) roles() []rfmRole {
	s := c.Root.RFMSpec
	return []rfmRole{
		{ID: "rfm-customer", Label: "Customer id", Value: s.Customer, Help: "who bought"},
		{ID: "rfm-date", Label: "Date", Value: s.Date, Help: "when"},
		{ID: "rfm-invoice", Label: "Invoice (optional)", Value: s.Invoice, Optional: true, Help: "frequency counts invoices; one starting with C is a cancellation"},
		{ID: "rfm-amount", Label: "Amount", Value: s.Amount, Optional: true, Help: "the value of the line; or leave it empty and give quantity and price"},
		{ID: "rfm-quantity", Label: "Quantity", Value: s.Quantity, Optional: true, Help: "with price: amount = quantity × price"},
		{ID: "rfm-price", Label: "Unit price", Value: s.Price, Optional: true, Help: "with quantity"},
	}
}

func (c *GoalCard) columns() []string {
	var names []string
	for _, col := range c.Root.Source.Columns {
		names = append(names, col.Name)
	}
	return names
}

func (c *GoalCard) isRFM() bool { return c.Root.Goal == goalRFM }

// Choose switches the goal, with its defaults (goals.go).
func (c *GoalCard) Choose(e vugu.DOMEvent) {
	goal := e.JSEventTarget().Get("value").String()
	switch {
	case goal != goalRFM && c.Root.RFM != nil:
		go c.Root.buildRFM(goal) // back to the file's own rows
	case goal == goalRFM:
		c.Root.leaveLocation()
		c.Root.Goal = goal
	default:
		c.Root.applyGoal(goal)
	}
}

// SetGroupColumn chooses the column of the region goal.
func (c *GoalCard) SetGroupColumn(e vugu.DOMEvent) {
	c.Root.GroupColumn = e.JSEventTarget().Get("value").String()
}

// SetGroupPrefix keeps the number of first characters to group by; a
// value that is not a whole number from 0 to 20 is shown as an error.
func (c *GoalCard) SetGroupPrefix(e vugu.DOMEvent) {
	n, err := strconv.Atoi(strings.TrimSpace(e.JSEventTarget().Get("value").String()))
	if err != nil || n < 0 || n > 20 {
		c.Root.fail(stepGoal, &protocol.Error{Code: protocol.CodeBadSetting, Message: "First characters must be a whole number from 0 (the whole value) to 20."})
		return
	}
	if c.Root.ErrStep == stepGoal {
		c.Root.Err, c.Root.ErrStep = nil, ""
	}
	c.Root.GroupPrefix = n
}

func (c *GoalCard) prefixText() string { return strconv.Itoa(c.Root.GroupPrefix) }

// SetRole sets the column of one role.
func (c *GoalCard) SetRole(e vugu.DOMEvent, id string) {
	v := e.JSEventTarget().Get("value").String()
	s := &c.Root.RFMSpec
	switch id {
	case "rfm-customer":
		s.Customer = v
	case "rfm-date":
		s.Date = v
	case "rfm-invoice":
		s.Invoice = v
	case "rfm-amount":
		s.Amount = v
	case "rfm-quantity":
		s.Quantity = v
	case "rfm-price":
		s.Price = v
	case "rfm-cancellations":
		s.Cancellations = v
	}
}

// BuildRFM computes the RFM table in the engine.
func (c *GoalCard) BuildRFM(vugu.DOMEvent) {
	s := c.Root.RFMSpec
	switch {
	case s.Customer == "" || s.Date == "":
		c.Root.fail(stepGoal, &protocol.Error{Code: protocol.CodeBadColumn, Message: "Choose the customer id and the date columns."})
	case s.Amount == "" && (s.Quantity == "" || s.Price == ""):
		c.Root.fail(stepGoal, &protocol.Error{Code: protocol.CodeBadColumn, Message: "Choose the amount column, or both the quantity and the unit price."})
	case s.Amount != "" && (s.Quantity != "" || s.Price != ""):
		c.Root.fail(stepGoal, &protocol.Error{Code: protocol.CodeBadSetting, Message: "Choose either the amount, or the quantity and the unit price — not both."})
	default:
		go c.Root.buildRFM(goalRFM)
	}
}

func (c *GoalCard) busy() bool {
	r := c.Root
	return !r.EngineReady || r.Loading || r.Running
}

func (c *GoalCard) summary() string {
	s := c.Root.RFM
	return fmt.Sprintf("%d customers from %d of the %d rows of %s (%d without a customer id, %d unreadable, %d cancellation lines); recency counted in days before %s. Each customer also has the classic RFM segment below; the segments found next come from clustering recency, frequency and monetary value.",
		s.Customers, s.Used, s.Rows, s.Source, s.NoCustomer, s.BadRows, s.Cancellations, s.Reference)
}

func (c *GoalCard) noneText(optional bool) string {
	if optional {
		return "(none)"
	}
	return "(choose a column)"
}
