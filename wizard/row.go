package wizard

import (
	"encoding/json"
	"errors"
	"fmt"
)

// Row is one user of the preview: one value per Column. The zero Row is
// empty. Rows are values; copying one copies its cells.
type Row struct {
	v [numColumns]string
}

// Get returns the cell in column c ("" for ColNone or an invalid column).
func (r *Row) Get(c Column) string {
	if !c.Valid() {
		return ""
	}
	return r.v[c]
}

// Set stores v in column c; invalid columns are ignored.
func (r *Row) Set(c Column, v string) {
	if c.Valid() {
		r.v[c] = v
	}
}

// Fields returns the non-empty cells keyed by header name, for storage
// (jobs keeps them as JSON). RowFromFields is its inverse.
func (r *Row) Fields() map[string]string {
	m := make(map[string]string, 16)
	for c := ColUserID; c < numColumns; c++ {
		if r.v[c] != "" {
			m[columnNames[c]] = r.v[c]
		}
	}
	return m
}

// RowFromFields builds a Row from a map made by Row.Fields: keys are the
// columns' own names (Column.String); any other key is ignored (a job's
// "target." keys, a header alias).
func RowFromFields(m map[string]string) Row {
	var r Row
	for c := ColUserID; c < numColumns; c++ {
		if v, ok := m[c.String()]; ok {
			r.v[c] = v
		}
	}
	return r
}

// MarshalJSON encodes the row as its Fields map.
func (r Row) MarshalJSON() ([]byte, error) { return json.Marshal(r.Fields()) }

// UnmarshalJSON decodes a Fields map.
func (r *Row) UnmarshalJSON(b []byte) error {
	var m map[string]string
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	*r = RowFromFields(m)
	return nil
}

// Sentinel errors carried by Problem.Err, so callers can classify problems
// with errors.Is.
var (
	ErrRequired    = errors.New("required")
	ErrInvalid     = errors.New("invalid value")
	ErrTooLong     = errors.New("too long")
	ErrDuplicate   = errors.New("duplicate")
	ErrBadTemplate = errors.New("bad template")
	ErrUnavailable = errors.New("not available")
	ErrLicence     = errors.New("licence exceeded")
	ErrPassword    = errors.New("password rule")
	ErrFormat      = errors.New("malformed file")
)

// Problem is one thing wrong with a row or a file: Row is 1-based (the
// first data row is 1; 0 means the file or the header), Column the cell
// (ColNone for the whole row), Msg a sentence for the user that never
// contains a secret. Err, when set, is one of the Err* sentinels.
//
// Problems of an imported file name the cell as the spreadsheet does: Row
// is the spreadsheet row (the header is row 1, so the first user is row
// 2), Letter the column letter and Header the file's header there.
type Problem struct {
	Row    int    `json:"row"`
	Column Column `json:"column"`
	Msg    string `json:"msg"`
	Letter string `json:"letter,omitempty"`
	Header string `json:"header,omitempty"`
	Err    error  `json:"-"`
}

// Error formats the problem with its position: "row 3, userId: ...", or
// for a file "row 3, column C (Phone number): ...".
func (p Problem) Error() string {
	switch {
	case p.Letter != "" && p.Header != "" && p.Row > 0:
		return fmt.Sprintf("row %d, column %s (%s): %s", p.Row, p.Letter, p.Header, p.Msg)
	case p.Letter != "" && p.Row > 0:
		return fmt.Sprintf("row %d, column %s: %s", p.Row, p.Letter, p.Msg)
	case p.Letter != "" && p.Header != "":
		return fmt.Sprintf("column %s (%s): %s", p.Letter, p.Header, p.Msg)
	case p.Letter != "":
		return fmt.Sprintf("column %s: %s", p.Letter, p.Msg)
	case p.Header != "" && p.Row > 0:
		return fmt.Sprintf("row %d, %s: %s", p.Row, p.Header, p.Msg)
	case p.Row > 0 && p.Column.Valid():
		return fmt.Sprintf("row %d, %s: %s", p.Row, p.Column, p.Msg)
	case p.Row > 0:
		return fmt.Sprintf("row %d: %s", p.Row, p.Msg)
	case p.Column.Valid():
		return fmt.Sprintf("%s: %s", p.Column, p.Msg)
	}
	return p.Msg
}

// Unwrap returns the sentinel, for errors.Is.
func (p Problem) Unwrap() error { return p.Err }
