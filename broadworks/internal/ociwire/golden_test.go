package ociwire

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"bwbulk/broadworks/oci"
	"bwbulk/internal/golden"
)

const (
	requestsDir  = "../../testdata/requests"
	responsesDir = "../../testdata/responses"
	moduleRoot   = "../../.."
)

// schemaDir returns OCIP_SCHEMA_DIR, or ../shared/ocip-schema next to the
// module root.
func schemaDir() string {
	if d := os.Getenv("OCIP_SCHEMA_DIR"); d != "" {
		return d
	}
	return filepath.Join(moduleRoot, "..", "shared", "ocip-schema")
}

func TestEncode_golden(t *testing.T) {
	for _, tc := range requestCases() {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Encode(testSession, []oci.Request{tc.req}, EncodeOptions{})
			if err != nil {
				t.Fatal(err)
			}
			want := golden.Check(t, filepath.Join(requestsDir, tc.name+".xml"), got)
			// The golden document decodes back to the same command.
			doc, err := Decode(want)
			if err != nil {
				t.Fatal(err)
			}
			if doc.SessionID != testSession || len(doc.Commands) != 1 {
				t.Fatalf("Decode = session %q, %d commands", doc.SessionID, len(doc.Commands))
			}
			if !reflect.DeepEqual(doc.Commands[0], oci.Command(tc.req)) {
				t.Errorf("round trip differs:\n got %#v\nwant %#v", doc.Commands[0], tc.req)
			}
			for _, m := range secretRE.FindAllSubmatch(want, -1) {
				if string(m[2]) != masked {
					t.Errorf("golden file holds a clear secret in <%s>", m[1])
				}
			}
		})
	}
}

// TestEncode_goldenCoverage checks that every request type the oci package
// registers has a golden document.
func TestEncode_goldenCoverage(t *testing.T) {
	have := map[string]bool{}
	for _, tc := range requestCases() {
		have[tc.req.OCIName()] = true
	}
	n := 0
	for _, name := range oci.Names() {
		c, _ := oci.New(name)
		if _, ok := c.(oci.Request); !ok {
			continue
		}
		n++
		if !have[name] {
			t.Errorf("request %s has no golden document", name)
		}
	}
	t.Logf("%d request types, %d golden documents", n, len(requestCases()))
}

// xmllintRewrite is the sed rewrite of ocip-schema/SOURCE.md: libxml2
// does not resolve xsi:type inside an xmlns="" scope, so validate the
// namespace-equivalent prefixed form.
func xmllintRewrite(doc []byte) []byte {
	s := string(doc)
	s = strings.Replace(s, "<BroadsoftDocument ", "<c:BroadsoftDocument ", 1)
	s = strings.Replace(s, `xmlns="C"`, `xmlns:c="C"`, 1)
	s = strings.Replace(s, "</BroadsoftDocument>", "</c:BroadsoftDocument>", 1)
	s = strings.ReplaceAll(s, ` xmlns=""`, "")
	return []byte(s)
}

// secretRE finds password-like elements, which golden files hold only as
// the placeholder.
var secretRE = regexp.MustCompile(`<(password|newPassword|plainTextPassword|passcode|new|old)>([^<]*)<`)

var validatesRE = regexp.MustCompile(`(?m)^(\S+) validates$`)

// TestGolden_xmllint validates every golden request document, and the
// hand-written response documents, against the R25 schema with xmllint.
// It skips when xmllint or the schema is absent.
func TestGolden_xmllint(t *testing.T) {
	xsd := filepath.Join(schemaDir(), "OCISchemaAS.xsd")
	if _, err := os.Stat(xsd); err != nil {
		t.Skipf("schema not found (%v); set OCIP_SCHEMA_DIR", err)
	}
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		t.Skip("xmllint not installed")
	}
	files, err := filepath.Glob(filepath.Join(requestsDir, "*.xml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden documents in %s", requestsDir)
	}
	nreq := len(files)
	resp, _ := filepath.Glob(filepath.Join(responsesDir, "*.xml"))
	files = append(files, resp...)
	tmp := t.TempDir()
	var args []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(tmp, filepath.Base(filepath.Dir(f))+"-"+filepath.Base(f))
		if err := os.WriteFile(out, xmllintRewrite(b), 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, out)
	}
	abs, _ := filepath.Abs(xsd)
	cmd := exec.Command(xmllint, append([]string{"--noout", "--schema", abs}, args...)...)
	out, runErr := cmd.CombinedOutput()
	ok := map[string]bool{}
	for _, m := range validatesRE.FindAllStringSubmatch(string(out), -1) {
		ok[m[1]] = true
	}
	for _, a := range args {
		if !ok[a] {
			t.Errorf("%s does not validate against the R25 schema", filepath.Base(a))
		}
	}
	if t.Failed() {
		var keep []string
		for _, l := range strings.Split(string(out), "\n") {
			if l != "" && !strings.Contains(l, "namespace warning") && !strings.HasPrefix(l, " ") && !strings.HasPrefix(l, "<") && !strings.HasPrefix(l, "^") {
				keep = append(keep, l)
			}
		}
		t.Logf("xmllint (%v):\n%s", runErr, strings.Join(keep, "\n"))
	}
	nok := 0
	for _, a := range args[:nreq] {
		if ok[a] {
			nok++
		}
	}
	t.Logf("validated %d of %d golden request documents and %d of %d response documents against %s",
		nok, nreq, len(ok)-nok, len(args)-nreq, abs)
}
