package main

import (
	"fmt"
	"strings"

	"github.com/vugu/vugu"
)

// DataCard is step 1: a file picker, a drop zone and the sample.
type DataCard struct {
	Root *Root
	over bool // a file is dragged over the drop zone
}

func (c *DataCard) busy() bool {
	return !c.Root.EngineReady || c.Root.Loading || c.Root.Running
}

func (c *DataCard) dropClass() string {
	if c.over {
		return "drop over"
	}
	return "drop"
}

// FileChosen loads the file picked in #file-input.
func (c *DataCard) FileChosen(e vugu.DOMEvent) {
	files := e.JSEventTarget().Get("files")
	if files.Truthy() && files.Length() > 0 {
		f := files.Index(0)
		go c.Root.load(f, f.Get("name").String())
	}
}

// KeyDown opens the file picker when Enter or Space is pressed on the drop
// zone itself (not on the buttons inside it), so that the zone works
// without a mouse.
func (c *DataCard) KeyDown(e vugu.DOMEvent) {
	key := e.JSEvent().Get("key").String()
	if key != "Enter" && key != " " || e.JSEventTarget().Get("id").String() != "drop-zone" {
		return
	}
	e.PreventDefault()
	if !c.busy() {
		jsDocument().Call("getElementById", "file-input").Call("click")
	}
}

// DragOver accepts a dragged file.
func (c *DataCard) DragOver(e vugu.DOMEvent) {
	e.PreventDefault()
	c.over = true
}

// DragLeave forgets the drag.
func (c *DataCard) DragLeave(vugu.DOMEvent) { c.over = false }

// Drop loads the first dropped file.
func (c *DataCard) Drop(e vugu.DOMEvent) {
	e.PreventDefault()
	c.over = false
	if c.busy() {
		return
	}
	files := e.JSEvent().Get("dataTransfer").Get("files")
	if files.Truthy() && files.Length() > 0 {
		f := files.Index(0)
		go c.Root.load(f, f.Get("name").String())
	}
}

// Sample loads a built-in sample.
func (c *DataCard) Sample(_ vugu.DOMEvent, file string) {
	go c.Root.loadSample(file)
}

func (c *DataCard) loadText() string {
	r := c.Root
	if r.LoadTotal <= 0 {
		return "Reading the file…"
	}
	verb := "Reading"
	if r.LoadPhase == "parse" {
		verb = "Understanding"
	}
	return fmt.Sprintf("%s the file… %d%%", verb, 100*r.LoadDone/r.LoadTotal)
}

func (c *DataCard) summary() string {
	in := c.Root.Source
	delim := map[string]string{",": "commas", ";": "semicolons", "\t": "tabs", "|": "bars", " ": "spaces"}[in.Format.Delimiter]
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d rows and %d columns, separated by %s, %s", in.Name, in.Rows, len(in.Columns), delim, in.Format.Encoding)
	if !in.Format.Header {
		b.WriteString(", no header row")
	}
	if in.Skipped > 0 {
		fmt.Fprintf(&b, "; %d malformed rows left out", in.Skipped)
	}
	if in.Workers > 1 {
		fmt.Fprintf(&b, "; read on %d workers", in.Workers)
	}
	b.WriteString(".")
	return b.String()
}
