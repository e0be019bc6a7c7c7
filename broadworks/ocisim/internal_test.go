package ocisim

import (
	"bufio"
	"encoding/json"
	"errors"
	"go/parser"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

func TestSchema_everyModelHasAHandler(t *testing.T) {
	var missing, extra []string
	for name := range commandModels {
		if _, ok := handlers[name]; !ok {
			missing = append(missing, name)
		}
	}
	for name := range handlers {
		if _, ok := commandModels[name]; !ok {
			extra = append(extra, name)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	if len(missing)+len(extra) > 0 {
		t.Fatalf("models without handler %v; handlers without model %v", missing, extra)
	}
	if len(commandModels) < 50 {
		t.Fatalf("only %d commands", len(commandModels))
	}
}

// Every command of schema.txt is a complex type of the R25 schema.
func TestSchema_namesExistInXSD(t *testing.T) {
	dir := os.Getenv("OCIP_SCHEMA_DIR")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "ocip-schema")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.xsd"))
	more, _ := filepath.Glob(filepath.Join(dir, "Services", "*.xsd"))
	files = append(files, more...)
	if len(files) == 0 {
		t.Skip("schema not found")
	}
	var all strings.Builder
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		all.Write(b)
	}
	for name := range commandModels {
		if !strings.Contains(all.String(), `<xs:complexType name="`+name+`"`) {
			t.Errorf("%s is not a complexType of the schema", name)
		}
	}
}

func TestParseSchema_errors(t *testing.T) {
	tests := []struct{ name, text, want string }{
		{"indented first", "  userId : str 1 2\n", "outside a command"},
		{"bad type", "X\n  a : float\n", "unknown type"},
		{"bad occurrence", "X\n  a x..2 : bool\n", "bad occurrence"},
		{"bad flag", "X\n  a maybe : bool\n", "unknown flag"},
		{"str arity", "X\n  a : str 1\n", "MIN MAX"},
		{"duplicate", "X\nX\n", "twice"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseSchema(tc.text)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err %v, want %q", err, tc.want)
			}
		})
	}
}

func mustParse(t *testing.T, s string) *element {
	t.Helper()
	e, err := parseDocument([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestValidateCommand(t *testing.T) {
	models, err := parseSchema(`T
  a : str 1 3
  b ? nil : int 1 10
  (choice)
    c ? : bool
    (seq)
      d : enum X|Y Z
      e 0..2 : str 0 -
  f ? :
    g : bool =true
  dep ? : dept
`)
	if err != nil {
		t.Fatal(err)
	}
	const xsi = `xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"`
	tests := []struct {
		name, body, want string // want "" = valid
	}{
		{"minimal", "<a>x</a>", ""},
		{"token collapse", "<a>  x  </a>", ""},
		{"all", "<a>abc</a><b>10</b><d>Y Z</d><e/><e>1</e><f><g>1</g></f>", ""},
		{"choice c", "<a>x</a><c>false</c>", ""},
		{"nil", `<a>x</a><b xsi:nil="true"/>`, ""},
		{"group dept", `<a>x</a><dep xsi:type="GroupDepartmentKey"><serviceProviderId>s</serviceProviderId><groupId>g</groupId><name>n</name></dep>`, ""},
		{"missing a", "<b>1</b>", "Element 'b' is not expected here: expected 'a'"},
		{"empty", "", "Missing required element 'a'"},
		{"too long", "<a>abcd</a>", "maximum length 3"},
		{"too short", "<a></a>", "minimum length 1"},
		{"int range", "<a>x</a><b>11</b>", "outside the range 1..10"},
		{"not int", "<a>x</a><b>1.5</b>", "not a valid integer"},
		{"enum", "<a>x</a><d>W</d>", "not one of the allowed values"},
		{"order", "<a>x</a><d>X</d><b>1</b>", "Element 'b' is not expected here"},
		{"both choices", "<a>x</a><c>true</c><d>X</d>", "Element 'd' is not expected here"},
		{"too many", "<a>x</a><d>X</d><e/><e/><e/>", "Element 'e' is not expected here"},
		{"fixed", "<a>x</a><f><g>false</g></f>", "must be true"},
		{"complex missing child", "<a>x</a><f/>", "Missing required element 'g' (in T/f)"},
		{"child in leaf", "<a><z/></a>", "must not contain elements"},
		{"nil not allowed", `<a xsi:nil="true"/>`, "not nillable"},
		{"nil with content", `<a>x</a><b xsi:nil="true">3</b>`, "nil but has content"},
		{"abstract", `<a>x</a><dep><name>n</name></dep>`, "abstract type DepartmentKey"},
		{"enterprise dept order", `<a>x</a><dep xsi:type="EnterpriseDepartmentKey"><name>n</name><serviceProviderId>s</serviceProviderId></dep>`, "expected 'serviceProviderId'"},
		{"unknown", "<a>x</a><zz/>", "Element 'zz' is not expected here (in T)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := mustParse(t, `<command `+xsi+` xsi:type="T">`+tc.body+`</command>`)
			err := validateCommand(e, models["T"])
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("unexpected %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("err %v, want %q", err, tc.want)
			}
		})
	}
}

func TestReadDocument(t *testing.T) {
	const doc = `<?xml version="1.0"?><BroadsoftDocument protocol="OCI" xmlns="C"><sessionId>a&gt;b</sessionId></BroadsoftDocument>`
	tests := []struct {
		name  string
		input string
		max   int
		want  []string
		err   error
	}{
		{"one", doc + "\n", 1000, []string{doc}, io.EOF},
		{"two without newline", doc + doc, 1000, []string{doc, doc}, io.EOF},
		{"leading blank lines", "\r\n\n  " + doc, 1000, []string{doc}, io.EOF},
		{"truncated", doc[:50], 1000, nil, io.ErrUnexpectedEOF},
		{"too large", doc, 40, nil, errTooLarge},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := bufio.NewReaderSize(strings.NewReader(tc.input), 16)
			var got []string
			var err error
			for {
				var b []byte
				if b, err = readDocument(r, tc.max); err != nil {
					break
				}
				got = append(got, string(b))
			}
			if !errors.Is(err, tc.err) || strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Fatalf("got %q, %v; want %q, %v", got, err, tc.want, tc.err)
			}
		})
	}
}

func TestCheckPassword(t *testing.T) {
	strict := PasswordRules{MinLength: 10, MinDigits: 2, MinUpper: 1, MinLower: 1, MinNonAlphanumeric: 1, DisallowUserID: true, DisallowOldPassword: true}
	tests := []struct {
		name, pw, want string
	}{
		{"ok", "Good#Pass12", ""},
		{"short", "Go#d12", "at least 10 characters"},
		{"digits", "Good#Passw1", "2 digits"},
		{"upper", "good#pass12", "upper-case"},
		{"lower", "GOOD#PASS12", "lower-case"},
		{"symbol", "GoodPass123", "non-alphanumeric"},
		{"user id", "Jdoe#Pass12x", "user id"},
		{"old", "Old#Pass1234", "differ from the old"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := checkPassword(strict, "jdoe@example.com", tc.pw, sha1Hex("Old#Pass1234"))
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || err.Code != codePasswordRules || !strings.Contains(err.Message, tc.want) {
				t.Fatalf("err %v, want %q", err, tc.want)
			}
			if strings.Contains(err.Error(), tc.pw) {
				t.Fatal("error text contains the password")
			}
		})
	}
}

func TestGeneratePassword_meetsRules(t *testing.T) {
	s := newServer(&Options{Seed: 3}, false)
	rules := PasswordRules{MinLength: 20, MinDigits: 3, MinUpper: 3, MinLower: 3, MinNonAlphanumeric: 2, DisallowUserID: true}
	seen := map[string]bool{}
	for i := 0; i < 100; i++ {
		pw := s.generatePassword(rules, "u@x")
		if err := checkPassword(rules, "u@x", pw, ""); err != nil {
			t.Fatalf("%d: %v", i, err)
		}
		seen[pw] = true
	}
	if len(seen) < 95 {
		t.Fatalf("only %d distinct passwords", len(seen))
	}
	a := newServer(&Options{Seed: 9}, false).generatePassword(rules, "")
	b := newServer(&Options{Seed: 9}, false).generatePassword(rules, "")
	if a != b {
		t.Fatal("not deterministic under the seed")
	}
}

func TestDnList(t *testing.T) {
	e := mustParse(t, `<x><phoneNumber>+1-2025550100</phoneNumber><dnRange><minPhoneNumber>0100</minPhoneNumber><maxPhoneNumber>0102</maxPhoneNumber></dnRange></x>`)
	got, err := dnList(e)
	if err != nil || strings.Join(got, ",") != "2025550100,0100,0101,0102" {
		t.Fatalf("%v %v", got, err)
	}
	for _, r := range [][2]string{
		{"200", "100"},
		{"+1-100", "+1-1000"},
		// found by fuzzing: a signed range overflowed the size check and
		// looped for ever.
		{"-9223372036854775808", "9223372036854775807"},
		{"0000000000", "9999999999"},
	} {
		e = mustParse(t, `<x><dnRange><minPhoneNumber>`+r[0]+`</minPhoneNumber><maxPhoneNumber>`+r[1]+`</maxPhoneNumber></dnRange></x>`)
		if _, err := dnList(e); err == nil || err.Code != codeDNRangeInvalid {
			t.Fatalf("range %v: %v", r, err)
		}
	}
}

// The simulator is an independent implementation: its code (testpair.go,
// the client's helper, aside) imports nothing of the client. It shares
// one thing with it, on purpose: the release table (ocirelease), facts
// read from the releases' schema sets, which imports nothing of ours.
func TestDeps_independentOfClient(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || f == "testpair.go" {
			continue
		}
		af, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range af.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if p == "bwbulk/broadworks/ocirelease" {
				continue
			}
			if strings.HasPrefix(p, "bwbulk/") || strings.HasPrefix(p, "fyne.io/") {
				t.Errorf("%s imports %s: the simulator must not use the client's code or Fyne", f, p)
			}
		}
	}
}

func TestParseDocument(t *testing.T) {
	tests := []struct {
		name, in, want string // want: the root's first child text, or "error"
	}{
		{"simple", `<r><a> x </a></r>`, " x "},
		{"mixed content before children", "<r>\n  <a>1</a>\n</r>", "1"},
		{"latin-1", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><r><a>\xf0</a></r>", "ð"},
		{"two roots", `<r/><r/>`, "error"},
		{"text outside root", `x<r/>`, "error"},
		{"unclosed", `<r><a>`, "error"},
		{"empty", ``, "error"},
		{"deep", strings.Repeat("<a>", maxDepth+1), "error"},
		// found by fuzzing: text in several open elements used to copy a
		// strings.Builder by value and panic.
		{"found by fuzzing: nested text", "<!0000000000000\"000000000\"0> <A A=\"\"A=\"\"A=\"\">0<useHotline>0</useHotline>0", "error"},
		{"nested text", "<r>0<a>1<b>2</b>3</a>4</r>", "13"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e, err := parseDocument([]byte(tc.in))
			if tc.want == "error" {
				if err == nil {
					t.Fatalf("no error for %q", tc.in)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := e.Kids[0].Text; got != tc.want {
				t.Fatalf("text %q, want %q", got, tc.want)
			}
		})
	}
}

func TestLatin1Reader(t *testing.T) {
	r, err := charsetReader("ISO-8859-1", strings.NewReader("J\xf3\xf0"))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(r)
	if string(b) != "Jóð" {
		t.Fatalf("%q", b)
	}
	if _, err := charsetReader("EBCDIC", nil); err == nil {
		t.Fatal("unknown charset accepted")
	}
}

// The state file written entry by entry reads back as the world that was
// written, the same as encoding/json writes and reads it whole.
func TestSave_readsBackAsEncodingJSONWritesIt(t *testing.T) {
	w := newWorld()
	seedDemo(w)
	g := w.ServiceProviders["acme-ent"].Groups["acme-hq"]
	g.Devices["quote\"d\u00e9v"] = &Device{ServiceProviderID: "acme-ent", GroupID: "acme-hq", Name: "quote\"d\u00e9v", Type: "Polycom VVX 450", MACAddress: "0004F2ABCDEF"}
	w.putUser(&User{UserID: "new<user>@acme.example.com", ServiceProviderID: "acme-ent", GroupID: "acme-hq", LastName: "Ö", FirstName: "A", DeviceName: "quote\"d\u00e9v", Services: []string{"Voice Messaging User"}})
	w.ServiceProviders["empty-sp"] = &ServiceProvider{ID: "empty-sp", Groups: map[string]*Group{"g": {ID: "g"}}}
	path := filepath.Join(t.TempDir(), "state.json")
	if _, err := w.save(path); err != nil {
		t.Fatal(err)
	}
	got, err := loadWorld(path)
	if err != nil {
		t.Fatal(err)
	}
	want, err := json.Marshal(w)
	if err != nil {
		t.Fatal(err)
	}
	var back world
	if err := json.Unmarshal(want, &back); err != nil {
		t.Fatal(err)
	}
	// A group without devices reads back with an empty map, not nil.
	back.ServiceProviders["empty-sp"].Groups["g"].Devices = map[string]*Device{}
	wantText, _ := json.Marshal(&back)
	gotText, _ := json.Marshal(got)
	if string(gotText) != string(wantText) {
		t.Fatalf("state read back differs:\n got %.400s\nwant %.400s", gotText, wantText)
	}
	if len(got.Users) != len(w.Users) || got.Users["new<user>@acme.example.com"] == nil || got.idx.byGroup[gkey("acme-ent", "acme-hq")]["new<user>@acme.example.com"] == nil {
		t.Fatalf("users not read back and indexed: %d of %d", len(got.Users), len(w.Users))
	}
}
