package wizard

import (
	"sort"
	"strings"
)

// HeaderKind is what an imported column's header stands for.
type HeaderKind uint8

// The kinds of header LookupHeader knows.
const (
	// HeaderUnknown is a header nobody told bwbulk about: the import
	// stops at the mapping screen until it is mapped or ignored.
	HeaderUnknown HeaderKind = iota
	// HeaderColumn is a preview column (Header.Column).
	HeaderColumn
	// HeaderServiceProvider and HeaderGroup name the target of every
	// row (Mercury's serviceProviderId and groupId): they must agree with
	// the group chosen for the import.
	HeaderServiceProvider
	HeaderGroup
	// HeaderOperation is Mercury's operation column: only adding users
	// is possible.
	HeaderOperation
	// HeaderPreviewRow is the row of the preview or task an "Export
	// problems" file came from: importing it back replaces that row.
	HeaderPreviewRow
	// HeaderIgnored is a known column with nothing to carry over to
	// BroadWorks (Header.Reason says why).
	HeaderIgnored
)

// Header is what LookupHeader found for one header.
type Header struct {
	Kind   HeaderKind
	Column Column // for HeaderColumn
	// Reason is why a HeaderIgnored column is not used.
	Reason string
}

// Headers written by bwbulk's own files besides the column names.
const (
	// HeaderErrorName is the column "Export problems" adds with the
	// problems of each row.
	HeaderErrorName = "Error"
	// HeaderRowName is the column "Export problems" adds with the row the
	// line came from.
	HeaderRowName = "Preview row"
)

// The headers of a task's export (jobs.Store.ExportTask) before the
// users' columns. The importer reads them, and the internal names older
// exports have (row, status, errorCode, error, taskName, ticket), alike.
const (
	HeaderTaskRow   = "Row"
	HeaderStatus    = "Status"
	HeaderErrorCode = "Error code"
	HeaderTaskName  = "Task name"
	HeaderTicket    = "Ticket"
)

// FileHeader is the header of column c in the files bwbulk writes (the
// import template, the preview's and a task's exports, Export problems):
// the friendly one the template has ("MAC address", "Calling line ID"
// names as "CLID first name"). The importer reads it and the internal
// name (String: "macAddress") alike, so every export reads back.
func (c Column) FileHeader() string { return c.Title() }

// The alias table: every header of odin's export, Mercury's bulk CSV,
// Webex Control Hub's user CSV and bwbulk's own files (column names,
// titles, template headers), by normalised name (normHeader).
var headerTable = map[string]Header{}

func init() {
	col := func(c Column, names ...string) {
		for _, n := range names {
			headerTable[normHeader(n)] = Header{Kind: HeaderColumn, Column: c}
		}
	}
	for c := ColUserID; c < numColumns; c++ {
		col(c, columnNames[c], columnTitles[c])
	}
	// Hand-made spreadsheets and bwbulk's older headers.
	col(ColUserID, "user", "username", "user id", "login")
	col(ColFirstName, "first", "given name", "forename")
	col(ColLastName, "last", "surname", "family name")
	col(ColCLIDFirstName, "clid first name", "calling line id first", "calling line id first name")
	col(ColCLIDLastName, "clid last name", "calling line id last", "calling line id last name")
	col(ColPassword, "pwd", "user password", "initial password")
	col(ColPhoneNumber, "phone", "number", "dn", "did", "directory number", "telephone", "telephone number", "phone number")
	col(ColExtension, "ext", "extension number")
	col(ColDeviceName, "device", "access device", "access device name", "device name")
	col(ColDeviceType, "access device type", "device model", "phone model", "model")
	col(ColMACAddress, "mac", "mac address", "macaddr", "hardware address")
	col(ColLinePort, "line port", "lineport", "sip user", "address of record")
	col(ColTrunkGroup, "trunk group", "trunk", "trunk group name")
	col(ColEnterpriseTrunk, "enterprise trunk", "enterprise trunk name")
	col(ColDepartment, "dept", "department name")
	col(ColTimeZone, "timezone", "tz", "time zone")
	col(ColLanguage, "lang", "preferred language")
	col(ColEmail, "email", "mail", "e-mail", "email address")
	col(ColMobile, "mobile", "mobile number", "cell", "cell phone", "mobile phone")
	col(ColPager, "pager", "pager number")
	col(ColYahooID, "social id", "yahoo id")
	col(ColTitle, "job title", "position")
	col(ColAddressLocation, "location", "site", "address location")
	col(ColAddressLine1, "address1", "address 1", "street", "street address")
	col(ColAddressLine2, "address2", "address 2")
	col(ColCity, "town", "locality")
	col(ColState, "state", "province", "region", "state or province display", "state/province")
	col(ColZip, "zip", "zip code", "postcode", "postal code", "zip/postal code")
	col(ColServices, "user services", "userService", "service", "service packs", "servicePack", "service pack",
		"services and packs", "features", "feature", "assigned services")
	// Webex Control Hub's user CSV (Users → Export / CSV template).
	col(ColUserID, "User ID/Email (Required)", "User ID/Email")
	col(ColCLIDFirstName, "Caller ID First Name")
	col(ColCLIDLastName, "Caller ID Last Name")

	ctx := func(k HeaderKind, names ...string) {
		for _, n := range names {
			headerTable[normHeader(n)] = Header{Kind: k}
		}
	}
	ctx(HeaderServiceProvider, "serviceProviderId", "service provider", "service provider id", "enterprise", "enterprise id", "sp", "spId")
	ctx(HeaderGroup, "groupId", "group", "group id")
	ctx(HeaderOperation, "operation", "action")
	ctx(HeaderPreviewRow, HeaderRowName)

	ign := func(reason string, names ...string) {
		for _, n := range names {
			headerTable[normHeader(n)] = Header{Kind: HeaderIgnored, Reason: reason}
		}
	}
	ign("bwbulk's own list of what was wrong with the row", HeaderErrorName, "errors", "problem", "problems")
	ign("bwbulk's own code of the server's refusal", "errorCode", HeaderErrorCode)
	ign("the task's name and ticket, written by bwbulk's task export", "taskName", "ticket", HeaderTaskName, HeaderTicket)
	ign("BroadWorks makes the display name from first and last name", "Display Name")
	ign("a Webex account state, not a BroadWorks setting", "Days Since Last Active", "User Status", "Last Active")
	ign("a job's status in bwbulk's task export (or a Webex account state), not a BroadWorks setting", HeaderStatus)
	ign("BroadWorks has no manager of a user", "Manager", "Manager User ID")
	ign("the calling line id number follows Phone number", "Caller ID Number", "Caller ID Extension")
}

// LookupHeader says what an imported column's header stands for: a
// column, one of the context columns, a known column that is ignored
// (with the reason), or unknown. A dotted Mercury path is matched by its
// last part (address.city is city); a Webex licence column (a header
// with "[...]", such as "Webex Calling Professional [Main]") is ignored.
func LookupHeader(header string) Header {
	n := normHeader(header)
	if h, ok := headerTable[n]; ok {
		return h
	}
	t := strings.TrimSpace(header)
	if i := strings.LastIndexByte(t, '.'); i >= 0 && i < len(t)-1 {
		if h, ok := headerTable[normHeader(t[i+1:])]; ok {
			return h
		}
	}
	if strings.Contains(t, "[") && strings.HasSuffix(t, "]") {
		return Header{Kind: HeaderIgnored, Reason: "a Webex licence column; licences are services in BroadWorks"}
	}
	return Header{}
}

// Mapping is the user's answer for headers LookupHeader does not know:
// the preview column each stands for, or ColNone to ignore it. Keys are
// headers as normHeader writes them (see MappingKey).
type Mapping map[string]Column

// MappingKey is the key of a header in a Mapping.
func MappingKey(header string) string { return normHeader(header) }

// HeaderSetKey identifies a file's set of headers, so that a mapping
// chosen once is offered again for the next file with the same columns
// (in any order).
func HeaderSetKey(header []string) string {
	ns := make([]string, 0, len(header))
	for _, h := range header {
		if n := normHeader(h); n != "" {
			ns = append(ns, n)
		}
	}
	sort.Strings(ns)
	return strings.Join(ns, "|")
}

// Unmapped returns the headers of t that are neither known nor in m, in
// file order: the columns the mapping screen asks about.
func (t *Table) Unmapped(m Mapping) []string {
	var out []string
	for j, h := range t.Header {
		if strings.TrimSpace(h) == "" || LookupHeader(h).Kind != HeaderUnknown {
			continue
		}
		if _, ok := m[MappingKey(h)]; ok {
			continue
		}
		_ = j
		out = append(out, strings.TrimSpace(h))
	}
	return out
}

// Samples returns up to n non-empty values of the column with header h,
// for the mapping screen.
func (t *Table) Samples(h string, n int) []string {
	j := -1
	for k, x := range t.Header {
		if strings.TrimSpace(x) == h {
			j = k
			break
		}
	}
	var out []string
	for _, rec := range t.Records {
		if len(out) >= n {
			break
		}
		if j >= 0 && j < len(rec.Cells) {
			if v := strings.TrimSpace(rec.Cells[j].Text); v != "" {
				out = append(out, v)
			}
		}
	}
	return out
}
