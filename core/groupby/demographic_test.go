package groupby

import (
	"os"
	"slices"
	"testing"

	"github.com/segkit/segkit/core/dataset"
	"github.com/segkit/segkit/internal/shareddata"
)

func TestDemographicAndPlaces(t *testing.T) {
	tests := []struct {
		name, csv          string
		demographic, place []string
	}{
		{"mall", "CustomerID,Genre,Age,Annual Income (k$),Spending Score (1-100)\n0001,Male,19,15,39\n0002,Female,21,15,81\n0003,Female,20,16,6\n",
			[]string{"Genre", "Age", "Annual Income (k$)"}, nil},
		{"words, not substrings", "average,page,sexton,agent,image\n1,2,3,4,5\n2,3,4,5,6\n", nil, nil},
		{"marketing words", "ID\tYear_Birth\tEducation\tMarital_Status\tIncome\tKidhome\tTeenhome\tDt_Customer\n" +
			"1\t1957\tGraduation\tSingle\t58138\t0\t0\t04-09-2012\n2\t1954\tPhD\tMarried\t46344\t1\t1\t08-03-2014\n3\t1965\tGraduation\tTogether\t71613\t0\t0\t21-08-2013\n",
			[]string{"Year_Birth", "Education", "Marital_Status", "Income", "Kidhome", "Teenhome"}, nil},
		{"places", "store,Region,country,zip_code,lat,Market Area,Sales\nA,North,UK,SW1A 1AA,51.5,1,10\nB,South,UK,EC1 4XY,51.4,2,20\nC,North,FR,75001,48.8,1,30\n",
			nil, []string{"Region", "country", "zip_code", "Market Area"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab := readString(t, tt.csv)
			if got := Demographic(tab); !slices.Equal(got, tt.demographic) {
				t.Errorf("Demographic = %q, want %q", got, tt.demographic)
			}
			if got := Places(tab); !slices.Equal(got, tt.place) {
				t.Errorf("Places = %q, want %q", got, tt.place)
			}
		})
	}
}

// TestDemographicSharedData: the demographic columns of the shared customer
// files, as their documentation describes them (IBM's telco data: "gender,
// age range, and if they have partners and dependents").
func TestDemographicSharedData(t *testing.T) {
	tests := []struct {
		file        string
		demographic []string
		place       []string
	}{
		{"Mall_Customers.csv", []string{"Genre", "Age", "Annual Income (k$)"}, nil},
		{"Wholesale customers data.csv", nil, []string{"Region"}},
		{"marketing_campaign.csv", []string{"Year_Birth", "Education", "Marital_Status", "Income", "Kidhome", "Teenhome"}, nil},
		{"WA_Fn-UseC_-Telco-Customer-Churn.csv", []string{"gender", "SeniorCitizen", "Partner", "Dependents"}, nil},
		{"bank.csv", []string{"age", "job", "marital", "education"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			f, err := os.Open(shareddata.Path(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			tab, err := dataset.Read(f, dataset.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got := Demographic(tab); !slices.Equal(got, tt.demographic) {
				t.Errorf("Demographic = %q, want %q", got, tt.demographic)
			}
			if got := Places(tab); !slices.Equal(got, tt.place) {
				t.Errorf("Places = %q, want %q", got, tt.place)
			}
		})
	}
}
