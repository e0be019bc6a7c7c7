package wizard

import (
	"context"
	"reflect"
	"strings"
	"testing"
)

// finalImport reads a file of users for acme-ent/acme-hq as the command
// line does, up to the model.
func finalImport(t *testing.T, file string) *Model {
	t.Helper()
	tb, err := ReadFile(context.Background(), "users.csv", strings.NewReader(file), nil)
	if err != nil {
		t.Fatal(err)
	}
	imp, err := tb.Import(context.Background(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	f := demoFacts(t, "acme-ent", "acme-hq")
	PrepareImport(imp, f)
	return ModelForImportFile("acme-ent", true, f, imp)
}

// PreviewFinal builds the same rows and problems as Preview, over the
// imported rows instead of beside them, and refuses to be changed.
func TestPreviewFinal(t *testing.T) {
	file := "userId,firstName,lastName,deviceType,macAddress,services\n" +
		"f1@acme.example.com,Ann,One,Polycom VVX 450,00:04:f2:00:00:01,\n" +
		"f2@acme.example.com,Bob,Two,Polycom VVX 450,0004F2000002,basic\n" +
		"f2@acme.example.com,Cid,Three,,,\n" + // the user id again
		"f4@acme.example.com,,Four,Polycom VVX 450,0004F2000001,\n" // no first name; the MAC of row 2
	want, err := finalImport(t, file).Preview()
	if err != nil {
		t.Fatal(err)
	}
	m := finalImport(t, file)
	got, err := m.PreviewFinal()
	if err != nil {
		t.Fatal(err)
	}
	// Generated passwords are random: the same when both have one.
	noPasswords := func(rows []Row) []Row {
		out := make([]Row, len(rows))
		for i, r := range rows {
			if r.Get(ColPassword) == "" {
				t.Errorf("row %d has no password", i+1)
			}
			r.Set(ColPassword, "")
			out[i] = r
		}
		return out
	}
	if g, w := noPasswords(got.Rows), noPasswords(want.Rows); !reflect.DeepEqual(g, w) {
		t.Errorf("rows\n%v\nwant\n%v", g, w)
	}
	if g, w := got.Problems(), want.Problems(); !reflect.DeepEqual(g, w) || len(w) < 3 {
		t.Errorf("problems %v, want %v", g, w)
	}
	if &got.Rows[0] != &m.Imported[0] {
		t.Error("PreviewFinal's rows are a copy of the imported rows")
	}
	if got.Rows[1].Get(ColDeviceName) == "" || got.Rows[0].Get(ColMACAddress) != "0004F2000001" {
		t.Errorf("row 1 %v, row 2 %v: device and MAC not made as the preview makes them", got.Rows[0], got.Rows[1])
	}
	for name, change := range map[string]func(){
		"Set":        func() { got.Set(0, ColFirstName, "Anna") },
		"Revert":     func() { got.Revert(0, ColFirstName) },
		"Regenerate": func() { _ = got.Regenerate() },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s on a final preview did not panic", name)
				}
			}()
			change()
		}()
	}
}
