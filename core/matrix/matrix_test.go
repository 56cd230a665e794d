package matrix

import "testing"

func TestFromRows(t *testing.T) {
	tests := []struct {
		name    string
		rows    [][]float64
		wantErr bool
	}{
		{"empty", nil, false},
		{"square", [][]float64{{1, 2}, {3, 4}}, false},
		{"ragged", [][]float64{{1, 2}, {3}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := FromRows(tt.rows)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			for i, r := range tt.rows {
				for j, v := range r {
					if m.At(i, j) != v || m.Row(i)[j] != v {
						t.Errorf("(%d,%d) = %v, want %v", i, j, m.At(i, j), v)
					}
				}
			}
		})
	}
}

func TestRowSharesMemory(t *testing.T) {
	m := New(2, 3)
	m.Row(1)[2] = 7
	if m.At(1, 2) != 7 {
		t.Fatalf("Row does not share memory with the matrix")
	}
	if cap(m.Row(0)) != 3 {
		t.Fatalf("Row capacity %d lets appends overwrite the next row", cap(m.Row(0)))
	}
}
