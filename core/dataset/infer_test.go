package dataset

import (
	"strings"
	"testing"
)

func TestNameWords(t *testing.T) {
	tests := map[string]string{
		"Annual Income (k$)":     "annual income k",
		"CustomerID":             "customer id",
		"invoice_date":           "invoice date",
		"Spending Score (1-100)": "spending score 1 100",
		"ZIPCode":                "zipcode",
		"customer2Name":          "customer2 name",
		"Age":                    "age",
		"  ":                     "",
		"Année":                  "année",
	}
	for in, want := range tests {
		if got := strings.Join(NameWords(in), " "); got != want {
			t.Errorf("NameWords(%q) = %q, want %q", in, got, want)
		}
	}
}
