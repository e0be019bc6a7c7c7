package wizard

import (
	"errors"
	"testing"
)

func TestTemplate_Render(t *testing.T) {
	var row Row
	row.Set(ColFirstName, "Ada")
	row.Set(ColLastName, "Lovelace Byron")
	row.Set(ColPhoneNumber, "2025550142")
	row.Set(ColExtension, "0142")
	row.Set(ColUserID, "ada.l@acme.example.com")
	row.Set(ColMACAddress, "0004F2ABCDEF")
	env := &Env{Index: 7, Row: &row, Domain: "fallback.example.com", GroupID: "acme-hq", GroupName: "Acme HQ",
		ServiceProviderID: "acme-ent", ServiceProvider: "Acme"}
	tests := []struct {
		name, tpl, want string
	}{
		{"literal", "plain text", "plain text"},
		{"empty", "", ""},
		{"index", "{{ index }}", "7"},
		{"index no spaces", "{{index}}", "7"},
		{"pad", "{{ index | pad 3 }}", "007"},
		{"pad shorter than value", "{{ index | pad 1 }}", "7"},
		{"add", "{{ index | add 100 }}", "107"},
		{"add keeps width", "{{ extension | add 1 }}", "0143"},
		{"phone number", "{{ phone number }}", "2025550142"},
		{"number alias", "{{ number }}", "2025550142"},
		{"camelCase header", "{{ phoneNumber }}", "2025550142"},
		{"last", "{{ phone number | last 4 }}", "0142"},
		{"first", "{{ phone number | first 3 }}", "202"},
		{"lower", "{{ first name | lower }}", "ada"},
		{"upper", "{{ LAST NAME | upper }}", "LOVELACE BYRON"},
		{"chained", "{{ last name | nospace | lower | first 6 }}", "lovela"},
		{"title", "{{ last name | lower | title }}", "Lovelace Byron"},
		{"digits", "{{ user id | digits }}", ""},
		{"domain from user id", "{{ domain }}", "acme.example.com"},
		{"user name", "{{ user name }}", "ada.l"},
		{"group and sp", "{{ group id }}/{{ service provider id }}/{{ enterprise id }}", "acme-hq/acme-ent/acme-ent"},
		{"group name", "{{ group name }}", "Acme HQ"},
		{"sp name", "{{ enterprise name }}", "Acme"},
		{"mac", "{{ mac address | lower }}", "0004f2abcdef"},
		{"mixed", "{{ first name | lower }}.{{ last name | nospace | lower }}@x", "ada.lovelacebyron@x"},
		{"single brace literal", "{ index } and }} alone", "{ index } and }} alone"},
		{"unicode around", "Ünïcode {{ index }} ✓", "Ünïcode 7 ✓"},
		{"trim", "{{ first name | trim }}", "Ada"},
		{"extension", "{{ ext }}", "0142"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tpl, err := ParseTemplate(tc.tpl)
			if err != nil {
				t.Fatalf("ParseTemplate(%q): %v", tc.tpl, err)
			}
			got, err := tpl.Render(env)
			if err != nil {
				t.Fatalf("Render: %v", err)
			}
			if got != tc.want {
				t.Errorf("Render(%q) = %q, want %q", tc.tpl, got, tc.want)
			}
			// The canonical form parses to a template that renders the same.
			again, err := ParseTemplate(tpl.canonical())
			if err != nil {
				t.Fatalf("canonical %q: %v", tpl.canonical(), err)
			}
			if got2, _ := again.Render(env); got2 != got {
				t.Errorf("canonical %q renders %q, want %q", tpl.canonical(), got2, got)
			}
		})
	}
}

func TestParseTemplate_errors(t *testing.T) {
	tests := []struct {
		tpl     string
		wantPos int
		wantMsg string
	}{
		{"{{ index", 1, `template at position 1: unclosed "{{"`},
		{"abc {{ index }} {{ first name", 17, `template at position 17: unclosed "{{"`},
		{"{{ }}", 1, "template at position 1: empty tag"},
		{"x{{ | pad 3 }}", 2, "template at position 2: empty tag"},
		{"{{ shoe size }}", 1, `template at position 1: unknown tag "shoe size"`},
		{"ab{{ index | pad }}", 3, `template at position 3: filter "pad" needs one number`},
		{"{{ index | pad x }}", 1, `template at position 1: filter "pad": bad number "x" (want 1..200)`},
		{"{{ index | pad 0 }}", 1, `template at position 1: filter "pad": bad number "0" (want 1..200)`},
		{"{{ index | pad 999 }}", 1, `template at position 1: filter "pad": bad number "999" (want 1..200)`},
		{"{{ index | lower 3 }}", 1, `template at position 1: filter "lower" takes no argument`},
		{"{{ index | frobnicate }}", 1, `template at position 1: unknown filter "frobnicate" in tag "index"`},
		{"{{ index | }}", 1, `template at position 1: empty filter in tag "index"`},
		{"{{ password }}", 1, `template at position 1: tag "password" cannot be used: passwords are secret`},
		{"é{{ nope }}", 2, `template at position 2: unknown tag "nope"`},
		{"{{ {{ index }}", 1, `template at position 1: unclosed "{{"`},
		{"{{ index | add 1000001 }}", 1, `template at position 1: filter "add": bad number "1000001" (want -1000000..1000000)`},
	}
	for _, tc := range tests {
		t.Run(tc.tpl, func(t *testing.T) {
			_, err := ParseTemplate(tc.tpl)
			var te *TemplateError
			if !errors.As(err, &te) {
				t.Fatalf("ParseTemplate(%q) error = %v, want *TemplateError", tc.tpl, err)
			}
			if !errors.Is(err, ErrBadTemplate) {
				t.Errorf("error does not wrap ErrBadTemplate")
			}
			if te.Pos != tc.wantPos {
				t.Errorf("Pos = %d, want %d", te.Pos, tc.wantPos)
			}
			if err.Error() != tc.wantMsg {
				t.Errorf("Error() = %q, want %q", err.Error(), tc.wantMsg)
			}
		})
	}
}

func TestTemplate_Render_addNotNumber(t *testing.T) {
	var row Row
	row.Set(ColFirstName, "Ada")
	_, err := MustParseTemplate("x {{ first name | add 1 }}").Render(&Env{Row: &row})
	if err == nil || err.Error() != `template at position 3: tag "first name": add needs a number` {
		t.Fatalf("err = %v", err)
	}
}

func TestModel_templateCycles(t *testing.T) {
	tests := []struct {
		name      string
		set       func(m *Model)
		wantField Field
		wantMsg   string
	}{
		{
			name: "first and last name read each other",
			set: func(m *Model) {
				m.Names.FirstName = "{{ last name }}"
				m.Names.LastName = "x{{ first name }}"
			},
			// The field holding the tag that closes the cycle is blamed.
			wantField: FieldLastName,
			wantMsg:   "template names.lastName at position 2: cycle: firstName → lastName → firstName",
		},
		{
			name:      "user id reads itself through user name",
			set:       func(m *Model) { m.UserID.Template = "a{{ user name }}" },
			wantField: FieldUserIDTemplate,
			wantMsg:   "template userId.template at position 2: cycle: userId → userId",
		},
		{
			name: "three-step cycle through email",
			set: func(m *Model) {
				m.UserID.Template = "{{ email }}"
				m.Contact.Email = "{{ first name }}@x.com"
				m.Names.FirstName = "{{ user name }}"
			},
			wantField: FieldFirstName,
			wantMsg:   "template names.firstName at position 1: cycle: userId → emailAddress → firstName → userId",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := hqModel(t, 3)
			tc.set(m)
			_, err := m.Preview()
			fe, ok := err.(FieldErrors)
			if !ok {
				t.Fatalf("Preview error = %v, want FieldErrors", err)
			}
			if fe[tc.wantField] != tc.wantMsg {
				t.Errorf("fe[%s] = %q, want %q (all: %v)", tc.wantField, fe[tc.wantField], tc.wantMsg, fe)
			}
		})
	}
}

func TestModel_Sample(t *testing.T) {
	m := hqModel(t, 100)
	m.StartIndex = 41
	m.Names.FirstName = "Agent"
	m.Names.LastName = "{{ index | pad 4 }}"
	rows, err := m.Sample(3)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"agent.0041@acme.example.com", "agent.0042@acme.example.com", "agent.0043@acme.example.com"}
	if len(rows) != 3 {
		t.Fatalf("got %d rows", len(rows))
	}
	for i, w := range want {
		if got := rows[i].Get(ColUserID); got != w {
			t.Errorf("row %d user id = %q, want %q", i, got, w)
		}
		if rows[i].Get(ColPassword) != "" {
			t.Errorf("sample row %d has a password", i)
		}
	}
	m.Names.LastName = "{{ bogus }}"
	if _, err := m.Sample(3); err == nil {
		t.Fatal("Sample with a bad template: no error")
	}
}

func FuzzTemplate(f *testing.F) {
	for _, s := range []string{
		"{{ index }}", "{{ first name | lower }}.{{ last name | lower }}", "{{ phone number | last 4 }}",
		"{{ index | pad 3 }}", "{{", "}}", "{{ a | b c | d }}", "x{{ index | add -5 }}y", "{{ mac address | upper }}",
		"{{ user id | digits | first 2 }}", "é{{ group id }}✓", "{{ index | pad 200 }}",
	} {
		f.Add(s)
	}
	var row Row
	row.Set(ColFirstName, "Ada")
	row.Set(ColLastName, "Lovelace")
	row.Set(ColPhoneNumber, "2025550100")
	row.Set(ColUserID, "ada@x.com")
	f.Fuzz(func(t *testing.T, s string) {
		tpl, err := ParseTemplate(s)
		if err != nil {
			var te *TemplateError
			if !errors.As(err, &te) || te.Pos < 1 {
				t.Fatalf("ParseTemplate(%q): error %v without a position", s, err)
			}
			return
		}
		env := &Env{Index: 3, Row: &row}
		got, rerr := tpl.Render(env)
		if len(got) > 4*len(s)+10000 {
			t.Fatalf("render of %q blew up to %d bytes", s, len(got))
		}
		// parse → canonical → parse round-trip renders the same.
		again, err := ParseTemplate(tpl.canonical())
		if err != nil {
			// A literal may itself contain "}}" next to a tag; only tags
			// are canonicalised, so re-parsing can only fail if a literal
			// contains "{{", which the parser never leaves in a literal.
			t.Fatalf("canonical %q of %q does not parse: %v", tpl.canonical(), s, err)
		}
		got2, rerr2 := again.Render(env)
		if got2 != got || (rerr == nil) != (rerr2 == nil) {
			t.Fatalf("round trip of %q: %q/%v vs %q/%v", s, got, rerr, got2, rerr2)
		}
	})
}
