package ocisim

import (
	"bufio"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"bwbulk/broadworks/ocirelease"
)

const fuzzHeader = `<?xml version="1.0" encoding="ISO-8859-1"?>
<BroadsoftDocument protocol="OCI" xmlns="C" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><sessionId xmlns="">f</sessionId>`

var fuzzSeeds = []string{
	`<command xsi:type="UserGetRequest23V2" xmlns=""><userId>branch.user01@acme.example.com</userId></command>`,
	`<command xsi:type="UserAddRequest22V2" xmlns=""><serviceProviderId>acme-ent</serviceProviderId><groupId>acme-hq</groupId><userId>f@acme.example.com</userId><lastName>L</lastName><firstName>F</firstName><callingLineIdLastName>L</callingLineIdLastName><callingLineIdFirstName>F</callingLineIdFirstName><phoneNumber>2025550100</phoneNumber><department xsi:type="GroupDepartmentKey"><serviceProviderId>acme-ent</serviceProviderId><groupId>acme-hq</groupId><name>Sales</name></department><accessDeviceEndpoint><accessDevice><deviceLevel>Group</deviceLevel><deviceName>acme-hq-pbx</deviceName></accessDevice><linePort>f@acme.example.com</linePort><useHotline>false</useHotline></accessDeviceEndpoint></command>`,
	`<command xsi:type="UserModifyRequest22" xmlns=""><userId>branch.user02@acme.example.com</userId><phoneNumber xsi:nil="true"/><endpoint><trunkAddressing><enterpriseTrunkName>acme-etrunk</enterpriseTrunkName></trunkAddressing></endpoint></command>`,
	`<command xsi:type="GroupDnAssignListRequest" xmlns=""><serviceProviderId>acme-ent</serviceProviderId><groupId>acme-hq</groupId><dnRange><minPhoneNumber>2025550400</minPhoneNumber><maxPhoneNumber>2025550410</maxPhoneNumber></dnRange></command>`,
	`<command xsi:type="GroupAccessDeviceAddRequest22V2" xmlns=""><serviceProviderId>acme-ent</serviceProviderId><groupId>acme-hq</groupId><deviceName>d</deviceName><deviceType>Yealink T54W</deviceType><macAddress>805ec0112233</macAddress></command>`,
	`<command xsi:type="Bogus" xmlns=""/>`,
	// Older versions: answered in their own shape (versions.txt, responses.txt).
	`<command xsi:type="UserGetRequest21" xmlns=""><userId>branch.user01@acme.example.com</userId></command>`,
	`<command xsi:type="GroupGetRequest14sp7" xmlns=""><serviceProviderId>acme-ent</serviceProviderId><groupId>acme-hq</groupId></command>`,
	`<command xsi:type="UserModifyRequest17sp4" xmlns=""><userId>branch.user02@acme.example.com</userId><lastName>M</lastName></command>`,
	// Shared Call Appearance endpoints take line/ports and device ports.
	`<command xsi:type="UserServiceAssignListRequest" xmlns=""><userId>branch.user03@acme.example.com</userId><serviceName>Shared Call Appearance</serviceName></command>` +
		`<command xsi:type="UserSharedCallAppearanceAddEndpointRequest14sp2" xmlns=""><userId>branch.user03@acme.example.com</userId><accessDeviceEndpoint><accessDevice><deviceLevel>Group</deviceLevel><deviceName>branch-phone-04</deviceName></accessDevice><linePort>sca3@acme.example.com</linePort></accessDeviceEndpoint><isActive>true</isActive><allowOrigination>true</allowOrigination><allowTermination>true</allowTermination></command>` +
		`<command xsi:type="UserSharedCallAppearanceGetRequest21sp1" xmlns=""><userId>branch.user03@acme.example.com</userId></command>` +
		`<command xsi:type="UserSharedCallAppearanceDeleteEndpointListRequest14" xmlns=""><userId>branch.user03@acme.example.com</userId><accessDeviceEndpoint><accessDevice><deviceLevel>Group</deviceLevel><deviceName>branch-phone-04</deviceName></accessDevice><linePort>sca3@acme.example.com</linePort></accessDeviceEndpoint></command>` +
		`<command xsi:type="UserDeleteRequest" xmlns=""><userId>branch.user03@acme.example.com</userId></command>`,
	`<command xsi:type="SystemDeviceTypeGetAvailableListRequest19" xmlns=""><allowConference>false</allowConference><allowMusicOnHold>false</allowMusicOnHold><onlyConference>false</onlyConference><onlyVideoCapable>false</onlyVideoCapable><onlyOptionalIpAddress>false</onlyOptionalIpAddress></command>`,
}

// FuzzProcess feeds arbitrary documents to a logged-in session of a demo
// server: it must never panic, and must always answer with a well-formed
// document holding at least one command.
func FuzzProcess(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(fuzzHeader + s + `</BroadsoftDocument>`))
	}
	f.Add([]byte(fuzzHeader + strings.Repeat(fuzzSeeds[0], 16) + `</BroadsoftDocument>`))
	f.Add([]byte(`<BroadsoftDocument protocol="OCI" xmlns="C">`))
	f.Add([]byte("\xff\xfe<"))
	s := newServer(nil, true)
	sess := &session{id: "f", admin: s.w.Admins[DefaultAdmin]}
	f.Fuzz(func(t *testing.T, doc []byte) {
		if len(doc) > 64<<10 {
			return
		}
		resp, _ := s.process(sess, doc, "fuzz")
		if sess.admin == nil { // a LogoutRequest went through: log in again
			sess.admin, sess.id = s.w.Admins[DefaultAdmin], "f"
		}
		if !bytes.HasPrefix(resp, []byte(xmlDecl+"\n")) || !bytes.HasSuffix(resp, []byte("</BroadsoftDocument>\n")) {
			t.Fatalf("layout %q", resp)
		}
		if bytes.Count(resp, []byte("\n")) != 2 {
			t.Fatalf("response not on one line: %q", resp)
		}
		d := xml.NewDecoder(bytes.NewReader(resp))
		d.CharsetReader = charsetReader
		var out struct {
			Commands []struct{} `xml:"command"`
		}
		if err := d.Decode(&out); err != nil {
			t.Fatalf("response not well-formed: %v\n%q", err, resp)
		}
		if len(out.Commands) == 0 {
			t.Fatalf("no command in %q", resp)
		}
		if bad := s.w.checkIndex(); bad != "" {
			t.Fatalf("index out of step with the users (%s) after %q", bad, doc)
		}
	})
}

// FuzzReadDocument checks the framing: never more than max bytes, every
// document returned ends with the closing root tag.
func FuzzReadDocument(f *testing.F) {
	f.Add([]byte(fuzzHeader+fuzzSeeds[0]+"</BroadsoftDocument>\n"), 4096)
	f.Add([]byte("</BroadsoftDocument></BroadsoftDocument>"), 30)
	f.Add([]byte("\n\n<a>>>>"), 5)
	f.Fuzz(func(t *testing.T, in []byte, max int) {
		if max <= 0 || max > 1<<20 {
			return
		}
		r := bufio.NewReaderSize(bytes.NewReader(in), 16)
		total := 0
		for {
			b, err := readDocument(r, max)
			if err != nil {
				if err != io.EOF && err != io.ErrUnexpectedEOF && err != errTooLarge {
					t.Fatalf("error %v", err)
				}
				return
			}
			if len(b) > max || !bytes.HasSuffix(b, endTag) {
				t.Fatalf("document %q (max %d)", b, max)
			}
			total += len(b)
			if total > len(in) {
				t.Fatal("read more than the input")
			}
		}
	})
}

// FuzzParseRelease: a release read back from its own form is the same,
// and the release table never panics on a command name.
func FuzzParseRelease(f *testing.F) {
	for _, s := range []string{"25", "22.0", "21sp1", "21.sp1", "R24", "r13mp2", "", "x", "99999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_, _ = ocirelease.Has(ocirelease.Release{Major: 22}, "UserGetRequest"+s)
		r, ok := parseRelease(s)
		if !ok {
			return
		}
		form := strconv.Itoa(r.Major)
		if r.SP > 0 {
			form += "sp" + strconv.Itoa(r.SP)
		}
		back, ok := parseRelease(form)
		if !ok || back != r {
			t.Fatalf("parseRelease(%q) = %+v; %q reads %+v, %v", s, r, form, back, ok)
		}
	})
}

// FuzzSOAPFaults feeds arbitrary OCI documents, escaped in a SOAP
// envelope, to the SOAP endpoint of an R21 server that refuses unknown
// commands with SOAP Faults: it must never panic, a Fault (HTTP 500) is
// well-formed and names a command, and otherwise the answer is an envelope
// holding a document.
func FuzzSOAPFaults(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(fuzzHeader + s + `</BroadsoftDocument>`)
	}
	f.Add(fuzzHeader + `<command xsi:type="UserGetRequest22V8" xmlns=""><userId>a</userId></command></BroadsoftDocument>`)
	f.Add(`<BroadsoftDocument protocol="OCI" xmlns="C"><command xsi:type="`)
	s := newServer(&Options{Release: "21", SOAPFaults: true, Refuse: []string{"UserGetRequest21"}}, true)
	h := s.SOAPHandler()
	f.Fuzz(func(t *testing.T, doc string) {
		if len(doc) > 64<<10 {
			return
		}
		var b bytes.Buffer
		b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="` + nsSOAP + `"><soapenv:Body><processOCIMessage><in0>`)
		xml.EscapeText(&b, []byte(doc))
		b.WriteString(`</in0></processOCIMessage></soapenv:Body></soapenv:Envelope>`)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, SOAPPath, &b))
		body := rec.Body.String()
		var env struct {
			Body struct {
				Fault *struct {
					String string `xml:"faultstring"`
				} `xml:"Fault"`
				Response *struct {
					Return string `xml:"processOCIMessageReturn"`
				} `xml:"processOCIMessageResponse"`
			} `xml:"Body"`
		}
		if err := xml.Unmarshal([]byte(body), &env); err != nil {
			t.Fatalf("answer not well-formed (%v): %q", err, body)
		}
		switch {
		case rec.Code == http.StatusInternalServerError:
			if env.Body.Fault == nil || env.Body.Fault.String == "" {
				t.Fatalf("HTTP 500 without a Fault: %q", body)
			}
		case rec.Code == http.StatusOK:
			if env.Body.Response == nil || !strings.Contains(env.Body.Response.Return, "BroadsoftDocument") {
				t.Fatalf("HTTP 200 without a document: %q", body)
			}
		default:
			t.Fatalf("HTTP %d: %q", rec.Code, body)
		}
	})
}

// FuzzParseDocument: a document the simulator's own reader takes is read by
// encoding/xml's reader too, into the same tree; one it does not take is
// refused or read by encoding/xml's reader alone, as before.
func FuzzParseDocument(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(fuzzHeader + s + `</BroadsoftDocument>`))
	}
	for _, s := range []string{
		`<?xml version="1.0" encoding="UTF-8"?><BroadsoftDocument protocol="OCI" xmlns="C"><sessionId xmlns="">s</sessionId><command xmlns="" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="UserGetRequest23V2"><userId>J&#246;rg&amp;co</userId></command></BroadsoftDocument>`,
		"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<BroadsoftDocument protocol=\"OCI\" xmlns=\"C\"><sessionId xmlns=\"\">J\xf6rg</sessionId></BroadsoftDocument>",
		`<?xml version="1.0" encoding="us-ascii"?><a><b x='1'/>t</a>`,
		`<?xml version="1.0" encoding="EBCDIC"?><a/>`,
		`<?xml version="1.1"?><a/>`,
		`<?xml-stylesheet encoding="latin1"?><a>` + "\xe9" + `</a>`,
		`<a><?xml version="1.0" encoding="ISO-8859-1"?>` + "\xe9" + `</a>`,
		"\xef\xbb\xbf<a>x</a>",
		`<a><b></a>`,
		`<a/><b/>`,
		`x<a/>`,
		`<a><!-- c --></a>`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		doc = bytes.TrimPrefix(doc, utf8BOM)
		got, err := parseDocument(doc)
		want, werr := parseDocumentXML(doc)
		if (err == nil) != (werr == nil) || err != nil && err.Error() != werr.Error() {
			t.Fatalf("parseDocument: %v; encoding/xml's reader: %v", err, werr)
		}
		body, ok := plainDocument(doc)
		if !ok {
			return
		}
		fast, ok := plainTree(body)
		if !ok {
			return // read by encoding/xml's reader instead
		}
		if werr != nil {
			t.Fatalf("plainTree takes a document encoding/xml's reader refuses (%v)", werr)
		}
		if !reflect.DeepEqual(fast, want) || !reflect.DeepEqual(got, want) {
			t.Fatalf("trees differ:\nfast %s\nxml  %s", dumpTree(fast), dumpTree(want))
		}
	})
}

func dumpTree(e *element) string {
	var b strings.Builder
	var walk func(e *element)
	walk = func(e *element) {
		b.WriteString("<" + e.Space + ":" + e.Name)
		for _, a := range e.Attrs {
			b.WriteString(" " + a.Name.Space + ":" + a.Name.Local + "=" + strconv.Quote(a.Value))
		}
		b.WriteString(">" + strconv.Quote(e.Text))
		for _, k := range e.Kids {
			walk(k)
		}
		b.WriteString("</>")
	}
	walk(e)
	return b.String()
}

// The documents clients send are plain: the simulator's own reader takes
// them, into the tree encoding/xml's reader makes.
func TestPlainTree_readsRequests(t *testing.T) {
	for i, s := range fuzzSeeds {
		doc := []byte(fuzzHeader + s + "</BroadsoftDocument>\n")
		body, ok := plainDocument(doc)
		if !ok {
			t.Fatalf("seed %d: declaration not taken", i)
		}
		got, ok := plainTree(body)
		if !ok {
			t.Fatalf("seed %d: not read as plain XML", i)
		}
		want, err := parseDocumentXML(doc)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("seed %d: %v\nplain %s\nxml   %s", i, err, dumpTree(got), dumpTree(want))
		}
	}
}

// FuzzJournalRecord: a journal record is what json.Marshal writes of it.
func FuzzJournalRecord(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add("admin", []byte(fuzzHeader+s+`</BroadsoftDocument>`))
	}
	f.Add("a\"<é>\u2028\x01", []byte("<a x='&lt;&#233;&#x2028;'>\t\"\\&amp;\xed\xa0\x80<b/></a>"))
	f.Fuzz(func(t *testing.T, admin string, doc []byte) {
		e, err := parseDocument(doc)
		if err != nil {
			e = &element{Name: string(doc), Text: admin, Attrs: []xml.Attr{{Value: string(doc)}}}
		}
		want, err := json.Marshal(journalRecord{Admin: admin, Cmd: e})
		if err != nil {
			t.Fatal(err)
		}
		if got := appendRecord(nil, admin, e); !bytes.Equal(got, want) {
			t.Fatalf("record\n%s\nwant\n%s", got, want)
		}
	})
}
