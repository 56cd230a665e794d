package cluster

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/segkit/segkit/internal/lefloat"
)

// The binary form of ShardRequest and ShardReply: what crosses between Web
// Workers on every k-means iteration, so it is compact and exact (a float64
// travels as its 8 bytes, so NaN and every last bit survive, unlike JSON).
// A message is a version byte, a kind byte ('Q' request, 'R' reply), then
// the fields in a fixed order: integers as zig-zag varints, float64 as 8
// bytes little-endian, slices as a uvarint length then the elements, bools
// as one byte of flags.
const (
	shardCodecVersion = 1
	kindRequest       = 'Q'
	kindReply         = 'R'
)

// errShardCodec is wrapped by every decoding error.
var errShardCodec = errors.New("malformed shard message")

// shardEncoder appends fields to a buffer.
type shardEncoder struct{ b []byte }

func (e *shardEncoder) int(v int) { e.b = binary.AppendVarint(e.b, int64(v)) }
func (e *shardEncoder) float(v float64) {
	e.b = binary.LittleEndian.AppendUint64(e.b, math.Float64bits(v))
}
func (e *shardEncoder) str(s string) {
	e.b = binary.AppendUvarint(e.b, uint64(len(s)))
	e.b = append(e.b, s...)
}
func (e *shardEncoder) byte(v byte) { e.b = append(e.b, v) }
func (e *shardEncoder) floats(v []float64) {
	e.b = binary.AppendUvarint(e.b, uint64(len(v)))
	e.b = lefloat.Append(e.b, v)
}
func (e *shardEncoder) ints(v []int) {
	e.b = binary.AppendUvarint(e.b, uint64(len(v)))
	for _, i := range v {
		e.int(i)
	}
}

// shardDecoder reads fields; the first error sticks and later reads return
// zero values.
type shardDecoder struct {
	b   []byte
	err error
}

func (d *shardDecoder) fail(what string) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: %s at %d bytes from the end", errShardCodec, what, len(d.b))
	}
}

func (d *shardDecoder) int() int {
	v, n := binary.Varint(d.b)
	if n <= 0 || v != int64(int(v)) {
		d.fail("bad integer")
		return 0
	}
	d.b = d.b[n:]
	return int(v)
}

func (d *shardDecoder) float() float64 {
	if len(d.b) < 8 {
		d.fail("short float")
		return 0
	}
	v := math.Float64frombits(binary.LittleEndian.Uint64(d.b))
	d.b = d.b[8:]
	return v
}

func (d *shardDecoder) byte() byte {
	if len(d.b) < 1 {
		d.fail("short byte")
		return 0
	}
	v := d.b[0]
	d.b = d.b[1:]
	return v
}

// length reads a slice length that needs at least min bytes per element.
func (d *shardDecoder) length(minBytes int) int {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail("bad length")
		return 0
	}
	d.b = d.b[n:]
	if v > uint64(len(d.b)/minBytes) {
		d.fail("length beyond the message")
		return 0
	}
	return int(v)
}

func (d *shardDecoder) str() string {
	n := d.length(1)
	if d.err != nil {
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}

func (d *shardDecoder) floats() []float64 {
	n := d.length(8)
	if d.err != nil || n == 0 {
		return nil
	}
	v := make([]float64, n)
	lefloat.Decode(v, d.b)
	d.b = d.b[8*n:]
	return v
}

func (d *shardDecoder) ints() []int {
	n := d.length(1)
	if d.err != nil || n == 0 {
		return nil
	}
	v := make([]int, n)
	for i := range v {
		v[i] = d.int()
	}
	if d.err != nil {
		return nil
	}
	return v
}

// header checks the version and kind.
func (d *shardDecoder) header(kind byte) {
	if v := d.byte(); d.err == nil && v != shardCodecVersion {
		d.err = fmt.Errorf("%w: version %d, want %d", errShardCodec, v, shardCodecVersion)
	}
	if k := d.byte(); d.err == nil && k != kind {
		d.err = fmt.Errorf("%w: kind %q, want %q", errShardCodec, k, kind)
	}
}

// end fails unless every byte was read.
func (d *shardDecoder) end() error {
	if d.err == nil && len(d.b) != 0 {
		d.fail("trailing bytes")
	}
	return d.err
}

func flags(bs ...bool) byte {
	var f byte
	for i, b := range bs {
		if b {
			f |= 1 << i
		}
	}
	return f
}

// MarshalBinary encodes the request (see the package's shard codec).
func (r *ShardRequest) MarshalBinary() ([]byte, error) {
	e := shardEncoder{b: make([]byte, 0, 64+8*(len(r.Centers)+len(r.CentersT)+len(r.Cand)))}
	e.byte(shardCodecVersion)
	e.byte(kindRequest)
	e.str(string(r.Op))
	e.b = binary.AppendUvarint(e.b, uint64(len(r.Targets)))
	for _, t := range r.Targets {
		e.int(t.Chunk)
		e.float(t.Offset)
		e.float(t.Target)
		e.int(t.Row)
	}
	e.byte(flags(r.NewRound, r.First, r.Accumulate, r.Full, r.Exact))
	e.int(r.Pending)
	e.int(r.PendingCand)
	e.floats(r.Center)
	e.floats(r.Cand)
	e.floats(r.CCMin)
	e.floats(r.Centers)
	e.floats(r.CentersT)
	e.floats(r.Half)
	e.floats(r.Shift)
	e.float(r.MaxShift)
	e.float(r.Shift2)
	e.int(r.MaxShiftIdx)
	e.int(r.M)
	return e.b, nil
}

// UnmarshalBinary decodes a request made by MarshalBinary; anything else is
// an error, never a panic.
func (r *ShardRequest) UnmarshalBinary(b []byte) error {
	d := shardDecoder{b: b}
	d.header(kindRequest)
	*r = ShardRequest{Op: ShardOp(d.str())}
	if n := d.length(1 + 8 + 8 + 1); d.err == nil && n > 0 {
		r.Targets = make([]ShardTarget, n)
		for i := range r.Targets {
			r.Targets[i] = ShardTarget{Chunk: d.int(), Offset: d.float(), Target: d.float(), Row: d.int()}
		}
	}
	f := d.byte()
	r.NewRound, r.First, r.Accumulate, r.Full, r.Exact = f&1 != 0, f&2 != 0, f&4 != 0, f&8 != 0, f&16 != 0
	r.Pending = d.int()
	r.PendingCand = d.int()
	r.Center = d.floats()
	r.Cand = d.floats()
	r.CCMin = d.floats()
	r.Centers = d.floats()
	r.CentersT = d.floats()
	r.Half = d.floats()
	r.Shift = d.floats()
	r.MaxShift = d.float()
	r.Shift2 = d.float()
	r.MaxShiftIdx = d.int()
	r.M = d.int()
	if f&^31 != 0 {
		d.fail("unknown flags")
	}
	return d.end()
}

// MarshalBinary encodes the reply (see the package's shard codec).
func (r *ShardReply) MarshalBinary() ([]byte, error) {
	e := shardEncoder{b: make([]byte, 0, 64+8*(len(r.Sums)+len(r.Pot)+len(r.Inertia)+len(r.RowData)+len(r.Mean)+len(r.M2))+2*(len(r.Labels)+len(r.Counts)))}
	e.byte(shardCodecVersion)
	e.byte(kindReply)
	e.int(r.BadRow)
	e.int(r.BadCol)
	e.float(r.BadValue)
	e.floats(r.Mean)
	e.floats(r.M2)
	e.ints(r.Rows)
	e.floats(r.RowData)
	e.floats(r.FarDist)
	e.floats(r.Pot)
	e.ints(r.Changed)
	e.floats(r.Inertia)
	e.floats(r.Sums)
	e.ints(r.Counts)
	e.ints(r.Labels)
	return e.b, nil
}

// UnmarshalBinary decodes a reply made by MarshalBinary; anything else is an
// error, never a panic.
func (r *ShardReply) UnmarshalBinary(b []byte) error {
	d := shardDecoder{b: b}
	d.header(kindReply)
	*r = ShardReply{BadRow: d.int(), BadCol: d.int(), BadValue: d.float()}
	r.Mean = d.floats()
	r.M2 = d.floats()
	r.Rows = d.ints()
	r.RowData = d.floats()
	r.FarDist = d.floats()
	r.Pot = d.floats()
	r.Changed = d.ints()
	r.Inertia = d.floats()
	r.Sums = d.floats()
	r.Counts = d.ints()
	r.Labels = d.ints()
	return d.end()
}
