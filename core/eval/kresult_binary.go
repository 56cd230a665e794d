package eval

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// ErrMalformed reports bytes that UnmarshalBinary cannot read.
var ErrMalformed = errors.New("eval: malformed binary result")

// kresultHasCriterion flags a KResult with BIC and AIC.
const kresultHasCriterion = 1

// maxKResultCount bounds the reference sets and stability pairs a decoded
// KResult may hold.
const maxKResultCount = 1 << 20

// MarshalBinary encodes r: K as a varint, Inertia, Silhouette,
// CalinskiHarabasz and DaviesBouldin as float64 bits (little-endian), a
// flag byte (1: BIC and AIC follow), LogW, then the count and values of
// RefLogW and of PairARI. Every float64 is carried bit for bit.
func (r *KResult) MarshalBinary() ([]byte, error) {
	if r.K < 0 || len(r.RefLogW) > maxKResultCount || len(r.PairARI) > maxKResultCount || (r.BIC == nil) != (r.AIC == nil) {
		return nil, fmt.Errorf("eval: KResult for k = %d with %d references, %d pairs and BIC set %v, AIC set %v cannot be encoded: %w",
			r.K, len(r.RefLogW), len(r.PairARI), r.BIC != nil, r.AIC != nil, ErrInvalidInput)
	}
	b := make([]byte, 0, 64+8*(len(r.RefLogW)+len(r.PairARI)))
	b = binary.AppendUvarint(b, uint64(r.K))
	for _, v := range []float64{r.Inertia, r.Silhouette, r.CalinskiHarabasz, r.DaviesBouldin} {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
	}
	if r.BIC != nil {
		b = append(b, kresultHasCriterion)
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(*r.BIC))
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(*r.AIC))
	} else {
		b = append(b, 0)
	}
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(r.LogW))
	for _, vs := range [][]float64{r.RefLogW, r.PairARI} {
		b = binary.AppendUvarint(b, uint64(len(vs)))
		for _, v := range vs {
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
		}
	}
	return b, nil
}

// UnmarshalBinary decodes what MarshalBinary encoded into r. Errors wrap
// ErrMalformed and name the field that could not be read.
func (r *KResult) UnmarshalBinary(b []byte) error {
	d := decoder{b: b}
	var out KResult
	out.K = d.count("k", math.MaxInt32)
	out.Inertia = d.float("inertia")
	out.Silhouette = d.float("silhouette")
	out.CalinskiHarabasz = d.float("calinski_harabasz")
	out.DaviesBouldin = d.float("davies_bouldin")
	switch flag := d.byte("flags"); {
	case d.err != nil:
	case flag == kresultHasCriterion:
		bic, aic := d.float("bic"), d.float("aic")
		out.BIC, out.AIC = &bic, &aic
	case flag != 0:
		d.fail("flags", fmt.Sprintf("unknown flags %#x", flag))
	}
	out.LogW = d.float("log_w")
	out.RefLogW = d.floats("ref_log_w")
	out.PairARI = d.floats("pair_ari")
	if d.err == nil && len(d.b) > 0 {
		d.fail("end", fmt.Sprintf("%d bytes left over", len(d.b)))
	}
	if d.err != nil {
		return d.err
	}
	*r = out
	return nil
}

// decoder reads the fields of a binary KResult; the first error sticks and
// later reads return zero values.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) fail(field, why string) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: field %s: %s", ErrMalformed, field, why)
	}
}

// count reads a varint of at most limit.
func (d *decoder) count(field string, limit uint64) int {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	switch {
	case n <= 0:
		d.fail(field, "not a varint")
		return 0
	case v > limit:
		d.fail(field, fmt.Sprintf("%d is more than %d", v, limit))
		return 0
	}
	d.b = d.b[n:]
	return int(v)
}

func (d *decoder) byte(field string) byte {
	if d.err != nil {
		return 0
	}
	if len(d.b) < 1 {
		d.fail(field, "missing")
		return 0
	}
	v := d.b[0]
	d.b = d.b[1:]
	return v
}

func (d *decoder) float(field string) float64 {
	if d.err != nil {
		return 0
	}
	if len(d.b) < 8 {
		d.fail(field, fmt.Sprintf("%d bytes, want 8", len(d.b)))
		return 0
	}
	v := math.Float64frombits(binary.LittleEndian.Uint64(d.b))
	d.b = d.b[8:]
	return v
}

// floats reads a count and that many float64s; nil for a count of 0.
func (d *decoder) floats(field string) []float64 {
	n := d.count(field+" count", maxKResultCount)
	if d.err != nil || n == 0 {
		return nil
	}
	if len(d.b) < 8*n {
		d.fail(field, fmt.Sprintf("%d values in %d bytes", n, len(d.b)))
		return nil
	}
	out := make([]float64, n)
	for i := range out {
		out[i] = math.Float64frombits(binary.LittleEndian.Uint64(d.b[8*i:]))
	}
	d.b = d.b[8*n:]
	return out
}
