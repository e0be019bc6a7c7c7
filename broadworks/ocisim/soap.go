package ocisim

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/xml"
	"io"
	"net"
	"net/http"
	"unicode/utf8"
)

// SOAPPath is the path of the OCI-P SOAP endpoint, as on a BroadWorks web
// server.
const SOAPPath = "/webservice/services/ProvisioningService"

const nsSOAP = "http://schemas.xmlsoap.org/soap/envelope/"

// SOAPHandler returns the OCI-P over SOAP endpoint: document/literal (or
// rpc-style) processOCIMessage with the OCI document escaped in its single
// child (in0 or arg0), answered with processOCIMessageReturn. The OCI
// session is bound to the JSESSIONID cookie the first answer sets.
func (s *Server) SOAPHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc(SOAPPath, s.serveSOAP)
	return mux
}

// ServeSOAP serves SOAPHandler on ln (plain HTTP) until Close.
func (s *Server) ServeSOAP(ln net.Listener) error {
	hs := &http.Server{Handler: s.SOAPHandler()}
	s.netMu.Lock()
	if s.closed {
		s.netMu.Unlock()
		ln.Close()
		return ErrServerClosed
	}
	s.listeners[ln] = struct{}{}
	s.netMu.Unlock()
	go func() {
		<-s.done
		hs.Close()
	}()
	s.logf("SOAP listening on http://%s%s", ln.Addr(), SOAPPath)
	err := hs.Serve(ln)
	if err == http.ErrServerClosed {
		return ErrServerClosed
	}
	return err
}

func soapFault(w http.ResponseWriter, msg string) { soapFaultCode(w, "soapenv:Client", msg) }

func soapFaultCode(w http.ResponseWriter, code, msg string) {
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="` + nsSOAP + `"><soapenv:Body><soapenv:Fault><faultcode>` + code + `</faultcode><faultstring>`)
	xml.EscapeText(&b, []byte(msg))
	b.WriteString(`</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>`)
	w.Write(b.Bytes())
}

func (s *Server) serveSOAP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, int64(s.opts.MaxDocumentSize)*2))
	if err != nil {
		soapFault(w, "cannot read request")
		return
	}
	env, err := parseDocument(body)
	if err != nil || env.Name != "Envelope" || env.Space != nsSOAP {
		soapFault(w, "not a SOAP 1.1 envelope")
		return
	}
	var op *element
	if b := env.child("Body"); b != nil && len(b.Kids) == 1 && b.Kids[0].Name == "processOCIMessage" {
		op = b.Kids[0]
	}
	if op == nil || len(op.Kids) != 1 {
		soapFault(w, "expected Body/processOCIMessage with one child (in0)")
		return
	}
	doc := []byte(op.Kids[0].Text)
	// The document arrives as Unicode text: drop its declaration so it is
	// parsed as UTF-8 whatever encoding it names.
	doc = bytes.TrimSpace(doc)
	if bytes.HasPrefix(doc, []byte("<?xml")) {
		if i := bytes.Index(doc, []byte("?>")); i >= 0 {
			doc = doc[i+2:]
		}
	}

	if s.opts.SOAPFaults {
		if name := s.unknownCommand(doc); name != "" {
			// Refused before the document reaches the server: nothing
			// in it is executed.
			s.logf("%s %s: SOAP fault, not a known command", r.RemoteAddr, name)
			soapFaultCode(w, "soapenv:Server.userException",
				"org.xml.sax.SAXParseException: cvc-elt.4.2: Cannot resolve '"+name+"' to a type definition for element 'command'.")
			return
		}
	}

	sid := ""
	if c, err := r.Cookie("JSESSIONID"); err == nil {
		sid = c.Value
	}
	s.soapMu.Lock()
	sess, ok := s.soapSessions[sid]
	if !ok {
		var b [16]byte
		rand.Read(b[:])
		sid = hex.EncodeToString(b[:])
		sess = &session{}
		s.soapSessions[sid] = sess
		http.SetCookie(w, &http.Cookie{Name: "JSESSIONID", Value: sid, Path: "/", HttpOnly: true})
	}
	s.soapMu.Unlock()

	resp, f := s.process(sess, doc, r.RemoteAddr)
	switch f {
	case faultDrop:
		panic(http.ErrAbortHandler)
	case faultStall:
		<-s.done
		panic(http.ErrAbortHandler)
	}
	// resp is ISO-8859-1; re-encode as UTF-8 text for the envelope.
	text := make([]byte, 0, len(resp)+len(resp)/8)
	for _, c := range resp {
		text = utf8.AppendRune(text, rune(c))
	}
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="` + nsSOAP + `" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="` + nsXSI + `"><soapenv:Body><processOCIMessageResponse xmlns="urn:com:broadsoft:webservice"><processOCIMessageReturn>`)
	xml.EscapeText(&b, text)
	b.WriteString(`</processOCIMessageReturn></processOCIMessageResponse></soapenv:Body></soapenv:Envelope>`)
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.Write(b.Bytes())
}

// unknownCommand returns the xsi:type of the first command of doc that
// the server does not know (see run), or "" when it knows them all or
// doc cannot be taken apart (process then says why).
func (s *Server) unknownCommand(doc []byte) string {
	root, err := parseDocument(doc)
	if err != nil {
		return ""
	}
	for _, k := range root.Kids {
		if k.Name != "command" || k.Space != "" {
			continue
		}
		if name := k.xsiType(); name != "" && !s.knows(name) {
			return name
		}
	}
	return ""
}
