package ociwire

import (
	"bytes"
	"encoding/xml"
	"io"
	"regexp"
	"strings"
)

// SOAP constants of the BroadWorks provisioning web service
// (…/webservice/services/ProvisioningService, document/literal).
const (
	SOAPEnvelopeNS = "http://schemas.xmlsoap.org/soap/envelope/"
	WebServiceNS   = "urn:com:broadsoft:webservice"
	// SOAPContentType is the Content-Type of a request; SOAPAction is "".
	SOAPContentType = "text/xml; charset=utf-8"
)

// SOAPFault is a SOAP Fault returned instead of an OCI-P document.
type SOAPFault struct {
	Code, String, Detail string
}

func (f *SOAPFault) Error() string {
	s := "ociwire: SOAP fault"
	if f.Code != "" {
		s += " " + f.Code
	}
	if f.String != "" {
		s += ": " + f.String
	}
	return s
}

var declRE = regexp.MustCompile(`^\s*<\?xml[^?]*\?>`)
var declEncRE = regexp.MustCompile(`encoding\s*=\s*["']([^"']+)["']`)

// declaredEncoding returns the encoding named by doc's XML declaration
// (UTF-8 when absent).
func declaredEncoding(doc []byte) string {
	d := declRE.Find(doc)
	if d == nil {
		return UTF8
	}
	m := declEncRE.FindSubmatch(d)
	if m == nil {
		return UTF8
	}
	if enc, err := canonicalEncoding(string(m[1])); err == nil {
		return enc
	}
	return string(m[1])
}

// asUTF8Text returns doc as UTF-8 text with its declaration (if any) saying
// UTF-8, converting from ISO-8859-1 when the declaration names it.
func asUTF8Text(doc []byte) []byte {
	if declaredEncoding(doc) == Latin1 {
		doc = latin1ToUTF8(doc)
	}
	if loc := declRE.FindIndex(doc); loc != nil {
		out := append([]byte(`<?xml version="1.0" encoding="UTF-8"?>`), doc[loc[1]:]...)
		return out
	}
	return doc
}

// WrapSOAP returns the SOAP 1.1 request envelope carrying doc as the
// escaped text of processOCIMessage/in0 (document/literal). An ISO-8859-1
// doc is converted to UTF-8 first and its declaration rewritten, since the
// envelope is UTF-8.
func WrapSOAP(doc []byte) []byte {
	text := asUTF8Text(doc)
	var b bytes.Buffer
	b.Grow(len(text) + len(text)/4 + 300)
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` +
		`<soapenv:Envelope xmlns:soapenv="` + SOAPEnvelopeNS + `">` +
		`<soapenv:Body><ns1:processOCIMessage xmlns:ns1="` + WebServiceNS + `"><ns1:in0>`)
	_ = xml.EscapeText(&b, text)
	b.WriteString(`</ns1:in0></ns1:processOCIMessage></soapenv:Body></soapenv:Envelope>`)
	return b.Bytes()
}

// UnwrapSOAP returns the OCI-P document carried in a SOAP response body
// (processOCIMessageReturn, in either rpc or document style; also the
// in0/arg0 of a request, for servers), as UTF-8
// with its declaration saying so. A SOAP Fault is returned as *SOAPFault.
func UnwrapSOAP(body []byte) ([]byte, error) {
	d := xml.NewDecoder(bytes.NewReader(body))
	d.CharsetReader = charsetReader
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return nil, &DecodeError{Msg: "SOAP body without processOCIMessageReturn"}
		}
		if err != nil {
			return nil, &DecodeError{Msg: "malformed SOAP body", Err: err}
		}
		s, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch s.Name.Local {
		case "processOCIMessageReturn", "in0", "arg0":
			var text string
			if err := d.DecodeElement(&text, &s); err != nil {
				return nil, &DecodeError{Msg: "bad processOCIMessageReturn", Err: err}
			}
			text = strings.TrimLeft(text, " \t\r\n")
			if text == "" {
				return nil, &DecodeError{Msg: "empty processOCIMessageReturn"}
			}
			return asUTF8Text([]byte(text)), nil
		case "Fault":
			var f struct {
				Code   string `xml:"faultcode"`
				String string `xml:"faultstring"`
				Detail struct {
					Inner string `xml:",innerxml"`
				} `xml:"detail"`
			}
			if err := d.DecodeElement(&f, &s); err != nil {
				return nil, &DecodeError{Msg: "bad SOAP Fault", Err: err}
			}
			return nil, &SOAPFault{Code: strings.TrimSpace(f.Code), String: strings.TrimSpace(f.String), Detail: strings.TrimSpace(stripTags(f.Detail.Inner))}
		}
	}
}

var tagRE = regexp.MustCompile(`<[^>]*>`)

func stripTags(s string) string { return tagRE.ReplaceAllString(s, " ") }
