package ocisim_test

import (
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"bwbulk/broadworks/ocirelease"
	"bwbulk/broadworks/ocisim"
	"bwbulk/internal/ocinames"
)

// olderVersions reads versions.txt: every older version the simulator
// accepts and the version it is handled as.
func olderVersions(t *testing.T) map[string]string {
	b, err := os.ReadFile("versions.txt")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, l := range strings.Split(string(b), "\n") {
		if name, base, ok := strings.Cut(l, " = "); ok && !strings.HasPrefix(l, "#") {
			out[name] = base
		}
	}
	return out
}

// versionBody is a valid content for a version of each command family,
// in the elements every version of it shares.
func versionBody(base, n string) (string, bool) {
	g := el("serviceProviderId", "acme-ent") + el("groupId", "acme-hq")
	flags := el("allowConference", "false") + el("allowMusicOnHold", "false") + el("onlyConference", "false")
	switch base {
	case "GroupDepartmentGetListRequest18":
		return g + el("includeEnterpriseDepartments", "true"), true
	case "GroupExtensionLengthGetRequest22", "GroupGetRequest22V5", "GroupPasswordRulesGetRequestRI", "GroupTrunkGroupGetInstanceListRequest14sp4":
		return g, true
	case "ServiceProviderDomainGetAssignedListRequest22", "ServiceProviderGetRequest22V4", "ServiceProviderPasswordRulesGetRequestRI":
		return el("serviceProviderId", "acme-ent"), true
	case "SystemPasswordRulesGetRequestRI", "SystemTimeZoneGetListRequest20":
		return "", true
	case "SystemDeviceTypeGetAvailableListRequest22V2":
		return flags + el("onlyVideoCapable", "false") + el("onlyOptionalIpAddress", "false"), true
	case "UserGetRequest23V2":
		return el("userId", "branch.user01@acme.example.com"), true
	case "UserModifyRequest22":
		return el("userId", "branch.user01@acme.example.com") + el("lastName", "Renamed"), true
	case "UserAddRequest22V2":
		return g + el("userId", n+"@acme.example.com") + el("lastName", "Old") + el("firstName", "Version") +
			el("callingLineIdLastName", "Old") + el("callingLineIdFirstName", "Version"), true
	case "GroupAccessDeviceGetUserListRequest21sp1":
		return el("serviceProviderId", "acme-ent") + el("groupId", "acme-branch") + el("deviceName", "branch-phone-01"), true
	case "GroupAccessDeviceAddRequest22V2":
		body := g + el("deviceName", n) + el("deviceType", "Generic SIP Phone")
		if n == "groupaccessdeviceaddrequest22" {
			body += el("useHotline", "false") // required in that version only
		}
		return body, true
	}
	return "", false // the login versions: TestRelease_login
}

// releaseHas is what each release's own requests are, from facts that
// are not the simulator's (ocinames.ReleaseHas).
func releaseHas(t *testing.T, rel int) func(string) bool {
	has, _, err := ocinames.ReleaseHas(ocirelease.Release{Major: rel})
	if err != nil {
		t.Fatal(err)
	}
	return has
}

// Each release accepts exactly the versions its schema set has (one it
// lacks is [Error 6004], as an older Application Server answers) and
// answers a data request in the version's own response type.
func TestRelease_versions(t *testing.T) {
	versions := olderVersions(t)
	if len(versions) < 60 {
		t.Fatalf("versions.txt lists %d versions", len(versions))
	}
	for _, rel := range []int{20, 21, 22, 23, 24, 25} {
		t.Run(fmt.Sprint(rel), func(t *testing.T) {
			has := releaseHas(t, rel)
			s := startDemo(t, &ocisim.Options{Release: fmt.Sprintf("%d.0", rel)})
			c := dialRaw(t, s.Addr().String())
			wantOK(t, c.loginNonce(ocisim.DefaultAdmin, ocisim.DefaultPassword))
			if v := c.one("SystemSoftwareVersionGetRequest", ""); v.field("version") != fmt.Sprintf("%d.0", rel) {
				t.Errorf("version %q", v.field("version"))
			}
			accepted, refused := 0, 0
			try := func(n, body string) {
				r := c.one(n, body)
				switch {
				case !has(n):
					if r.ok() || r.ErrorCode != 6004 || !strings.Contains(r.Detail, "not a known command") {
						t.Errorf("%s at R%d: got %s %s, want 6004", n, rel, r.Summary, r.Detail)
					}
					refused++
				case !r.ok():
					t.Errorf("%s at R%d refused: %s %s", n, rel, r.Summary, r.Detail)
				default:
					accepted++
					want := strings.Replace(n, "Request", "Response", 1)
					if r.XSIType != want && r.XSIType != "c:SuccessResponse" {
						t.Errorf("%s answered with %s, want %s", n, r.XSIType, want)
					}
				}
			}
			for n, base := range versions {
				if body, ok := versionBody(base, strings.ToLower(n)); ok {
					try(n, body)
				}
			}
			for _, n := range []string{"UserGetRequest23V2", "SystemPasswordRulesGetRequestRI", "GroupGetRequest22V5"} {
				body, _ := versionBody(n, "")
				try(n, body)
			}
			t.Logf("R%d: %d versions accepted, %d refused", rel, accepted, refused)
		})
	}
}

// A server patched below its release (Options.Refuse) refuses a version
// its release has, as it refuses one the release lacks.
func TestRelease_refuse(t *testing.T) {
	s := startDemo(t, &ocisim.Options{Release: "24", Refuse: []string{"UserGetRequest22V8"}})
	c := adminClient(t, s)
	if r := c.one("UserGetRequest22V8", el("userId", "branch.user01@acme.example.com")); r.ErrorCode != 6004 || !strings.Contains(r.Detail, "not a known command") {
		t.Errorf("UserGetRequest22V8: %s %s, want 6004", r.Summary, r.Detail)
	}
	wantOK(t, c.one("UserGetRequest22V7", el("userId", "branch.user01@acme.example.com")))
}

// Every older version's request and its answer validate against the R25
// schema: the answers are written in the older shape at every level. Each
// pair validates too against the R21 and R24 sets (ocinames.SchemaDir)
// when that release has the version, so the shape is the one that
// release's own schema defines, not only R25's.
func TestRelease_responsesValidate(t *testing.T) {
	dir := schemaDir(t)
	if _, err := exec.LookPath("xmllint"); err != nil {
		t.Skip("xmllint not installed")
	}
	s := startDemo(t, nil)
	c := adminClient(t, s)
	tmp := t.TempDir()
	type pair struct{ name, request, response string }
	var pairs []pair
	for n, base := range olderVersions(t) {
		body, ok := versionBody(base, strings.ToLower(n))
		if !ok {
			continue
		}
		wantOK(t, c.one(n, body))
		p := pair{n, filepath.Join(tmp, n+"-0.xml"), filepath.Join(tmp, n+"-1.xml")}
		for file, doc := range map[string]string{p.request: document(c.sid, cmd(n, body)), p.response: string(c.last)} {
			if err := os.WriteFile(file, []byte(forXmllint(doc)), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		pairs = append(pairs, p)
	}
	sets := []struct {
		name, dir string
		has       func(string) bool
	}{{"R25", dir, func(string) bool { return true }}}
	for _, major := range []int{21, 24} {
		d, ok := ocinames.SchemaDir(major)
		if !ok {
			t.Logf("R%d: no schema set in %s, not checked", major, d)
			continue
		}
		sets = append(sets, struct {
			name, dir string
			has       func(string) bool
		}{fmt.Sprintf("R%d", major), forLibxml2(t, d), releaseHas(t, major)})
	}
	for _, set := range sets {
		var files []string
		for _, p := range pairs {
			if set.has(p.name) {
				files = append(files, p.request, p.response)
			}
		}
		if len(files) == 0 {
			t.Errorf("%s: no older version to check", set.name)
			continue
		}
		out, err := exec.Command("xmllint", append([]string{"--noout", "--schema", filepath.Join(set.dir, "OCISchemaAS.xsd")}, files...)...).CombinedOutput()
		var problems []string
		for _, line := range strings.Split(string(out), "\n") {
			if strings.Contains(line, "fails to validate") || strings.Contains(line, "validity error") {
				problems = append(problems, line)
			}
		}
		if valid := strings.Count(string(out), " validates\n"); err != nil || len(problems) > 0 || valid != len(files) {
			t.Errorf("%s: xmllint (%v): %d of %d validate\n%s", set.name, err, valid, len(files), strings.Join(problems, "\n"))
			continue
		}
		t.Logf("%s: %d older-version requests and responses validated against its own schema set", set.name, len(files))
	}
}

// booleanSpace is an xs:boolean attribute value with blanks around it,
// as R21's OCISchemaSystem.xsd has one (nillable="true ").
var booleanSpace = regexp.MustCompile(`="\s*(true|false)\s+"|="\s+(true|false)\s*"`)

// forLibxml2 copies the schema set in dir to a temporary folder with the
// blanks around boolean attribute values removed: xs:boolean collapses
// them, but libxml2 2.9.14 refuses to compile such a schema. Nothing else
// is changed; the copy is removed after the test.
func forLibxml2(t *testing.T, dir string) string {
	out := t.TempDir()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(out, rel), 0o700)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		b = booleanSpace.ReplaceAllFunc(b, func(m []byte) []byte {
			return []byte(`="` + strings.TrimSpace(strings.Trim(string(m), `="`)) + `"`)
		})
		return os.WriteFile(filepath.Join(out, rel), b, 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// The login versions of each release: those its schema set has are
// accepted, the others refused; the nonce flow (LoginRequest14sp4) works
// everywhere.
func TestRelease_login(t *testing.T) {
	for _, rel := range []string{"21sp1", "22.0", "23.0", "24.0"} {
		r, _ := ocirelease.Parse(rel)
		s := startDemo(t, &ocisim.Options{Release: rel})
		for _, n := range []string{"LoginRequest22", "LoginRequest22V2", "LoginRequest22V3", "LoginRequest22V4", "LoginRequest22V5"} {
			c := dialRaw(t, s.Addr().String())
			resp := c.one(n, el("userId", "admin")+el("password", "welcome1"))
			if has, _ := ocirelease.Has(r, n); has != resp.ok() || has && resp.XSIType != strings.Replace(n, "Request", "Response", 1) {
				t.Errorf("%s at %s: %s %s (the release has it: %v)", n, rel, resp.XSIType, resp.Summary, has)
			}
		}
		for _, n := range []string{"LoginRequest14sp4", "LoginRequest21sp1"} {
			c := dialRaw(t, s.Addr().String())
			a := c.one("AuthenticationRequest", el("userId", "admin"))
			resp := c.one(n, el("userId", "admin")+el("signedPassword", signed(a.field("nonce"), "welcome1")))
			if has, _ := ocirelease.Has(r, n); has != resp.ok() || has && resp.XSIType != strings.Replace(n, "Request", "Response", 1) {
				t.Errorf("%s at %s: %s %s (the release has it: %v)", n, rel, resp.XSIType, resp.Summary, has)
			}
		}
	}
}

// What real servers do: a UTF-8 byte-order mark before the document is
// accepted, and each command's echo attribute comes back on its response.
func TestProtocol_byteOrderMarkAndEcho(t *testing.T) {
	s := startDemo(t, nil)
	c := adminClient(t, s)
	doc := "\xef\xbb\xbf" + strings.Replace(document(c.sid,
		`<command xsi:type="VerifySessionIsValidRequest" xmlns="" echo="first"/>`,
		`<command xsi:type="UserGetRequest23V2" xmlns="" echo="second &amp; last">`+el("userId", "nobody@acme.example.com")+`</command>`),
		`encoding="ISO-8859-1"`, `encoding="UTF-8"`, 1)
	d, err := c.sendRaw(doc)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Commands) != 2 || !d.Commands[0].ok() {
		t.Fatalf("answer %+v", d.Commands)
	}
	for i, want := range []string{"first", "second & last"} {
		if e := d.Commands[i].Echo; e == nil || *e != want {
			t.Errorf("command %d echo = %v, want %q", i+1, e, want)
		}
	}
	if r := c.one("VerifySessionIsValidRequest", ""); r.Echo != nil {
		t.Errorf("echo %q on a command sent without one", *r.Echo)
	}
}

// With OmitErrorCode the code is only in the summary, as in captured real
// replies; every kind of refusal still carries it there.
func TestProtocol_omitErrorCode(t *testing.T) {
	s := startDemo(t, &ocisim.Options{OmitErrorCode: true})
	c := adminClient(t, s)
	for _, tc := range []struct {
		cmd  string
		code string
	}{
		{cmd("UserGetRequest23V2", el("userId", "nobody@acme.example.com")), "[Error 4008]"},
		{cmd("NoSuchRequest", ""), "[Error 6004]"},
		{cmd("GroupGetRequest22V5", el("serviceProviderId", "acme-ent")+el("groupId", "nope")), "[Error 4152]"},
	} {
		r := c.send(tc.cmd)[0]
		if r.ok() || r.ErrorCode != 0 || strings.Contains(string(c.last), "errorCode") || !strings.HasPrefix(r.Summary, tc.code) {
			t.Errorf("%s: code %d, summary %q; want no errorCode and %s", tc.cmd, r.ErrorCode, r.Summary, tc.code)
		}
	}
}
