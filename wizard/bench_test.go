package wizard

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"testing"
)

// bigModel is a 10,000-user model in a group large enough to hold them.
func bigModel(b *testing.B) *Model {
	b.Helper()
	f := demoFacts(b, "acme-ent", "acme-hq")
	f.Group.UserLimit = 20000
	f.AvailableNumbers = numberRange(2025500000, 2025509999)
	m := NewModelForGroup("acme-ent", true, f)
	m.UserCount = 10000
	m.Names = NamesStep{FirstName: "User", LastName: "{{ index | pad 5 }}"}
	m.UserID.Template = "{{ first name | lower }}.{{ last name }}"
	m.Numbers = NumbersStep{Mode: NumbersList, Entries: []string{"2025500000-2025509999"}, ExtensionMode: ExtensionsFromNumber}
	m.Device = DeviceStep{Mode: DeviceHosted, DeviceType: "Polycom VVX 450", DeviceName: "{{ user name }}-phone",
		MACAddress: "0004f2{{ index | pad 6 }}", LinePort: "{{ user id }}"}
	m.Department = DepartmentStep{Mode: ModeSelect, Name: "Sales"}
	m.Details = DetailsStep{TimeZone: "America/New_York", Language: "English"}
	m.Contact = ContactStep{Email: "{{ user id }}"}
	m.Address = AddressStep{Line1: "{{ index }} Main St", City: "Springfield", Country: "US"}
	return m
}

// BenchmarkPreview10k regenerates and re-validates a 10,000-user preview
// from templates (passwords already generated, as after the first build).
func BenchmarkPreview10k(b *testing.B) {
	m := bigModel(b)
	p, err := m.Preview() // generates and stores the passwords once
	if err != nil {
		b.Fatal(err)
	}
	if !p.Valid() {
		b.Fatalf("invalid: %v", p.Problems()[:3])
	}
	b.ReportAllocs()
	start, n := cpuTime(), 0
	defer func() { reportCPU(b, start, n) }()
	for b.Loop() {
		n++
		if _, err := m.Preview(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPreview10kFreshPasswords includes generating 10,000 passwords.
func BenchmarkPreview10kFreshPasswords(b *testing.B) {
	m := bigModel(b)
	b.ReportAllocs()
	start, n := cpuTime(), 0
	defer func() { reportCPU(b, start, n) }()
	for b.Loop() {
		n++
		m.Passwords.Generated = nil
		if _, err := m.Preview(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPreviewSet10k edits one cell of a 10,000-user preview.
func BenchmarkPreviewSet10k(b *testing.B) {
	m := bigModel(b)
	p, err := m.Preview()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		p.Set(i%10000, ColTitle, "Boss")
		i++
	}
}

func bigRows(b *testing.B) []Row {
	m := bigModel(b)
	p, err := m.Preview()
	if err != nil {
		b.Fatal(err)
	}
	return p.Rows
}

func BenchmarkImportCSV10k(b *testing.B) {
	var buf bytes.Buffer
	if err := ExportCSV(&buf, UsersSheet(bigRows(b), true)); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	start, n := cpuTime(), 0
	defer func() { reportCPU(b, start, n) }()
	for b.Loop() {
		n++
		rows, ps, err := ImportCSV(bytes.NewReader(data))
		if err != nil || len(ps) != 0 || len(rows) != 10000 {
			b.Fatalf("%d rows, %v, %v", len(rows), ps, err)
		}
	}
}

func BenchmarkExportXLSX10k(b *testing.B) {
	rows := bigRows(b)
	sheets := []Sheet{UsersSheet(rows, false), PasswordSheet(rows)}
	b.ReportAllocs()
	start, n := cpuTime(), 0
	defer func() { reportCPU(b, start, n) }()
	for b.Loop() {
		n++
		if err := ExportXLSX(io.Discard, sheets, ""); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkExportCSV10k(b *testing.B) {
	sheet := UsersSheet(bigRows(b), true)
	b.ReportAllocs()
	start, n := cpuTime(), 0
	defer func() { reportCPU(b, start, n) }()
	for b.Loop() {
		n++
		if err := ExportCSV(io.Discard, sheet); err != nil {
			b.Fatal(err)
		}
	}
}

// rows20k are 20,000 distinct users with devices: the largest file
// Webex Control Hub takes.
func rows20k(b *testing.B) []Row {
	rows := make([]Row, 20000)
	for i := range rows {
		r := &rows[i]
		id := fmt.Sprintf("user.%05d", i)
		r.Set(ColUserID, id+"@acme.example.com")
		r.Set(ColFirstName, "User")
		r.Set(ColLastName, fmt.Sprintf("%05d", i))
		r.Set(ColCLIDFirstName, "User")
		r.Set(ColCLIDLastName, fmt.Sprintf("%05d", i))
		r.Set(ColPhoneNumber, fmt.Sprintf("+1-202%07d", i))
		r.Set(ColExtension, fmt.Sprintf("%05d", i))
		r.Set(ColDeviceType, "Polycom VVX 450")
		r.Set(ColDeviceName, id+"-phone")
		r.Set(ColMACAddress, fmt.Sprintf("0004F2%06X", i))
		r.Set(ColLinePort, id+"@acme.example.com")
		r.Set(ColDepartment, "Sales")
		r.Set(ColEmail, id+"@acme.example.com")
		r.Set(ColCity, "Springfield")
		r.Set(ColZip, "02134")
	}
	return rows
}

// odsOfSheet writes a sheet as an OpenDocument spreadsheet of text
// cells, as Calc lays out text.
func odsOfSheet(s Sheet) []byte {
	var c strings.Builder
	c.WriteString(odsHead)
	row := func(r []string) {
		c.WriteString("<table:table-row>")
		for _, v := range r {
			c.WriteString(`<table:table-cell office:value-type="string"><text:p>`)
			xml.EscapeText(&c, []byte(v))
			c.WriteString("</text:p></table:table-cell>")
		}
		c.WriteString("</table:table-row>")
	}
	row(s.Header)
	for _, r := range s.Rows {
		row(r)
	}
	c.WriteString(odsTail)
	return odsWith([]byte(c.String()))
}

// BenchmarkImport20k reads a 20,000-row file the way the import screen
// does (ReadCSV, ReadXLSX or the .ods reader, then Table.Import). Target
// for CSV: ≤ 1 s.
func BenchmarkImport20k(b *testing.B) {
	rows := rows20k(b)
	for _, format := range []string{"csv", "xlsx", "ods"} {
		var buf bytes.Buffer
		var err error
		switch format {
		case "csv":
			err = ExportCSV(&buf, UsersSheet(rows, false))
		case "xlsx":
			err = ExportXLSX(&buf, []Sheet{UsersSheet(rows, false)}, "")
		default:
			buf.Write(odsOfSheet(UsersSheet(rows, false)))
		}
		if err != nil {
			b.Fatal(err)
		}
		data := buf.Bytes()
		b.Run(format, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			start, n := cpuTime(), 0
			defer func() { reportCPU(b, start, n) }()
			for b.Loop() {
				n++
				var t *Table
				var err error
				switch format {
				case "csv":
					t, err = ReadCSV(context.Background(), bytes.NewReader(data), nil)
				case "xlsx":
					t, err = ReadXLSX(context.Background(), bytes.NewReader(data), nil)
				default:
					t, err = ReadFile(context.Background(), "u.ods", bytes.NewReader(data), nil)
				}
				if err != nil {
					b.Fatal(err)
				}
				imp, err := t.Import(context.Background(), nil, nil)
				if err != nil || len(imp.Problems)+len(imp.Checks) != 0 || len(imp.Rows) != 20000 {
					b.Fatalf("%d rows, %v %v, %v", len(imp.Rows), imp.Problems, imp.Checks, err)
				}
			}
		})
	}
}
