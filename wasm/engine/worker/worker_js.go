//go:build js && wasm

package worker

import (
	"context"
	"encoding/json"
	"fmt"
	sjs "syscall/js"
	"time"

	"github.com/segkit/segkit/wasm/engine"
	"github.com/segkit/segkit/wasm/engine/protocol"
	"github.com/segkit/segkit/wasm/engine/shards"
)

// chunkSize is the size of the pieces a file is read in.
const chunkSize = 8 << 20

var h engine.Handler

// Run makes this Web Worker the engine: it answers the page's messages
// until the worker is terminated, and never returns.
func Run() {
	self := sjs.Global()
	self.Set("onmessage", sjs.FuncOf(func(_ sjs.Value, args []sjs.Value) any {
		msg := args[0].Get("data")
		var req protocol.Request
		if err := json.Unmarshal([]byte(msg.Get("json").String()), &req); err != nil {
			post(protocol.Response{Op: "error", Error: &protocol.Error{Code: protocol.CodeBadRequest, Message: "malformed request: " + err.Error()}})
			return nil
		}
		switch req.Op {
		case protocol.OpPool:
			startPool(msg.Get("ports"))
			return nil
		case protocol.OpShardHelper:
			becomeHelper(msg.Get("port"))
			return nil
		}
		file := msg.Get("file")
		go serve(req, file) // never block the callback
		return nil
	}))
	post(protocol.Response{Op: protocol.OpReady})
	select {}
}

// post sends a response, with a download's bytes as a transferred buffer.
func post(resp protocol.Response) {
	b, err := json.Marshal(resp)
	if err != nil {
		b, _ = json.Marshal(protocol.Response{ID: resp.ID, Op: resp.Op, Error: &protocol.Error{Code: protocol.CodeInternal, Message: err.Error()}})
	}
	out := sjs.Global().Get("Object").New()
	out.Set("json", string(b))
	if resp.File != nil {
		u8 := sjs.Global().Get("Uint8Array").New(len(resp.File.Data))
		sjs.CopyBytesToJS(u8, resp.File.Data)
		out.Set("data", u8)
		sjs.Global().Call("postMessage", out, []any{u8.Get("buffer")})
		return
	}
	sjs.Global().Call("postMessage", out)
}

var lastYield time.Time

// progress posts a progress report and lets the event loop run, so that a
// cancel message can arrive while a fit is busy.
func progress(r protocol.Response) {
	post(r)
	if time.Since(lastYield) > 100*time.Millisecond {
		time.Sleep(time.Millisecond)
		lastYield = time.Now()
	}
}

func serve(req protocol.Request, file sjs.Value) {
	if req.Op == protocol.OpLoad && file.Truthy() {
		post(loadBlob(req, file))
		return
	}
	post(h.Handle(context.Background(), req, progress))
}

// loadBlob reads a Blob in chunks and feeds it to the handler.
func loadBlob(req protocol.Request, blob sjs.Value) (resp protocol.Response) {
	defer func() {
		if p := recover(); p != nil {
			resp = protocol.Response{ID: req.ID, Op: req.Op, Error: &protocol.Error{Code: protocol.CodeBadRequest, Message: fmt.Sprintf("the file could not be read: %v", p)}}
		}
	}()
	size := int64(blob.Get("size").Float())
	name := req.Load.Name
	reader := sjs.Global().Get("FileReaderSync").New()
	buf := make([]byte, 0, min(size, chunkSize))
	for off := int64(0); ; {
		end := min(off+chunkSize, size)
		ab := reader.Call("readAsArrayBuffer", blob.Call("slice", off, end))
		u8 := sjs.Global().Get("Uint8Array").New(ab)
		buf = buf[:u8.Length()]
		sjs.CopyBytesToGo(buf, u8)
		resp = h.Handle(context.Background(), protocol.Request{ID: req.ID, Op: protocol.OpLoad, Load: &protocol.Load{
			Name: name, Size: size, Offset: off, Chunk: buf, Final: end >= size}}, progress)
		if end >= size || resp.Error != nil {
			return resp
		}
		off = end
		progress(protocol.Response{ID: req.ID, Op: protocol.OpProgress, Progress: &protocol.Progress{Phase: "read", Done: off, Total: size}})
	}
}

// portTransport sends the coordinator's messages to helper workers over
// MessagePorts, transferring each message's buffer.
type portTransport []sjs.Value

func (p portTransport) Send(i int, msg ...[]byte) error {
	if i < 0 || i >= len(p) {
		return fmt.Errorf("no helper %d", i+1)
	}
	postBytes(p[i], msg...)
	return nil
}

// postBytes posts the pieces of msg on port as one Uint8Array whose buffer
// is transferred.
func postBytes(port sjs.Value, msg ...[]byte) {
	n := 0
	for _, b := range msg {
		n += len(b)
	}
	u8 := sjs.Global().Get("Uint8Array").New(n)
	off := 0
	for _, b := range msg {
		sjs.CopyBytesToJS(u8.Call("subarray", off, off+len(b)), b)
		off += len(b)
	}
	port.Call("postMessage", u8, []any{u8.Get("buffer")})
}

// bytesOf copies the Uint8Array of a message event into Go memory.
func bytesOf(ev sjs.Value) []byte {
	u8 := ev.Get("data")
	if u8.Type() != sjs.TypeObject || u8.Get("length").Type() != sjs.TypeNumber {
		return nil
	}
	b := make([]byte, u8.Length())
	sjs.CopyBytesToGo(b, u8)
	return b
}

// startPool makes this worker the coordinator of the helper workers at the
// other ends of ports: k-means fits of many rows are spread over them.
func startPool(ports sjs.Value) {
	if ports.Type() != sjs.TypeObject || ports.Length() == 0 {
		return
	}
	t := make(portTransport, ports.Length())
	for i := range t {
		t[i] = ports.Index(i)
	}
	client := shards.NewClient(t, len(t))
	for i, port := range t {
		port.Set("onmessage", sjs.FuncOf(func(_ sjs.Value, args []sjs.Value) any {
			if b := bytesOf(args[0]); b != nil {
				client.Deliver(i, b)
			}
			return nil
		}))
	}
	h.Shards = client
}

// becomeHelper makes this worker a helper: it holds the shard of rows the
// coordinator sends on port and answers its requests there. The work runs
// in the message callback: a helper has nothing else to do.
func becomeHelper(port sjs.Value) {
	if port.Type() != sjs.TypeObject {
		return
	}
	srv := &shards.Server{}
	port.Set("onmessage", sjs.FuncOf(func(_ sjs.Value, args []sjs.Value) any {
		if b := bytesOf(args[0]); b != nil {
			postBytes(port, srv.Handle(b))
		}
		return nil
	}))
}
