// Package shards spreads a k-means fit, the parsing of a file and a
// suggestion of k over Web Workers. The engine worker that holds the data
// is the coordinator and the first shard (Client); each helper worker holds
// one more shard of the rows (Server). They talk over a Transport — in the
// page, MessagePorts the page wires between the workers — in binary
// messages: per iteration the coordinator sends the centres and each shard
// answers with per-chunk sums and counts, so only O(chunks·k·d) numbers
// cross. The result is cluster.KMeans.Fit's on the whole matrix, bit for
// bit, whatever the number of workers (cluster.KMeans.FitSharded). A file
// is parsed the same way: dataset.ReadSplit hands each helper one part
// (Client.Parts) and joins the columns they send back to Read's table,
// value for value; and a suggestion of k hands out the ks to score
// (Client.Suggest, suggest.go).
//
// The package has no syscall/js: the worker's main supplies the Transport
// and feeds incoming messages to Client.Deliver or Server.Handle, so all of
// it is tested natively.
//
// Messages are a type byte, a sequence number (uint32, little-endian) and a
// payload:
//
//	'I' init    coordinator → helper: first row, k, rows, cols (varints), then the rows as float64 bytes
//	'K' rekey   coordinator → helper: k (varint): a new fit on the rows the helper already holds
//	'Q' request coordinator → helper: a cluster.ShardRequest (MarshalBinary)
//	'A' ack     helper → coordinator: the init was taken
//	'R' reply   helper → coordinator: a cluster.ShardReply (MarshalBinary)
//	'E' error   helper → coordinator: a message for people
//	'P' parse   coordinator → helper: a part of a file to parse (dataset.ParsePart's job)
//	'D' parsed  helper → coordinator: the part's columns (dataset.ParsePart's result)
//	'G' suggest coordinator → helper: a k, the options and fit sample of a suggestion of k (suggest.go)
//	'N' score   coordinator → helper: a further k to score on the sample of the last 'G'
//	'V' scores  helper → coordinator: that k's eval.KResult (MarshalBinary)
//
// A reply carries the sequence number of its request; the coordinator drops
// replies to requests it has given up on (a cancelled fit).
package shards

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"sync"

	"github.com/segkit/segkit/core/cluster"
	"github.com/segkit/segkit/core/matrix"
	"github.com/segkit/segkit/internal/lefloat"
)

// Message types.
const (
	msgInit    = 'I'
	msgRekey   = 'K'
	msgRequest = 'Q'
	msgAck     = 'A'
	msgReply   = 'R'
	msgError   = 'E'
)

// MinRowsPerShard is the fewest rows worth a helper: below it the messages
// cost more than the helper saves.
const MinRowsPerShard = 4 * cluster.ShardAlign

// Transport carries the coordinator's messages to helper workers.
type Transport interface {
	// Send posts to helper h (0-based) one message made of the pieces of
	// msg, one after another (a large piece need not be copied into a
	// message first). It must not block, and the pieces may be reused once
	// it returns.
	Send(h int, msg ...[]byte) error
}

// Client is the coordinator's side: a cluster.ShardClient whose first shard
// is in this process and whose others are helpers reached through a
// Transport. Use one Client for one fit at a time.
type Client struct {
	t       Transport
	helpers int // helpers available
	used    int // helpers holding a shard of the current data
	local   *cluster.KMeansShard
	seq     uint32
	loaded  loadedRows // what the helpers hold, to skip sending the same rows again
	// stats are the shards' answers to the last ShardStats request, kept
	// for the next fit on the same rows (local and loaded unchanged).
	stats    []*cluster.ShardReply
	localSum uint64 // hash of the local shard's rows

	mu     sync.Mutex
	queue  []incoming
	signal chan struct{}
}

// loadedRows identifies the rows handed to the helpers: their split and a
// hash of their values (the engine prepares a new matrix for every fit, so
// the pointer says nothing; the same file with the same settings gives the
// same values).
type loadedRows struct {
	rows []int
	cols int
	sum  uint64
}

// hashRows hashes the bits of the values: four interleaved lanes, each a
// multiply, xor and rotate per value, folded together with the length.
// Every step is a bijection of the lane, so values that differ in one
// place always hash differently; it is not meant to resist an adversary,
// only to recognise the same rows again. Under js/wasm it reads 64 MB in
// a few milliseconds, where hash/maphash's 128-bit multiplies take tens.
func hashRows(v []float64) uint64 {
	const prime = 0x100000001b3 // FNV-1a's 64-bit prime
	h := [4]uint64{0xcbf29ce484222325, 0x84222325cbf29ce4, 0x9e3779b97f4a7c15, 0xc2b2ae3d27d4eb4f}
	i := 0
	for ; i+4 <= len(v); i += 4 {
		w := v[i : i+4 : i+4]
		h[0] = bits.RotateLeft64((h[0]^math.Float64bits(w[0]))*prime, 29)
		h[1] = bits.RotateLeft64((h[1]^math.Float64bits(w[1]))*prime, 29)
		h[2] = bits.RotateLeft64((h[2]^math.Float64bits(w[2]))*prime, 29)
		h[3] = bits.RotateLeft64((h[3]^math.Float64bits(w[3]))*prime, 29)
	}
	for t, f := range v[i:] {
		h[t] = bits.RotateLeft64((h[t]^math.Float64bits(f))*prime, 29)
	}
	s := uint64(len(v))
	for _, x := range h {
		s = bits.RotateLeft64((s^x)*prime, 29)
	}
	return s
}

type incoming struct {
	from int
	msg  []byte
}

// NewClient returns a client that can use helpers helper workers through t.
func NewClient(t Transport, helpers int) *Client {
	return &Client{t: t, helpers: max(helpers, 0), signal: make(chan struct{}, 1)}
}

// Deliver hands the client a message that helper h posted. It never blocks,
// so it may be called from a JavaScript event callback.
func (c *Client) Deliver(h int, msg []byte) {
	c.mu.Lock()
	c.queue = append(c.queue, incoming{h, msg})
	c.mu.Unlock()
	select {
	case c.signal <- struct{}{}:
	default:
	}
}

// Split returns how Load would share n rows: the number of rows of each
// shard, the first in this process. Every shard but the last holds a
// multiple of cluster.ShardAlign rows and at least MinRowsPerShard.
func (c *Client) Split(n int) []int {
	shards := min(c.helpers+1, max(n/MinRowsPerShard, 1))
	per := (n + shards - 1) / shards
	per = (per + cluster.ShardAlign - 1) / cluster.ShardAlign * cluster.ShardAlign
	var rows []int
	for left := n; left > 0; left -= per {
		rows = append(rows, min(per, left))
	}
	return rows
}

// Load shares the rows of x for a fit with k clusters: the first shard stays
// here, each other one is copied to a helper. It returns the rows per shard,
// for cluster.KMeans.FitSharded.
func (c *Client) Load(ctx context.Context, x *matrix.Dense, k int) ([]int, error) {
	rows := c.Split(x.Rows)
	d := x.Cols
	part := &matrix.Dense{Rows: rows[0], Cols: d, Data: x.Data[:rows[0]*d]}
	if c.local == nil {
		local, err := cluster.NewKMeansShard(part, 0, k, 1)
		if err != nil {
			return nil, err
		}
		c.local = local
	} else if err := c.local.Reset(part, 0, k); err != nil {
		return nil, err
	}
	c.used = len(rows) - 1
	c.seq++
	held := loadedRows{rows: rows, cols: d, sum: hashRows(x.Data[rows[0]*d : x.Rows*d])}
	localSum := hashRows(x.Data[:rows[0]*d])
	if localSum != c.localSum || !c.holds(held) {
		c.stats = nil
	}
	c.localSum = localSum
	if c.holds(held) {
		// The helpers hold these rows already (a new k or seed on the same
		// data): a new shard on them, not a second copy.
		for h := range rows[1:] {
			msg := binary.AppendUvarint(c.header(msgRekey), uint64(k))
			if err := c.t.Send(h, msg); err != nil {
				return nil, fmt.Errorf("helper %d: %w", h+1, err)
			}
		}
		if _, err := c.collect(ctx, msgAck); err != nil {
			c.loaded = loadedRows{}
			return nil, err
		}
		return rows, nil
	}
	c.loaded = loadedRows{}
	first := rows[0]
	for h, r := range rows[1:] {
		msg := c.header(msgInit)
		msg = binary.AppendUvarint(msg, uint64(first))
		msg = binary.AppendUvarint(msg, uint64(k))
		msg = binary.AppendUvarint(msg, uint64(r))
		msg = binary.AppendUvarint(msg, uint64(d))
		// The rows go as a second piece, straight from x's memory.
		if err := c.t.Send(h, msg, lefloat.Bytes(x.Data[first*d:(first+r)*d])); err != nil {
			return nil, fmt.Errorf("helper %d: %w", h+1, err)
		}
		first += r
	}
	if _, err := c.collect(ctx, msgAck); err != nil {
		return nil, err
	}
	c.loaded = held
	return rows, nil
}

// holds reports whether the helpers hold the rows held describes.
func (c *Client) holds(held loadedRows) bool {
	return slices.Equal(held.rows, c.loaded.rows) && held.cols == c.loaded.cols && held.sum == c.loaded.sum
}

// Do implements cluster.ShardClient: reqs[0] is answered here, the others
// by the helpers, in parallel. The statistics of the rows (ShardStats) are
// asked once for the same rows: a fit on rows already loaded, with a new k
// or seed, gets the last answers again.
func (c *Client) Do(ctx context.Context, reqs []*cluster.ShardRequest) ([]*cluster.ShardReply, error) {
	if c.local == nil || len(reqs) != c.used+1 {
		return nil, fmt.Errorf("shards: %d requests for %d shards (call Load first)", len(reqs), c.used+1)
	}
	stats := reqs[0].Op == cluster.ShardStats
	if stats && c.stats != nil {
		return c.stats, nil
	}
	reps, err := c.do(ctx, reqs)
	if stats && err == nil {
		c.stats = reps
	}
	return reps, err
}

// do is Do without the kept statistics.
func (c *Client) do(ctx context.Context, reqs []*cluster.ShardRequest) ([]*cluster.ShardReply, error) {
	c.seq++
	for h, req := range reqs[1:] {
		body, err := req.MarshalBinary()
		if err != nil {
			return nil, err
		}
		if err := c.t.Send(h, append(c.header(msgRequest), body...)); err != nil {
			return nil, fmt.Errorf("helper %d: %w", h+1, err)
		}
	}
	rep0, err := c.local.Handle(reqs[0])
	if err != nil {
		return nil, err
	}
	bodies, err := c.collect(ctx, msgReply)
	if err != nil {
		return nil, err
	}
	reps := make([]*cluster.ShardReply, len(reqs))
	reps[0] = rep0
	for h, b := range bodies {
		reps[h+1] = new(cluster.ShardReply)
		if err := reps[h+1].UnmarshalBinary(b); err != nil {
			return nil, fmt.Errorf("helper %d: %w", h+1, err)
		}
	}
	return reps, nil
}

// header starts a message of the given type with the current sequence
// number.
func (c *Client) header(typ byte) []byte {
	return binary.LittleEndian.AppendUint32([]byte{typ}, c.seq)
}

// collect waits for one message of type want with the current sequence
// number from every helper in use and returns their payloads by helper. An
// error message from a helper ends the wait with that error.
func (c *Client) collect(ctx context.Context, want byte) ([][]byte, error) {
	got := make([][]byte, c.used)
	left := c.used
	for left > 0 {
		c.mu.Lock()
		queue := c.queue
		c.queue = nil
		c.mu.Unlock()
		for _, in := range queue {
			if len(in.msg) < 5 || in.from < 0 || in.from >= c.used {
				continue
			}
			if binary.LittleEndian.Uint32(in.msg[1:5]) != c.seq {
				continue // the answer to a request given up on
			}
			switch in.msg[0] {
			case msgError:
				return nil, fmt.Errorf("helper %d: %s", in.from+1, in.msg[5:])
			case want:
				if got[in.from] == nil {
					got[in.from] = in.msg[5:]
					left--
				}
			}
		}
		if left == 0 {
			break
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-c.signal:
		}
	}
	return got, nil
}

// Server is a helper worker's side: it holds one shard and answers the
// coordinator.
type Server struct {
	suggestState // the plan of the last suggestion (suggest.go)

	shard *cluster.KMeansShard
	rows  *matrix.Dense // the rows of the last init, for a rekey
	first int
}

// Handle answers one message from the coordinator with the message to post
// back. It never panics.
func (s *Server) Handle(msg []byte) (out []byte) {
	if len(msg) < 5 {
		return append([]byte{msgError, 0, 0, 0, 0}, "a message too short to read"...)
	}
	head := msg[1:5]
	answer := func(typ byte, body []byte) []byte {
		return append(append([]byte{typ}, head...), body...)
	}
	defer func() {
		if p := recover(); p != nil {
			out = answer(msgError, fmt.Appendf(nil, "internal error: %v", p))
		}
	}()
	switch msg[0] {
	case msgInit:
		shard, err := s.init(msg[5:])
		if err != nil {
			return answer(msgError, []byte(err.Error()))
		}
		s.shard = shard
		return answer(msgAck, nil)
	case msgRekey:
		k, n := binary.Uvarint(msg[5:])
		if n <= 0 || n != len(msg)-5 || k == 0 || k > math.MaxInt32 {
			return answer(msgError, []byte("a malformed rekey message"))
		}
		if s.rows == nil {
			return answer(msgError, []byte("a rekey before the rows arrived"))
		}
		if err := s.shard.Reset(s.rows, s.first, int(k)); err != nil {
			return answer(msgError, []byte(err.Error()))
		}
		return answer(msgAck, nil)
	case msgParse:
		return answer(s.parse(msg[5:]))
	case msgRequest:
		if s.shard == nil {
			return answer(msgError, []byte("a request before the rows arrived"))
		}
		var req cluster.ShardRequest
		if err := req.UnmarshalBinary(msg[5:]); err != nil {
			return answer(msgError, []byte(err.Error()))
		}
		rep, err := s.shard.Handle(&req)
		if err != nil {
			return answer(msgError, []byte(err.Error()))
		}
		body, err := rep.MarshalBinary()
		if err != nil {
			return answer(msgError, []byte(err.Error()))
		}
		return answer(msgReply, body)
	case msgSuggest, msgScoreK:
		return answer(s.suggest(msg[0], msg[5:]))
	}
	return answer(msgError, fmt.Appendf(nil, "unknown message type %q", msg[0]))
}

// errInit is wrapped by the errors of a malformed init message.
var errInit = errors.New("malformed init message")

// init reads an init payload into a new shard.
func (s *Server) init(b []byte) (*cluster.KMeansShard, error) {
	var vals [4]uint64
	for i := range vals {
		v, n := binary.Uvarint(b)
		if n <= 0 || v > math.MaxInt32*64 {
			return nil, fmt.Errorf("%w: field %d", errInit, i+1)
		}
		vals[i], b = v, b[n:]
	}
	first, k, rows, cols := int(vals[0]), int(vals[1]), int(vals[2]), int(vals[3])
	if rows <= 0 || cols <= 0 || uint64(len(b)) != uint64(rows)*uint64(cols)*8 {
		return nil, fmt.Errorf("%w: %d×%d rows in %d bytes", errInit, rows, cols, len(b))
	}
	data := make([]float64, rows*cols)
	lefloat.Decode(data, b)
	m := &matrix.Dense{Rows: rows, Cols: cols, Data: data}
	shard := s.shard
	if shard == nil {
		var err error
		if shard, err = cluster.NewKMeansShard(m, first, k, 1); err != nil {
			return nil, err
		}
	} else if err := shard.Reset(m, first, k); err != nil {
		return nil, err
	}
	s.rows, s.first = m, first
	return shard, nil
}
