package dataset

import (
	"bytes"
	"math/rand/v2"
	"strconv"
	"sync"
	"testing"
)

// genNumericCSV writes a deterministic CSV with a header, an integer id
// column and cols float columns of mixed magnitudes, about rows lines.
func genNumericCSV(rows, cols int) []byte {
	rng := rand.New(rand.NewPCG(1, 2))
	var b bytes.Buffer
	b.WriteString("id")
	for j := 0; j < cols; j++ {
		b.WriteString(",x")
		b.WriteString(strconv.Itoa(j + 1))
	}
	b.WriteByte('\n')
	buf := make([]byte, 0, 64)
	for i := 0; i < rows; i++ {
		buf = strconv.AppendInt(buf[:0], int64(i+1), 10)
		b.Write(buf)
		for j := 0; j < cols; j++ {
			b.WriteByte(',')
			v := rng.NormFloat64() * float64(int(1)<<(j*3%20))
			buf = strconv.AppendFloat(buf[:0], v, 'f', 2+j%5, 64)
			b.Write(buf)
		}
		b.WriteByte('\n')
	}
	return b.Bytes()
}

var (
	bigOnce sync.Once
	bigCSV  []byte
)

// big100MB returns a ~100 MB numeric CSV (id + 8 floats), generated once.
func big100MB() []byte {
	bigOnce.Do(func() { bigCSV = genNumericCSV(1_250_000, 8) })
	return bigCSV
}

func benchRead(b *testing.B, data []byte) {
	b.Helper()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		t, err := Read(bytes.NewReader(data), Options{})
		if err != nil {
			b.Fatal(err)
		}
		if t.Rows == 0 {
			b.Fatal("no rows")
		}
	}
}

// BenchmarkRead reads a generated ~100 MB CSV (an id and 8 float columns).
func BenchmarkRead(b *testing.B) { benchRead(b, big100MB()) }

func BenchmarkReadRows1e3(b *testing.B) { benchRead(b, genNumericCSV(1e3, 8)) }
func BenchmarkReadRows1e4(b *testing.B) { benchRead(b, genNumericCSV(1e4, 8)) }
func BenchmarkReadRows1e5(b *testing.B) { benchRead(b, genNumericCSV(1e5, 8)) }
func BenchmarkReadRows1e6(b *testing.B) { benchRead(b, genNumericCSV(1e6, 8)) }

// BenchmarkReaderNext measures the record API (strings per field).
func BenchmarkReaderNext(b *testing.B) {
	data := genNumericCSV(1e5, 8)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		r, err := NewReader(bytes.NewReader(data), Options{})
		if err != nil {
			b.Fatal(err)
		}
		for {
			if _, err := r.Next(); err != nil {
				break
			}
		}
	}
}

// BenchmarkReadSerial is BenchmarkRead without the two-goroutine pipeline
// (how js/wasm, with one thread, reads).
func BenchmarkReadSerial(b *testing.B) {
	forceSerial = true
	defer func() { forceSerial = false }()
	benchRead(b, big100MB())
}

// serialParts parses ReadSplit's other parts one after another when their
// results are awaited: the work a helper worker does, on this thread.
type serialParts struct{}

func (serialParts) Start(jobs []PartJob) (func() ([][]byte, error), error) {
	return func() ([][]byte, error) {
		outs := make([][]byte, len(jobs))
		for i, job := range jobs {
			out, err := ParsePart(job.Head, job.Data)
			if err != nil {
				return nil, err
			}
			outs[i] = out
		}
		return outs, nil
	}, nil
}

func benchSplit(b *testing.B, parts int, pp PartParser) {
	data := big100MB()
	forceSerial = true
	defer func() { forceSerial = false }()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		t, joined, err := readSplit(data, Options{}, parts, pp)
		if err != nil || !joined || t.Rows != 1_250_000 {
			b.Fatalf("joined %v, err %v", joined, err)
		}
	}
}

// BenchmarkReadSplitOneThread is ReadSplit in two parts with both parsed on
// this thread: against BenchmarkReadSerial, what cutting, encoding, copying
// and joining the second part cost.
func BenchmarkReadSplitOneThread(b *testing.B) { benchSplit(b, 2, serialParts{}) }

// BenchmarkReadSplit is ReadSplit in two parts, the second on another
// goroutine, as the page parses with one helper worker on two cores.
func BenchmarkReadSplit(b *testing.B) { benchSplit(b, 2, &goParts{}) }
