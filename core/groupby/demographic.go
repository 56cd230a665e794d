package groupby

import (
	"strings"

	"github.com/segkit/segkit/core/dataset"
)

// demographicWords are the name words of demographic columns; a word of a
// column name matches when it equals one of them.
var demographicWords = []string{
	"age", "gender", "sex", "genre", "income", "salary", "earnings", "wage",
	"education", "marital", "married", "children", "child", "kids", "kid",
	"teens", "teen", "dependents", "senior", "partner", "household", "family",
	"occupation", "job", "profession", "birth", "dob", "birthday", "birthdate",
}

// demographicPrefixes match a name word that starts with one of them:
// "Kidhome", "Teenhome", "educational", "childcount".
var demographicPrefixes = []string{"kid", "teen", "child", "educat", "marital", "household"}

// Demographic returns the demographic columns of a table in table order:
// those whose name (split with dataset.NameWords) has a word about age,
// gender, income, education, marital status, children, year of birth,
// household or family size, or occupation — age, gender, sex, genre,
// income, salary, earnings, wage, education, marital, married, child(ren),
// kid(s), teen(s), dependents, senior, partner, household, family,
// occupation, job, profession, birth, dob, birthday, birthdate, or a word
// starting with kid, teen, child, educat, marital or household ("Kidhome").
// Only numeric and categorical columns qualify: an identifier, free text or
// a date ("Dt_Customer") is never one.
func Demographic(t *dataset.Table) []string {
	if t == nil {
		return nil
	}
	var cols []string
	for _, c := range t.Columns {
		if (c.Kind.IsNumeric() || c.Kind == dataset.KindCategorical) && demographicName(c.Name) {
			cols = append(cols, c.Name)
		}
	}
	return cols
}

func demographicName(name string) bool {
	words := dataset.NameWords(name)
	if hasAny(words, demographicWords) {
		return true
	}
	for _, w := range words {
		for _, p := range demographicPrefixes {
			if strings.HasPrefix(w, p) {
				return true
			}
		}
	}
	return false
}

// placeWords are the name words of columns that say where a customer is.
var placeWords = []string{
	"region", "country", "state", "province", "county", "city", "town",
	"district", "territory", "area", "zone", "market", "location",
	"postcode", "postal", "zip", "zipcode", "postalcode", "plz",
}

// Places returns the columns that can group customers by where they are,
// in table order: those whose name has a word region, country, state,
// province, county, city, town, district, territory, area, zone, market,
// location, postcode, postal, zip, zipcode, postalcode or plz, and whose
// values are not dates and not all missing. Postal codes are often
// identifiers (every value distinct); they are kept, to be grouped by
// their first characters (ByPrefix).
func Places(t *dataset.Table) []string {
	if t == nil {
		return nil
	}
	var cols []string
	for _, c := range t.Columns {
		if c.Kind != dataset.KindEmpty && c.Kind != dataset.KindDate && c.Kind != dataset.KindFloat &&
			hasAny(dataset.NameWords(c.Name), placeWords) {
			cols = append(cols, c.Name)
		}
	}
	return cols
}
