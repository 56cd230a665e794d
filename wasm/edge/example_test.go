package edge_test

import (
	"fmt"
	"net/http/httptest"
	"os"

	"github.com/segkit/segkit/core/model"
	"github.com/segkit/segkit/wasm/edge"
)

func ExampleNew() {
	f, err := os.Open("testdata/example-model.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	m, err := model.Load(f)
	if err != nil {
		fmt.Println(err)
		return
	}
	h, err := edge.New(m, edge.Options{AllowedOrigins: []string{"https://shop.example"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/health", nil))
	fmt.Print(w.Code, " ", w.Body)
	// Output: 200 {"status":"ok","model":"4df47b794e8cc374"}
}
