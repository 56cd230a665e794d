//go:build !amd64 || purego

package cluster

// useAVX2 is false where there are no assembly kernels; the pure-Go loops
// run.
const useAVX2 = false

func nearest2RowsAVX2(x, ct []float64, d, groups int, xo, best []int, d1, d2 []float64) {
	panic("cluster: nearest2RowsAVX2 without assembly kernels")
}

func dist4RowsAVX2(x, ct []float64, d int, xo []int, out []float64) {
	panic("cluster: dist4RowsAVX2 without assembly kernels")
}

func sqdistRowsAVX2(x, cs []float64, d int, xo, co []int, out []float64) {
	panic("cluster: sqdistRowsAVX2 without assembly kernels")
}
