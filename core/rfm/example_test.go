package rfm_test

import (
	"fmt"
	"os"
	"strings"

	"github.com/segkit/segkit/core/dataset"
	"github.com/segkit/segkit/core/rfm"
)

func Example() {
	log := `Invoice,Customer,Date,Quantity,Price
1001,A,2024-01-01 10:00,2,5.00
1002,A,2024-01-01 15:00,1,7.00
C1003,A,2024-01-05 09:00,-1,5.00
1004,B,2024-01-03 12:00,4,2.50
1005,,2024-01-04 08:00,1,100
1006,C,2024-01-09 00:00,1,20
`
	t, err := dataset.Read(strings.NewReader(log), dataset.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := rfm.Compute(t, rfm.Spec{Customer: "Customer", Date: "Date", Quantity: "Quantity", Price: "Price", Invoice: "Invoice"})
	if err != nil {
		fmt.Println(err)
		return
	}
	r := res.Report
	fmt.Printf("reference %s, %d customers, %d rows without customer, %d cancellation\n",
		r.Reference.Format("2006-01-02"), r.Customers, r.NoCustomer, r.Cancellations)
	if err := res.WriteCSV(os.Stdout); err != nil {
		fmt.Println(err)
	}
	// Output:
	// reference 2024-01-10, 3 customers, 1 rows without customer, 1 cancellation
	// customer,recency,frequency,monetary,tenure,average_order,r_score,f_score,m_score,rfm_score,segment_name
	// A,8.375,2,12,8.58333333333,6,1,5,3,153,Can't Lose Them
	// B,6.5,1,10,6.5,10,3,1,1,311,About To Sleep
	// C,1,1,20,1,20,5,1,5,515,Loyal Customers
}

func ExampleSegment() {
	fmt.Println(rfm.Segment(5, 4, 5))
	fmt.Println(rfm.Segment(5, 1, 1))
	fmt.Println(rfm.Segment(1, 5, 4))
	// Output:
	// Champions
	// New Customers
	// Can't Lose Them
}

func ExampleQuintiles() {
	// Six customers with one order share the lowest score; ties never split.
	fmt.Println(rfm.Quintiles([]float64{1, 1, 1, 1, 1, 1, 2, 3, 3, 9}))
	// Output:
	// [1 1 1 1 1 1 4 4 4 5]
}
