package dataset_test

import (
	"fmt"
	"strings"

	"github.com/segkit/segkit/core/dataset"
)

func Example() {
	const file = "CustomerID;Gender;Age;Income;Joined\r\n" +
		"0001;Male;19;15,000.50;01/12/2010\r\n" +
		"0002;Female;NA;16,250.00;20/12/2010\r\n" +
		"0003;Female;20;;05/01/2011\r\n"

	t, err := dataset.Read(strings.NewReader(file), dataset.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	f := t.Format
	fmt.Printf("%d rows, delimiter %q, header %v, %s, %s\n", t.Rows, f.Delimiter, f.Header, f.Encoding, f.LineEnding)
	for _, c := range t.Columns {
		fmt.Printf("%-10s %-12s missing=%d first=%q", c.Name, c.Kind, c.Missing, c.Text(0))
		if c.Kind == dataset.KindDate {
			fmt.Printf(" layout=%q", c.DateLayout)
		}
		fmt.Println()
	}
	// Output:
	// 3 rows, delimiter ';', header true, utf-8, CRLF
	// CustomerID identifier   missing=0 first="0001"
	// Gender     categorical  missing=0 first="Male"
	// Age        integer      missing=1 first="19"
	// Income     float        missing=1 first="15000.5"
	// Joined     date         missing=0 first="01/12/2010" layout="02/01/2006"
}

func ExampleReader() {
	const file = "name,note\n\"Smith, J\",\"two\nlines\"\nLee,ok\n"
	r, err := dataset.NewReader(strings.NewReader(file), dataset.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Header())
	for {
		rec, err := r.Next()
		if err != nil {
			break // io.EOF at the end
		}
		fmt.Printf("line %d: %q\n", r.Line(), rec)
	}
	// Output:
	// [name note]
	// line 2: ["Smith, J" "two\nlines"]
	// line 4: ["Lee" "ok"]
}

func ExampleParseNumber() {
	for _, s := range []string{"1,234,567.5", "-2e3", "1,234", "NA"} {
		v, ok := dataset.ParseNumber(s)
		fmt.Println(s, v, ok)
	}
	// Output:
	// 1,234,567.5 1.2345675e+06 true
	// -2e3 -2000 true
	// 1,234 0 false
	// NA 0 false
}
