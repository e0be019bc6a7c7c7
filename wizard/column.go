package wizard

import (
	"fmt"
	"strings"
)

// Column is one column of the preview table and of CSV/XLSX files. Its name
// (String) is the odin/Mercury-style CSV header, such as "userId" or
// "callingLineIdFirstName". The zero Column, ColNone, names no column and is
// used by problems that concern a whole row or file.
type Column int

// The preview columns, in export order.
const (
	ColNone Column = iota
	ColUserID
	ColFirstName
	ColLastName
	ColCLIDFirstName
	ColCLIDLastName
	ColPassword
	ColPhoneNumber
	ColExtension
	ColDeviceType
	ColDeviceName
	ColMACAddress
	ColLinePort
	ColTrunkGroup
	ColEnterpriseTrunk
	ColDepartment
	ColTimeZone
	ColLanguage
	ColEmail
	ColMobile
	ColPager
	ColYahooID
	ColTitle
	ColAddressLocation
	ColAddressLine1
	ColAddressLine2
	ColCity
	ColState
	ColZip
	ColCountry
	ColServices
	numColumns
)

// NumColumns is the number of real columns (ColNone excluded).
const NumColumns = int(numColumns) - 1

var columnNames = [numColumns]string{
	ColNone:            "",
	ColUserID:          "userId",
	ColFirstName:       "firstName",
	ColLastName:        "lastName",
	ColCLIDFirstName:   "callingLineIdFirstName",
	ColCLIDLastName:    "callingLineIdLastName",
	ColPassword:        "password",
	ColPhoneNumber:     "phoneNumber",
	ColExtension:       "extension",
	ColDeviceType:      "deviceType",
	ColDeviceName:      "deviceName",
	ColMACAddress:      "macAddress",
	ColLinePort:        "linePort",
	ColTrunkGroup:      "trunkGroupName",
	ColEnterpriseTrunk: "enterpriseTrunkName",
	ColDepartment:      "department",
	ColTimeZone:        "timeZone",
	ColLanguage:        "language",
	ColEmail:           "emailAddress",
	ColMobile:          "mobilePhoneNumber",
	ColPager:           "pagerPhoneNumber",
	ColYahooID:         "yahooId",
	ColTitle:           "title",
	ColAddressLocation: "addressLocation",
	ColAddressLine1:    "addressLine1",
	ColAddressLine2:    "addressLine2",
	ColCity:            "city",
	ColState:           "stateOrProvince",
	ColZip:             "zipOrPostalCode",
	ColCountry:         "country",
	ColServices:        "services",
}

var columnTitles = [numColumns]string{
	ColUserID:          "User ID",
	ColFirstName:       "First name",
	ColLastName:        "Last name",
	ColCLIDFirstName:   "CLID first name",
	ColCLIDLastName:    "CLID last name",
	ColPassword:        "Password",
	ColPhoneNumber:     "Phone number",
	ColExtension:       "Extension",
	ColDeviceType:      "Device type",
	ColDeviceName:      "Device name",
	ColMACAddress:      "MAC address",
	ColLinePort:        "Line/port",
	ColTrunkGroup:      "Trunk group",
	ColEnterpriseTrunk: "Enterprise trunk",
	ColDepartment:      "Department",
	ColTimeZone:        "Time zone",
	ColLanguage:        "Language",
	ColEmail:           "Email",
	ColMobile:          "Mobile",
	ColPager:           "Pager",
	ColYahooID:         "Social ID",
	ColTitle:           "Title",
	ColAddressLocation: "Location",
	ColAddressLine1:    "Address line 1",
	ColAddressLine2:    "Address line 2",
	ColCity:            "City",
	ColState:           "State/province",
	ColZip:             "Postcode",
	ColCountry:         "Country",
	ColServices:        "Services",
}

// Columns returns every real column in export order.
func Columns() []Column {
	cs := make([]Column, 0, NumColumns)
	for c := ColUserID; c < numColumns; c++ {
		cs = append(cs, c)
	}
	return cs
}

// String returns the CSV header name ("userId", ...), or "" for ColNone.
func (c Column) String() string {
	if c < 0 || c >= numColumns {
		return fmt.Sprintf("Column(%d)", int(c))
	}
	return columnNames[c]
}

// Title returns a short human label for table headings ("User ID").
func (c Column) Title() string {
	if c <= ColNone || c >= numColumns {
		return ""
	}
	return columnTitles[c]
}

// Valid reports whether c is a real column.
func (c Column) Valid() bool { return c > ColNone && c < numColumns }

// MarshalText encodes the column by its header name.
func (c Column) MarshalText() ([]byte, error) {
	if c != ColNone && !c.Valid() {
		return nil, fmt.Errorf("wizard: invalid column %d", int(c))
	}
	return []byte(columnNames[c]), nil
}

// UnmarshalText decodes a header name as ParseColumn does.
func (c *Column) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*c = ColNone
		return nil
	}
	col, ok := ParseColumn(string(b))
	if !ok {
		return fmt.Errorf("wizard: unknown column %q", b)
	}
	*c = col
	return nil
}

// normHeader lower-cases a header and drops spaces, '_', '-', '.', '/',
// '*' and a parenthesised note such as "(Required)".
func normHeader(s string) string {
	var b strings.Builder
	depth := 0
	for _, r := range strings.ToLower(strings.TrimSpace(s)) {
		switch r {
		case '(':
			depth++
			continue
		case ')':
			depth = max(depth-1, 0)
			continue
		case ' ', '_', '-', '.', '/', '\t', '*', '\u00a0':
			continue
		}
		if depth == 0 {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// ParseColumn finds the column for a CSV header name, case-insensitively and
// ignoring spaces, '_', '-', '.', '/' and a parenthesised note, accepting the
// odin/Mercury names (userId, callingLineIdFirstName, zipOrPostalCode, ...),
// dotted Mercury paths (address.city: the last part counts), the Webex
// Control Hub headers and common aliases (email, mac, zip, ...).
func ParseColumn(header string) (Column, bool) {
	h := LookupHeader(header)
	return h.Column, h.Kind == HeaderColumn
}
