//go:build js && wasm

package main

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"syscall/js"
)

// The library's http.ResponseWriter takes a JavaScript body as is
// (WriteRawJSBody), and its request body hands out the JavaScript
// ReadableStream it wraps (GetRawJSBody). bridge uses both, so that no body
// goes through the library's stream adapters (internal/jsutil in
// syumai/workers v0.33.0), which leak once the Go runtime outlives a
// request:
//
//   - every Read of a request body awaits reader.read() with a "then" and a
//     "catch" callback made by js.FuncOf and releases only the one that
//     ran; it does not remember the end of the stream, so every Read after
//     it starts another read();
//   - an answer with a Content-Length goes out through a FixedLengthStream
//     fed by a goroutine that awaits the writer with the same half-released
//     pair; without one, through a ReadableStream whose "pull" and "cancel"
//     callbacks are never released.
//
// An unreleased js.Func stays in Go's callback table for good, with its
// closure. With workers.Serve, which ends the runtime after one answer,
// that died with the runtime; with one runtime per isolate it grew by about
// ten JavaScript values and 2.4 KB of Go memory per request (measured:
// docs/performance.md, "The edge worker"). bridge buffers the answer (small:
// at most a batch of results) and hands it over as one Uint8Array, and
// reads the request body to its end once, releasing both callbacks of
// every read.
type rawBodyWriter interface{ WriteRawJSBody(body js.Value) }

type rawBodyGetter interface{ GetRawJSBody() js.Value }

var uint8Array = js.Global().Get("Uint8Array")

// bridge serves h through the library's request and response values.
type bridge struct{ h http.Handler }

func (b bridge) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if g, ok := r.Body.(rawBodyGetter); ok {
		body := &streamBody{stream: g.GetRawJSBody()}
		defer body.Close()
		r.Body = body
	}
	buf := &bufferedWriter{header: w.Header(), status: http.StatusOK}
	b.h.ServeHTTP(buf, r)
	w.WriteHeader(buf.status)
	raw, ok := w.(rawBodyWriter)
	if !ok {
		w.Write(buf.body.Bytes())
		return
	}
	n := buf.body.Len()
	if r.Method == http.MethodHead {
		n = 0
	}
	ua := uint8Array.New(n)
	js.CopyBytesToJS(ua, buf.body.Bytes()[:n])
	raw.WriteRawJSBody(ua)
}

// bufferedWriter is an http.ResponseWriter that keeps the answer in memory.
type bufferedWriter struct {
	header http.Header
	status int
	wrote  bool
	body   bytes.Buffer
}

func (w *bufferedWriter) Header() http.Header { return w.header }

func (w *bufferedWriter) WriteHeader(status int) {
	if !w.wrote {
		w.status, w.wrote = status, true
	}
}

func (w *bufferedWriter) Write(p []byte) (int, error) {
	w.wrote = true
	return w.body.Write(p)
}

var errBodyClosed = errors.New("segkit edge: request body closed")

// streamBody reads a JavaScript ReadableStream of bytes.
type streamBody struct {
	stream js.Value
	reader js.Value // the stream's reader, once reading has started
	buf    []byte   // the unread part of the last chunk
	err    error    // io.EOF, errBodyClosed or a read error, once met
}

func (b *streamBody) Read(p []byte) (int, error) {
	for len(b.buf) == 0 {
		if b.err != nil {
			return 0, b.err
		}
		if b.reader.IsUndefined() {
			b.reader = b.stream.Call("getReader")
		}
		res, err := await(b.reader.Call("read"))
		if err != nil {
			b.err = err
			return 0, err
		}
		if res.Get("done").Bool() {
			b.err = io.EOF
			return 0, io.EOF
		}
		chunk := res.Get("value")
		b.buf = make([]byte, chunk.Get("byteLength").Int())
		js.CopyBytesToGo(b.buf, chunk)
	}
	n := copy(p, b.buf)
	b.buf = b.buf[n:]
	return n, nil
}

// Close cancels the stream when it was not read to its end (a body over the
// limit), so the runtime stops receiving it.
func (b *streamBody) Close() error {
	if b.err == nil && !b.reader.IsUndefined() {
		b.reader.Call("cancel")
	}
	if b.err == nil {
		b.err = errBodyClosed
	}
	b.buf = nil
	return nil
}

// settled is the outcome of a promise.
type settled struct {
	v   js.Value
	err error
}

// await waits for a promise and releases both of its callbacks once it has
// settled, whichever ran.
func await(promise js.Value) (js.Value, error) {
	ch := make(chan settled, 1)
	onOK := js.FuncOf(func(_ js.Value, args []js.Value) any {
		ch <- settled{v: args[0]}
		return nil
	})
	onErr := js.FuncOf(func(_ js.Value, args []js.Value) any {
		ch <- settled{err: errors.New("segkit edge: reading the request body: " + args[0].Call("toString").String())}
		return nil
	})
	promise.Call("then", onOK, onErr)
	s := <-ch
	onOK.Release()
	onErr.Release()
	return s.v, s.err
}
