package main

import (
	"errors"
	"strings"
	"time"

	"github.com/vugu/vugu/js"
)

// pngScale is how many device pixels a PNG chart has per SVG unit: twice
// the on-screen size, sharp enough for a slide or a report.
const pngScale = 2

// DownloadChartPNG saves the chart whose svg element has the given id as a
// PNG image: the browser draws the same SVG (self-contained: colours and
// fonts are attributes) on a canvas at pngScale times its size. Nothing is
// requested: the SVG reaches the image as a blob: URL (the
// Content-Security-Policy allows img-src blob: for this).
func (r *Root) DownloadChartPNG(id string) {
	svg := jsDocument().Call("getElementById", id)
	if !svg.Truthy() {
		return
	}
	text := js.Global().Get("XMLSerializer").New().Call("serializeToString", svg).String()
	w, h := svg.Get("width").Get("baseVal").Get("value").Int(), svg.Get("height").Get("baseVal").Get("value").Int()
	name := r.stem() + "-" + strings.TrimPrefix(id, "chart-") + ".png"
	go func() {
		blob, err := rasterize(text, w, h, pngScale)
		if err != nil {
			r.update(func() { r.fail(stepDownload, err) })
			return
		}
		r.save(name, "image/png", blob, blob.Get("size").Int())
	}()
}

// rasterize draws an SVG document of w×h units on a canvas of scale times
// that size and returns the canvas as a PNG Blob. It blocks the calling
// goroutine (not the page) until the browser has decoded and encoded the
// image.
func rasterize(svg string, w, h, scale int) (js.Value, error) {
	if w <= 0 || h <= 0 {
		return js.Undefined(), errors.New("the chart has no size to draw")
	}
	g := js.Global()
	opts := g.Get("Object").New()
	opts.Set("type", "image/svg+xml")
	url := g.Get("URL").Call("createObjectURL", g.Get("Blob").New(g.Get("Array").Call("of", svg), opts)).String()
	defer g.Get("URL").Call("revokeObjectURL", url)

	img := g.Get("Image").New()
	loaded := make(chan error, 1)
	onload := js.FuncOf(func(js.Value, []js.Value) any { loaded <- nil; return nil })
	onerror := js.FuncOf(func(js.Value, []js.Value) any {
		loaded <- errors.New("the browser could not draw the chart as an image")
		return nil
	})
	defer onload.Release()
	defer onerror.Release()
	setValue(img, "onload", onload.Value)
	setValue(img, "onerror", onerror.Value)
	img.Set("src", url)
	if err := wait(loaded); err != nil {
		return js.Undefined(), err
	}

	canvas := jsDocument().Call("createElement", "canvas")
	canvas.Set("width", w*scale)
	canvas.Set("height", h*scale)
	ctx := canvas.Call("getContext", "2d")
	ctx.Call("scale", scale, scale)
	ctx.Call("drawImage", img, 0, 0, w, h)
	encoded := make(chan js.Value, 1)
	done := js.FuncOf(func(_ js.Value, args []js.Value) any { encoded <- args[0]; return nil })
	defer done.Release()
	canvas.Call("toBlob", done.Value, "image/png")
	select {
	case blob := <-encoded:
		if !blob.Truthy() {
			return js.Undefined(), errors.New("the browser could not encode the chart as PNG")
		}
		return blob, nil
	case <-time.After(30 * time.Second):
		return js.Undefined(), errors.New("the browser did not encode the chart within 30 s")
	}
}

// wait returns what ch delivers, or an error after 30 s.
func wait(ch <-chan error) error {
	select {
	case err := <-ch:
		return err
	case <-time.After(30 * time.Second):
		return errors.New("the browser did not draw the chart within 30 s")
	}
}
