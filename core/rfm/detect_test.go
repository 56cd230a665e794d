package rfm

import (
	"strings"
	"testing"

	"github.com/segkit/segkit/core/dataset"
	"github.com/segkit/segkit/internal/shareddata"
)

func TestDetect(t *testing.T) {
	tests := []struct {
		name string
		csv  string
		want Spec
	}{
		{"quantity and price", smallLog, Spec{Customer: "Customer", Date: "Date", Invoice: "Invoice", Quantity: "Quantity", Price: "Price"}},
		{"amount, snake case", "order_id,client_id,order_date,amount_eur\no1,c1,2024-01-01,10\no2,c2,2024-01-02,12.5\no3,c1,2024-01-09,3\n",
			Spec{Customer: "client_id", Date: "order_date", Invoice: "order_id", Amount: "amount_eur"}},
		{"camel case, no invoice", "MemberNo,PurchasedOn,TotalSpent\n1,2024-01-01,10\n2,2024-02-01,20\n1,2024-03-01,5\n",
			Spec{Customer: "MemberNo", Date: "PurchasedOn", Amount: "TotalSpent"}},
		{"quantity without price falls back to an amount", "customer,date,qty,revenue\na,2024-01-01,1,9\nb,2024-01-02,2,8\na,2024-01-03,1,7\n",
			Spec{Customer: "customer", Date: "date", Amount: "revenue"}},
		{"nothing to find", "x,y\n1,2\n3,4\n", Spec{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab, err := dataset.Read(strings.NewReader(tt.csv), dataset.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got := Detect(tab); got != tt.want {
				t.Errorf("Detect = %+v, want %+v", got, tt.want)
			}
		})
	}
}

// The UCI online-retail log: its columns as its documentation names them.
func TestDetectOnlineRetail(t *testing.T) {
	tab, err := dataset.ReadFile(shareddata.Path(t, "online_retail_head.csv"), dataset.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := Spec{Customer: "CustomerID", Date: "InvoiceDate", Invoice: "InvoiceNo", Quantity: "Quantity", Price: "UnitPrice"}
	if got := Detect(tab); got != want {
		t.Errorf("Detect = %+v, want %+v", got, want)
	}
}

func TestSplitWords(t *testing.T) {
	for name, want := range map[string]string{"CustomerID": "customer id", "customer_id": "customer id", "Unit Price (£)": "unit price", "InvoiceNo": "invoice no"} {
		if got := strings.Join(dataset.NameWords(name), " "); got != want {
			t.Errorf("NameWords(%q) = %q, want %q", name, got, want)
		}
	}
}
