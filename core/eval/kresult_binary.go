package eval

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/segkit/segkit/internal/lefloat"
)

// ErrMalformed reports bytes that UnmarshalBinary cannot read.
var ErrMalformed = errors.New("eval: malformed binary result")

// maxKResultCount bounds K and the numbers of reference sets and stability
// pairs of a KResult in binary form.
const maxKResultCount = 1 << 20

// MarshalBinary encodes r as 64-bit little-endian words: K, the number of
// RefLogW values, the number of PairARI values and 1 when BIC and AIC are
// set (else 0); then the bits of the float64s Inertia, Silhouette,
// CalinskiHarabasz, DaviesBouldin, LogW, BIC and AIC when set, RefLogW and
// PairARI. Every float64 is carried bit for bit.
func (r *KResult) MarshalBinary() ([]byte, error) {
	crit := 0
	vals := []float64{r.Inertia, r.Silhouette, r.CalinskiHarabasz, r.DaviesBouldin, r.LogW}
	if r.BIC != nil && r.AIC != nil {
		crit = 1
		vals = append(vals, *r.BIC, *r.AIC)
	}
	if r.K < 0 || r.K > maxKResultCount || len(r.RefLogW) > maxKResultCount || len(r.PairARI) > maxKResultCount || (r.BIC == nil) != (r.AIC == nil) {
		return nil, fmt.Errorf("eval: the KResult of k = %d cannot be encoded (k or a count out of range, or BIC without AIC): %w", r.K, ErrInvalidInput)
	}
	b := make([]byte, 0, 8*(4+len(vals)+len(r.RefLogW)+len(r.PairARI)))
	for _, n := range []int{r.K, len(r.RefLogW), len(r.PairARI), crit} {
		b = binary.LittleEndian.AppendUint64(b, uint64(n))
	}
	for _, vs := range [][]float64{vals, r.RefLogW, r.PairARI} {
		b = lefloat.Append(b, vs)
	}
	return b, nil
}

// UnmarshalBinary decodes what MarshalBinary encoded into r. Errors wrap
// ErrMalformed and say what does not fit.
func (r *KResult) UnmarshalBinary(b []byte) error {
	w := make([]uint64, len(b)/8)
	for i := range w {
		w[i] = binary.LittleEndian.Uint64(b[8*i:])
	}
	if len(b)%8 != 0 || len(w) < 4 || w[0] > maxKResultCount || w[1] > maxKResultCount || w[2] > maxKResultCount || w[3] > 1 ||
		uint64(len(w)) != 9+2*w[3]+w[1]+w[2] {
		return fmt.Errorf("%w: %d bytes do not hold a header (k, counts of references and pairs, criterion flag) and the values it announces", ErrMalformed, len(b))
	}
	vals := make([]float64, len(w)-4)
	for i := range vals {
		vals[i] = math.Float64frombits(w[4+i])
	}
	refs, pairs := int(w[1]), int(w[2])
	out := KResult{K: int(w[0]), Inertia: vals[0], Silhouette: vals[1], CalinskiHarabasz: vals[2], DaviesBouldin: vals[3], LogW: vals[4]}
	vals = vals[5:]
	if w[3] == 1 {
		out.BIC, out.AIC = &vals[0], &vals[1]
		vals = vals[2:]
	}
	if refs > 0 {
		out.RefLogW = vals[:refs:refs]
	}
	if pairs > 0 {
		out.PairARI = vals[refs:]
	}
	*r = out
	return nil
}
