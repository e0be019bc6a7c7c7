package ocisim_test

// A raw OCI-P client written from the schema and the protocol notes only:
// it builds request documents by hand and reads responses with
// encoding/xml, so the tests exercise the wire format, not shared code.

import (
	"bufio"
	"bytes"
	"crypto/md5"
	"crypto/sha1"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"bwbulk/broadworks/ocisim"
)

type rawCmd struct {
	Attrs          []xml.Attr `xml:",any,attr"`
	XSIType        string     `xml:"-"`
	ErrType        string     `xml:"-"` // the unqualified type attribute of an ErrorResponse
	Echo           *string    `xml:"-"`
	ErrorCode      int        `xml:"errorCode"`
	Summary        string     `xml:"summary"`
	SummaryEnglish string     `xml:"summaryEnglish"`
	Detail         string     `xml:"detail"`
	Inner          string     `xml:",innerxml"`
}

// ok reports a SuccessResponse or a data response.
func (c rawCmd) ok() bool { return c.XSIType != "c:ErrorResponse" }

// field returns the text of the first <name> element inside the command.
func (c rawCmd) field(name string) string {
	d := xml.NewDecoder(strings.NewReader("<x>" + c.Inner + "</x>"))
	for {
		tok, err := d.Token()
		if err != nil {
			return ""
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == name {
			var s string
			d.DecodeElement(&s, &se)
			return s
		}
	}
}

// table returns an OCITable's rows as maps keyed by column heading.
func (c rawCmd) table(name string) []map[string]string {
	var t struct {
		Headings []string `xml:"colHeading"`
		Rows     []struct {
			Cols []string `xml:"col"`
		} `xml:"row"`
	}
	d := xml.NewDecoder(strings.NewReader("<x>" + c.Inner + "</x>"))
	for {
		tok, err := d.Token()
		if err != nil {
			return nil
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == name {
			d.DecodeElement(&t, &se)
			break
		}
	}
	var out []map[string]string
	for _, r := range t.Rows {
		m := map[string]string{}
		for i, h := range t.Headings {
			if i < len(r.Cols) {
				m[h] = r.Cols[i]
			}
		}
		out = append(out, m)
	}
	return out
}

type rawDoc struct {
	XMLName   xml.Name `xml:"C BroadsoftDocument"`
	Protocol  string   `xml:"protocol,attr"`
	SessionID string   `xml:"sessionId"`
	Commands  []rawCmd `xml:"command"`
}

func latin1(label string, r io.Reader) (io.Reader, error) {
	if !strings.EqualFold(label, "ISO-8859-1") {
		return nil, fmt.Errorf("unexpected encoding %q", label)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, len(b))
	for _, c := range b {
		out = utf8.AppendRune(out, rune(c))
	}
	return bytes.NewReader(out), nil
}

func decodeResponse(t testing.TB, b []byte) rawDoc {
	t.Helper()
	var d rawDoc
	dec := xml.NewDecoder(bytes.NewReader(b))
	dec.CharsetReader = latin1
	if err := dec.Decode(&d); err != nil {
		t.Fatalf("decode response: %v\n%s", err, b)
	}
	for i := range d.Commands {
		c := &d.Commands[i]
		for _, a := range c.Attrs {
			switch {
			case a.Name.Space == "http://www.w3.org/2001/XMLSchema-instance" && a.Name.Local == "type":
				c.XSIType = a.Value
			case a.Name.Space == "" && a.Name.Local == "type":
				c.ErrType = a.Value
			case a.Name.Space == "" && a.Name.Local == "echo":
				v := a.Value
				c.Echo = &v
			}
		}
	}
	return d
}

type rawClient struct {
	t    testing.TB
	conn net.Conn
	r    *bufio.Reader
	sid  string
	last []byte // last raw response
}

func dialRaw(t testing.TB, addr string) *rawClient {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return newRaw(t, c)
}

func newRaw(t testing.TB, c net.Conn) *rawClient {
	return &rawClient{t: t, conn: c, r: bufio.NewReader(c), sid: fmt.Sprintf("sess-%p", c)}
}

// document wraps command elements into a request document.
func document(sid string, cmds ...string) string {
	return `<?xml version="1.0" encoding="ISO-8859-1"?>` + "\n" +
		`<BroadsoftDocument protocol="OCI" xmlns="C" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
		`<sessionId xmlns="">` + sid + `</sessionId>` + strings.Join(cmds, "") + `</BroadsoftDocument>` + "\n"
}

// cmd builds one command element; body is its raw content.
func cmd(typ, body string) string {
	return `<command xsi:type="` + typ + `" xmlns="">` + body + `</command>`
}

// el builds <name>text</name> with text escaped.
func el(name, text string) string {
	var b bytes.Buffer
	xml.EscapeText(&b, []byte(text))
	return "<" + name + ">" + b.String() + "</" + name + ">"
}

// sendRaw writes a whole document and reads the two-line response.
func (c *rawClient) sendRaw(doc string) (rawDoc, error) {
	c.conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(c.conn, doc); err != nil {
		return rawDoc{}, err
	}
	decl, err := c.r.ReadString('\n')
	if err != nil {
		return rawDoc{}, err
	}
	body, err := c.r.ReadString('\n')
	if err != nil {
		return rawDoc{}, err
	}
	if decl != `<?xml version="1.0" encoding="ISO-8859-1"?>`+"\n" {
		c.t.Fatalf("declaration line = %q", decl)
	}
	c.last = []byte(decl + body)
	return decodeResponse(c.t, c.last), nil
}

func (c *rawClient) send(cmds ...string) []rawCmd {
	c.t.Helper()
	d, err := c.sendRaw(document(c.sid, cmds...))
	if err != nil {
		c.t.Fatalf("send: %v", err)
	}
	if d.SessionID != c.sid {
		c.t.Fatalf("response sessionId %q, want %q", d.SessionID, c.sid)
	}
	return d.Commands
}

func (c *rawClient) one(typ, body string) rawCmd {
	c.t.Helper()
	r := c.send(cmd(typ, body))
	if len(r) != 1 {
		c.t.Fatalf("%s: %d responses, want 1", typ, len(r))
	}
	return r[0]
}

func sha1hex(s string) string {
	h := sha1.Sum([]byte(s))
	return hex.EncodeToString(h[:])
}

func signed(nonce, password string) string {
	h := md5.Sum([]byte(nonce + ":" + sha1hex(password)))
	return hex.EncodeToString(h[:])
}

// loginNonce performs AuthenticationRequest + LoginRequest14sp4.
func (c *rawClient) loginNonce(user, password string) rawCmd {
	c.t.Helper()
	a := c.one("AuthenticationRequest", el("userId", user))
	if !a.ok() {
		c.t.Fatalf("AuthenticationRequest: %s", a.Summary)
	}
	if a.field("passwordAlgorithm") != "MD5" {
		c.t.Fatalf("passwordAlgorithm = %q", a.field("passwordAlgorithm"))
	}
	return c.one("LoginRequest14sp4", el("userId", user)+el("signedPassword", signed(a.field("nonce"), password)))
}

func (c *rawClient) login22(user, password string) rawCmd {
	c.t.Helper()
	return c.one("LoginRequest22V5", el("userId", user)+el("password", password))
}

// mustLogin logs in with LoginRequest22V5 and fails the test on error.
func (c *rawClient) mustLogin(user, password string) *rawClient {
	c.t.Helper()
	if r := c.login22(user, password); !r.ok() {
		c.t.Fatalf("login %s: %s", user, r.Summary)
	}
	return c
}

// startDemo runs a demo server on loopback for the test.
func startDemo(t testing.TB, opts *ocisim.Options) *ocisim.Server {
	t.Helper()
	s := ocisim.NewDemo(opts)
	startOn(t, s)
	return s
}

func startOn(t testing.TB, s *ocisim.Server) {
	t.Helper()
	if _, err := s.Listen("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
}

func adminClient(t testing.TB, s *ocisim.Server) *rawClient {
	t.Helper()
	return dialRaw(t, s.Addr().String()).mustLogin(ocisim.DefaultAdmin, ocisim.DefaultPassword)
}

// userAdd builds a UserAddRequest22V2 body in schema order. extra is
// inserted after callingLineIdFirstName and must itself be in order.
func userAdd(sp, group, id, extra string) string {
	return cmd("UserAddRequest22V2", el("serviceProviderId", sp)+el("groupId", group)+el("userId", id)+
		el("lastName", "Tester")+el("firstName", "Tina")+el("callingLineIdLastName", "Tester")+
		el("callingLineIdFirstName", "Tina")+extra)
}

func wantCode(t testing.TB, r rawCmd, code int, text string) {
	t.Helper()
	if r.ok() {
		t.Fatalf("got success, want [Error %d]", code)
	}
	if r.ErrorCode != code || !strings.HasPrefix(r.Summary, fmt.Sprintf("[Error %d] ", code)) {
		t.Fatalf("got code %d %q, want %d", r.ErrorCode, r.Summary, code)
	}
	if r.Summary != r.SummaryEnglish {
		t.Fatalf("summaryEnglish %q differs from summary %q", r.SummaryEnglish, r.Summary)
	}
	if text != "" && !strings.Contains(r.Summary+" "+r.Detail, text) {
		t.Fatalf("error %q (detail %q) does not mention %q", r.Summary, r.Detail, text)
	}
}

func wantOK(t testing.TB, r rawCmd) {
	t.Helper()
	if !r.ok() {
		t.Fatalf("got %s (%s), want success", r.Summary, r.Detail)
	}
}
