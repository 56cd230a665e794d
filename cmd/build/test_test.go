package main

import (
	"reflect"
	"testing"
)

func TestForbiddenImports(t *testing.T) {
	tests := []struct {
		listing string
		want    []string
	}{
		{"github.com/segkit/segkit/core/matrix fmt math\n", nil},
		{"github.com/segkit/segkit/core/x fmt syscall/js\n", []string{"github.com/segkit/segkit/core/x imports syscall/js"}},
		{"example.com/dep github.com/vugu/vugu\n\n", []string{"example.com/dep imports github.com/vugu/vugu"}},
		{"github.com/segkit/segkit/core/x syscall/jsx\n", nil},
		{"github.com/segkit/segkit/core/x\n", nil},
	}
	for _, tt := range tests {
		if got := forbiddenImports(tt.listing); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("forbiddenImports(%q) = %q, want %q", tt.listing, got, tt.want)
		}
	}
}
