// Package dataset reads the customer files people really have — CSV, TSV,
// semicolon and pipe separated, fixed-width-looking space separated text —
// into typed columns, streaming in chunks.
//
// # Reading
//
// Read (or ReadFile) sniffs the format (Sniff), then streams records through
// a Reader and builds one Column per field. NewReader gives the records
// themselves, for callers that re-emit original rows. Line breaks may be LF,
// CRLF, CR or the corrupted CR CR LF (one break); a UTF-8 byte order mark is
// removed; the last line needs no line break; blank lines are skipped;
// quoted fields may hold delimiters, line breaks and doubled quotes; spaces
// after the last field never make an extra column. Text is decoded from
// UTF-8, or from Windows-1252 (Latin-1) when the file is not valid UTF-8.
// A file with one column is valid: it reads as a table with one column.
//
// # Missing values
//
// A cell is missing when it is empty, only spaces, or one of NA, N/A, #N/A,
// NaN, NULL, ? (any case; see IsMissingToken). Missing cells are counted in
// Column.Missing and stored as NaN (numbers, dates) or "" (strings); they
// never become zeros.
//
// # Column kinds
//
// Each column's kind is inferred from all its cells (not a sample):
//
//   - Integer: every present cell is a whole number with integer syntax
//     (sign, digits, unambiguous thousands separators; see ParseNumber).
//     Integers with a leading zero ("0042") or beyond 2^53 are not numbers:
//     the column is read as strings so that nothing is lost. Small sets of
//     codes (Channel 1/2) stay integers.
//   - Float: every present cell is a number, some with a decimal point or
//     exponent.
//   - Date: every present cell is a date of one shape: yyyy-mm-dd (also
//     with / or .), dd/mm/yyyy or mm/dd/yyyy (also with - or ., or a
//     two-digit year with /), optionally followed by " HH:MM" or
//     " HH:MM:SS" ("T" after yyyy-mm-dd, and a trailing "Z", are allowed).
//     Day-first or month-first is decided by the data: a first field above
//     12 means day first, a second field above 12 means month first; when
//     no value decides, "/" dates are month first (US) and "-" or "." dates
//     day first. An integer column whose values all read as yyyymmdd
//     between 1900 and 2100 is a date (layout "20060102"). Num holds Unix
//     seconds (UTC) and DateLayout the Go layout (see ParseDate).
//   - Identifier: an integer column whose name has the word "id" (ID,
//     CustomerID, customer_id; not Paid) and whose values are unique or take
//     more than 100 distinct values (the customer id of a transaction log
//     repeats, yet it is a key, not a measure; a RegionID 1–5 stays a
//     number) — stored as strings; a string
//     column whose values are (near-)unique (≥ 95% distinct) and either
//     mostly single tokens with digits (C10001, 0001, 7590-VHVEG) or named
//     like an id; and a string column with more distinct values than a
//     categorical column may have whose values are mostly single tokens
//     (invoice numbers, stock codes).
//   - Categorical: a string column with at most max(20, min(1000, n/10))
//     distinct values among its n present cells. Values are interned: every
//     cell with the same value shares one string.
//   - Text: the remaining string columns, whose values often hold spaces or
//     are long (product descriptions, comments).
//   - Empty: every cell is missing (Num and Str are both nil).
//
// String cells are stored without surrounding spaces and tabs (CleanText).
// A column read as numbers or dates that meets a value of another kind
// becomes a string column, and the values read before are rendered back
// as text ("1,234,567" comes back as "1234567", "1.50" as "1.5").
//
// # Speed and memory
//
// The tokenizer works on bytes in 1 MiB chunks; numeric cells are parsed
// without allocating (exactly as strconv.ParseFloat would) and keep no
// text. With two or more threads and a large input, one goroutine
// tokenizes while another parses values (the results are identical). Memory
// is the columns plus a few chunks; a single record may span at most 64 MiB
// and a file may have at most 65,536 columns.
package dataset
