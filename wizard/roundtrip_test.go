package wizard

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// fullRow is a user with a value in every column, each already in the
// form the importer writes it (so a round trip changes nothing).
func fullRow(i int) Row {
	var r Row
	vals := map[Column]string{
		ColUserID: "jane.doe" + string(rune('a'+i)) + "@example.com", ColFirstName: "Jane", ColLastName: "Doe",
		ColCLIDFirstName: "J", ColCLIDLastName: "D", ColPassword: "=Pw'1;x",
		ColPhoneNumber: "+1-202555010" + string(rune('0'+i)), ColExtension: "010" + string(rune('0'+i)),
		ColDeviceType: "Polycom VVX 450", ColDeviceName: "jd-phone", ColMACAddress: "0004F2AABBC" + string(rune('0'+i)),
		ColLinePort: "jd@example.com", ColTrunkGroup: "tg", ColEnterpriseTrunk: "et", ColDepartment: "Sales",
		ColTimeZone: "America/New_York", ColLanguage: "English", ColEmail: "jd@example.com", ColMobile: "0612",
		ColPager: "0613", ColYahooID: "jd", ColTitle: "-Director", ColAddressLocation: "HQ", ColAddressLine1: "1 Main St",
		ColAddressLine2: "Floor 2", ColCity: "Springfield", ColState: "IL", ColZip: "02134", ColCountry: "US",
		ColServices: "Call Waiting; Do Not Disturb",
	}
	for c, v := range vals {
		r.Set(c, v)
	}
	return r
}

// TestExport_friendlyHeadersRoundTrip: the preview's export is headed as
// the import template is, never with the internal names, and reads back
// as the same users, as CSV and as XLSX.
func TestExport_friendlyHeadersRoundTrip(t *testing.T) {
	rows := []Row{fullRow(0), fullRow(1), fullRow(2)}
	tmpl := TemplateSheets()[0].Header
	for _, format := range []string{"csv", "xlsx"} {
		t.Run(format, func(t *testing.T) {
			sheet := UsersSheet(rows, true)
			if strings.Join(sheet.Header, "|") != strings.Join(tmpl, "|") {
				t.Fatalf("header %q, want the template's %q", sheet.Header, tmpl)
			}
			var buf bytes.Buffer
			var err error
			if format == "csv" {
				err = ExportCSV(&buf, sheet)
			} else {
				err = ExportXLSX(&buf, []Sheet{sheet}, "")
			}
			if err != nil {
				t.Fatal(err)
			}
			tab, err := ReadFile(context.Background(), "users."+format, &buf, nil)
			if err != nil {
				t.Fatal(err)
			}
			imp, err := tab.Import(context.Background(), nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(imp.Problems) > 0 || len(imp.Rows) != len(rows) {
				t.Fatalf("%d rows back, problems %v", len(imp.Rows), imp.Problems)
			}
			for i := range rows {
				if imp.Rows[i] != rows[i] {
					t.Errorf("row %d back as\n%v\nwant\n%v", i+1, imp.Rows[i].Fields(), rows[i].Fields())
				}
			}
			if len(imp.Columns) != NumColumns {
				t.Errorf("columns read %v", imp.Columns)
			}
		})
	}
}

// TestReadFixes_oldAndFriendlyHeaders: a task's export of failed jobs
// reads back as fixes whether it has the friendly headers exports write
// now or the internal ones older exports have.
func TestReadFixes_oldAndFriendlyHeaders(t *testing.T) {
	for name, header := range map[string][]string{
		"friendly": {HeaderTaskRow, HeaderStatus, HeaderErrorCode, HeaderErrorName, HeaderTaskName, HeaderTicket, "User ID", "First name", "Last name", "MAC address", "Calling line ID first name"},
		"internal": {"row", "status", "errorCode", "error", "taskName", "ticket", "userId", "firstName", "lastName", "macAddress", "callingLineIdFirstName"},
	} {
		for _, format := range []string{"csv", "xlsx"} {
			t.Run(name+"/"+format, func(t *testing.T) {
				sheet := Sheet{Name: "Task 1", Header: header, Rows: [][]string{
					{"4", "failed", "4200", "User already exists", "Hires", "CHG-1", "a@example.com", "Ann", "Lee", "0004F2AABB01", "Annie"},
					{"7", "failed", "", "timeout", "Hires", "CHG-1", "b@example.com", "Bob", "Ng", "", ""},
				}}
				var buf bytes.Buffer
				var err error
				if format == "csv" {
					err = ExportCSV(&buf, sheet)
				} else {
					err = ExportXLSX(&buf, []Sheet{sheet}, "")
				}
				if err != nil {
					t.Fatal(err)
				}
				imp, err := ReadFixes(context.Background(), "fixes."+format, &buf, nil)
				if err != nil {
					t.Fatal(err)
				}
				if len(imp.Replace) != 2 || imp.Replace[0] != 4 || imp.Replace[1] != 7 {
					t.Fatalf("replace %v", imp.Replace)
				}
				if got := imp.Rows[0]; got.Get(ColUserID) != "a@example.com" || got.Get(ColMACAddress) != "0004F2AABB01" || got.Get(ColCLIDFirstName) != "Annie" {
					t.Errorf("row 1 %v", got.Fields())
				}
				if got := imp.Rows[1]; got.Get(ColFirstName) != "Bob" || got.Get(ColCLIDFirstName) != "Bob" {
					t.Errorf("row 2 %v", got.Fields())
				}
			})
		}
	}
}
