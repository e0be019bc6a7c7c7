package wizard

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
)

func TestStaticCatalogue(t *testing.T) {
	cat := demoCatalogue()
	ctx := t.Context()
	sps, err := cat.ServiceProviders(ctx)
	if err != nil || len(sps) != 2 {
		t.Fatalf("ServiceProviders = %v, %v", sps, err)
	}
	gs, err := cat.Groups(ctx, "acme-ent")
	if err != nil || len(gs) != 2 {
		t.Fatalf("Groups = %v, %v", gs, err)
	}
	g, err := cat.Group(ctx, "acme-ent", "acme-branch")
	if err != nil || g.Free() != 5 {
		t.Errorf("acme-branch free = %v, %v", g, err)
	}
	if _, err := cat.Group(ctx, "acme-ent", "nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown group: %v", err)
	}
	if _, err := cat.Groups(ctx, "nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown sp: %v", err)
	}
	if _, err := LoadFacts(ctx, cat, "acme-ent", "nope"); err == nil || err.Error() != `wizard: group acme-ent/nope: group "nope" in "acme-ent": wizard: not found` {
		t.Errorf("LoadFacts unknown group: %v", err)
	}
	f, err := LoadFacts(ctx, cat, "metro-sp", "metro-g1")
	if err != nil || f.Rules != rulesMetroG1 || f.Group.DefaultExtensionLength != 5 {
		t.Errorf("LoadFacts = %+v, %v", f, err)
	}

	// The offline cache stores the catalogue as JSON.
	b, err := json.Marshal(cat)
	if err != nil {
		t.Fatal(err)
	}
	var back StaticCatalogue
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(&back, cat) {
		t.Error("catalogue JSON round trip differs")
	}
}

func TestColumn_names(t *testing.T) {
	for _, c := range Columns() {
		got, ok := ParseColumn(c.String())
		if !ok || got != c {
			t.Errorf("ParseColumn(%q) = %v, %v", c, got, ok)
		}
		if got, ok := ParseColumn(c.Title()); !ok || got != c {
			t.Errorf("ParseColumn(title %q) = %v, %v", c.Title(), got, ok)
		}
	}
	for in, want := range map[string]Column{
		"USERID": ColUserID, "user_id": ColUserID, "Calling Line ID First Name": ColCLIDFirstName,
		"e-mail": ColEmail, "ZIP": ColZip, "Line/Port": ColLinePort, "postal code": ColZip, "MAC Address": ColMACAddress,
	} {
		if got, ok := ParseColumn(in); !ok || got != want {
			t.Errorf("ParseColumn(%q) = %v, %v; want %v", in, got, ok, want)
		}
	}
	var r Row
	r.Set(ColCity, "Springfield")
	r.Set(ColNone, "ignored")
	b, _ := json.Marshal(r)
	if string(b) != `{"city":"Springfield"}` {
		t.Errorf("row JSON = %s", b)
	}
	var back Row
	if err := json.Unmarshal(b, &back); err != nil || back != r {
		t.Errorf("row JSON round trip: %v %v", back, err)
	}
	p := Problem{Row: 2, Column: ColCity, Msg: "x", Err: ErrInvalid}
	if !errors.Is(p, ErrInvalid) || p.Error() != "row 2, city: x" {
		t.Errorf("problem = %v", p)
	}
}
