// Package synth generates the seeded synthetic data sets that benchmarks and
// the peer comparisons share, so segkit and scikit-learn see the same bytes.
package synth

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strconv"

	"github.com/segkit/segkit/core/matrix"
)

// Blobs returns n points in d dimensions drawn around k centres, with the
// true centre index of each point. Centres are uniform in [-spread, spread]^d
// and each point adds unit-variance Gaussian noise, so with spread = 4 in 8-D
// the clusters overlap and k-means needs about a dozen iterations. The output
// depends only on the arguments.
func Blobs(n, d, k int, spread float64, seed uint64) (*matrix.Dense, []int) {
	rng := rand.New(rand.NewPCG(seed, 0x5e6c17))
	centres := make([]float64, k*d)
	for i := range centres {
		centres[i] = (rng.Float64()*2 - 1) * spread
	}
	x := matrix.New(n, d)
	labels := make([]int, n)
	for i := range n {
		c := rng.IntN(k)
		labels[i] = c
		row := x.Row(i)
		for j := range row {
			row[j] = centres[c*d+j] + rng.NormFloat64()
		}
	}
	return x, labels
}

// WriteFloat64 writes the matrix as raw little-endian float64 values, row by
// row — the format numpy.fromfile(path, dtype="<f8") reads.
func WriteFloat64(w io.Writer, x *matrix.Dense) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	buf := make([]byte, 8)
	for _, v := range x.Data {
		binary.LittleEndian.PutUint64(buf, math.Float64bits(v))
		if _, err := bw.Write(buf); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// WriteCSV writes the matrix as a CSV file with a header x1..xd and an id
// column first, the shape of a typical numeric customer export.
func WriteCSV(w io.Writer, x *matrix.Dense) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	bw.WriteString("id")
	for j := range x.Cols {
		fmt.Fprintf(bw, ",x%d", j+1)
	}
	bw.WriteByte('\n')
	var num []byte
	for i := range x.Rows {
		num = strconv.AppendInt(num[:0], int64(i+1), 10)
		bw.Write(num)
		for _, v := range x.Row(i) {
			bw.WriteByte(',')
			num = strconv.AppendFloat(num[:0], v, 'f', 6, 64)
			bw.Write(num)
		}
		if err := bw.WriteByte('\n'); err != nil {
			return err
		}
	}
	return bw.Flush()
}
