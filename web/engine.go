package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/segkit/segkit/wasm/engine/protocol"
	"github.com/vugu/vugu/js"
)

// workerScript is the engine's Web Worker, beside index.html.
const workerScript = "engine-worker.js"

// errCancelled is the error of requests that were pending when the engine
// was restarted.
var errCancelled = &protocol.Error{Code: protocol.CodeCancelled, Message: "Cancelled."}

// reply is a final response, with the bytes of a download (a Uint8Array).
type reply struct {
	protocol.Response
	data js.Value
}

// message is a message from a worker, tagged with the worker it came from.
type message struct {
	gen  int
	data js.Value
}

// engineClient talks to the engine worker. Its methods block until the
// answer comes, so call them from a goroutine, never from an event handler.
type engineClient struct {
	// OnProgress receives the progress reports of every request.
	OnProgress func(id int, p protocol.Progress)

	mu      sync.Mutex
	gen     int // the current worker; messages from older ones are dropped
	worker  js.Value
	helpers []js.Value // the engine's helper workers (startHelpers)
	onmsg   js.Func
	onerr   js.Func
	nextID  int
	pending map[int]chan reply
	ready   chan error
	inbox   chan message
}

// start starts a worker and waits until it says it is ready (its network
// APIs are then disabled, so data may be sent).
func (e *engineClient) start() error {
	e.mu.Lock()
	if e.inbox == nil {
		e.inbox = make(chan message, 4096)
		go e.dispatch()
	}
	e.gen++
	gen := e.gen
	e.pending = map[int]chan reply{}
	ready := make(chan error, 1)
	e.ready = ready
	w := js.Global().Get("Worker").New(workerScript)
	e.onmsg = js.FuncOf(func(_ js.Value, args []js.Value) any {
		e.inbox <- message{gen, args[0].Get("data")}
		return nil
	})
	e.onerr = js.FuncOf(func(_ js.Value, args []js.Value) any {
		select {
		case ready <- errors.New("the engine worker failed to start: " + args[0].Get("message").String()):
		default:
		}
		return nil
	})
	setValue(w, "onmessage", e.onmsg.Value)
	setValue(w, "onerror", e.onerr.Value)
	e.worker = w
	e.mu.Unlock()
	select {
	case err := <-ready:
		if err == nil {
			go e.startHelpers(gen)
		}
		return err
	case <-time.After(60 * time.Second):
		return errors.New("the engine worker did not start within a minute")
	}
}

// maxWorkers caps the engine's workers (itself and its helpers): more rarely
// pays on the machines the page runs on, and each holds a copy of its rows.
const maxWorkers = 4

// startHelpers starts helper workers — one fewer than the browser's
// hardwareConcurrency, at most maxWorkers−1 — and hands the engine worker a
// MessagePort to each, over which it spreads large k-means fits
// (wasm/engine/shards). Helpers run the same script as the engine, so they
// come with the same network lockdown; a helper that fails to start is
// left out, and without helpers the engine works alone.
func (e *engineClient) startHelpers(gen int) {
	cores := js.Global().Get("navigator").Get("hardwareConcurrency")
	n := 1
	if cores.Type() == js.TypeNumber {
		n = min(cores.Int(), maxWorkers)
	}
	var ports []any
	var helpers []js.Value
	for range n - 1 {
		w := js.Global().Get("Worker").New(workerScript)
		ready := make(chan bool, 1)
		f := js.FuncOf(func(_ js.Value, args []js.Value) any {
			var resp protocol.Response
			ok := json.Unmarshal([]byte(args[0].Get("data").Get("json").String()), &resp) == nil &&
				resp.Op == protocol.OpReady && resp.Error == nil
			select {
			case ready <- ok:
			default:
			}
			return nil
		})
		setValue(w, "onmessage", f.Value)
		var ok bool
		select {
		case ok = <-ready:
		case <-time.After(60 * time.Second):
		}
		setValue(w, "onmessage", js.Null())
		f.Release()
		if !ok {
			w.Call("terminate")
			continue
		}
		ch := js.Global().Get("MessageChannel").New()
		msg := js.Global().Get("Object").New()
		msg.Set("json", `{"id":0,"op":"`+protocol.OpShardHelper+`"}`)
		setValue(msg, "port", ch.Get("port2")) // Set cannot take a js.Value
		w.Call("postMessage", msg, js.Global().Get("Array").Call("of", ch.Get("port2")))
		ports = append(ports, ch.Get("port1"))
		helpers = append(helpers, w)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if gen != e.gen || len(ports) == 0 {
		// The engine was restarted meanwhile (its replacement starts its
		// own helpers), or there is nothing to hand over.
		for _, w := range helpers {
			w.Call("terminate")
		}
		return
	}
	msg := js.Global().Get("Object").New()
	msg.Set("json", `{"id":0,"op":"`+protocol.OpPool+`"}`)
	// Arrays of JS values are built in JS: a Go slice of them is not a
	// value syscall/js can convert.
	list := js.Global().Get("Array").Call("of", ports...)
	setValue(msg, "ports", list)
	e.worker.Call("postMessage", msg, js.Global().Get("Array").Call("of", ports...))
	e.helpers = helpers
	// For tests and the benchmark: from here on, large files are parsed
	// and fitted on the helpers too.
	js.Global().Get("performance").Call("mark", "segkit-helpers-ready")
}

// restart stops the worker at once (terminate), fails every pending request
// with errCancelled and starts a fresh worker.
func (e *engineClient) restart() error {
	e.mu.Lock()
	setValue(e.worker, "onmessage", js.Null())
	setValue(e.worker, "onerror", js.Null())
	e.worker.Call("terminate")
	for _, w := range e.helpers {
		w.Call("terminate")
	}
	e.helpers = nil
	e.onmsg.Release()
	e.onerr.Release()
	for id, ch := range e.pending {
		ch <- reply{Response: protocol.Response{ID: id, Error: errCancelled}}
		delete(e.pending, id)
	}
	e.mu.Unlock()
	return e.start()
}

func (e *engineClient) dispatch() {
	for m := range e.inbox {
		var resp protocol.Response
		if err := json.Unmarshal([]byte(m.data.Get("json").String()), &resp); err != nil {
			continue
		}
		e.mu.Lock()
		if m.gen != e.gen {
			e.mu.Unlock()
			continue
		}
		switch resp.Op {
		case protocol.OpReady:
			var err error
			if resp.Error != nil {
				err = resp.Error
			}
			select {
			case e.ready <- err:
			default:
			}
			e.mu.Unlock()
		case protocol.OpProgress:
			e.mu.Unlock()
			if e.OnProgress != nil && resp.Progress != nil {
				e.OnProgress(resp.ID, *resp.Progress)
			}
		default:
			ch := e.pending[resp.ID]
			delete(e.pending, resp.ID)
			e.mu.Unlock()
			if ch != nil {
				ch <- reply{Response: resp, data: m.data.Get("data")}
			}
		}
	}
}

// request sends req (with file, a Blob, for a load) and waits for its answer.
// An answer with an error returns it as a *protocol.Error.
func (e *engineClient) request(req protocol.Request, file js.Value) (reply, error) {
	e.mu.Lock()
	e.nextID++
	req.ID = e.nextID
	ch := make(chan reply, 1)
	e.pending[req.ID] = ch
	b, err := json.Marshal(req)
	if err != nil {
		delete(e.pending, req.ID)
		e.mu.Unlock()
		return reply{}, err
	}
	msg := js.Global().Get("Object").New()
	msg.Set("json", string(b))
	if file.Truthy() {
		setValue(msg, "file", file)
	}
	e.worker.Call("postMessage", msg)
	e.mu.Unlock()
	r := <-ch
	if r.Error != nil {
		return r, r.Error
	}
	return r, nil
}

// await waits for a JavaScript promise. Call it from a goroutine.
func await(p js.Value) (js.Value, error) {
	type result struct {
		v   js.Value
		err error
	}
	ch := make(chan result, 1)
	then := js.FuncOf(func(_ js.Value, a []js.Value) any {
		v := js.Undefined()
		if len(a) > 0 {
			v = a[0]
		}
		ch <- result{v: v}
		return nil
	})
	catch := js.FuncOf(func(_ js.Value, a []js.Value) any {
		msg := "unknown error"
		if len(a) > 0 {
			msg = a[0].Call("toString").String()
		}
		ch <- result{err: fmt.Errorf("%s", msg)}
		return nil
	})
	defer then.Release()
	defer catch.Release()
	p.Call("then", then.Value, catch.Value)
	r := <-ch
	return r.v, r.err
}
