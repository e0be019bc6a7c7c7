package ocisim

import (
	_ "embed"
	"strings"

	"bwbulk/broadworks/ocirelease"
)

// DefaultRelease is the release a server emulates unless
// Options.Release says otherwise.
const DefaultRelease = "25"

// A server emulates one BroadWorks release (Options.Release): it accepts
// the versions of a command that release's schema set has (the release
// table of package ocirelease, read from public schema sets), answers
// each in its own version's response type (responses.txt), and refuses a
// version its release lacks as an older Application Server does, with
// [Error 6004].

//go:generate go run ../internal/ocisimgen -newest schema.txt -o versions.txt

//go:embed versions.txt
var versionsText string

//go:embed responses.txt
var responsesText string

// baseOf maps an older version to the version schema.txt and its handler
// describe (UserGetRequest21 → UserGetRequest23V2).
var baseOf = map[string]string{}

// responseModels maps an older version's response type to its content.
var responseModels = mustParseSchema(responsesText)

func init() {
	var plain strings.Builder
	for _, line := range strings.Split(versionsText, "\n") {
		if name, base, ok := strings.Cut(line, " = "); ok && !strings.HasPrefix(line, " ") && !strings.HasPrefix(line, "#") {
			baseOf[name] = base
			line = name
		}
		plain.WriteString(line + "\n")
	}
	models := mustParseSchema(plain.String())
	for name, base := range baseOf {
		if _, ok := handlers[base]; !ok {
			panic("ocisim: versions.txt: " + name + " = " + base + ": no such command")
		}
		if _, dup := commandModels[name]; dup {
			panic("ocisim: versions.txt: " + name + " is in schema.txt too")
		}
		handlers[name] = handlers[base]
		commandModels[name] = models[name]
	}
}

// parseRelease reads "25", "22.0", "21sp1", "R24", "21.sp1".
func parseRelease(s string) (ocirelease.Release, bool) { return ocirelease.Parse(s) }

// inRelease reports whether the emulated release has the command name:
// the release table read from the releases' schema sets says so
// (ocirelease.Has), less the versions Options.Refuse names (a server
// patched below what its release should have).
func (s *Server) inRelease(name string) bool {
	if s.refused[name] {
		return false
	}
	has, _ := ocirelease.Has(s.release, name)
	return has
}

// loginKind tells how a login version authenticates: "nonce" for those
// that take a signedPassword or plainTextPassword (LoginRequest14sp4 and
// older), "password" for LoginRequest22 and later.
func loginKind(name string) string {
	if b, ok := baseOf[name]; ok {
		name = b
	}
	switch name {
	case "AuthenticationRequest":
		return "auth"
	case "LoginRequest14sp4":
		return "nonce"
	case "LoginRequest22V5":
		return "password"
	}
	return ""
}

// responseFor returns the response type of a request version.
func responseFor(request string) string {
	i := strings.LastIndex(request, "Request")
	if i < 0 {
		return ""
	}
	return request[:i] + "Response" + request[i+len("Request"):]
}

// asVersion rewrites r, the answer written for the base version, as the
// response of the older version sent: the elements that version has, at
// every level, in its order (responses.txt).
func asVersion(r result, sent string, req *element) result {
	if r.err != nil || r.typ == "" {
		return r
	}
	if _, older := baseOf[sent]; !older {
		return r
	}
	want := responseFor(sent)
	model, ok := responseModels[want]
	if !ok {
		return r
	}
	doc := `<r xmlns:xsi="` + nsXSI + `">` + string(r.body) + `</r>`
	root, err := parseDocument([]byte(doc))
	if err != nil {
		return failure(errorf(codeInternal, "Internal error while writing %s: %v", want, err))
	}
	w := &builder{}
	writeAs(w, model, root, req)
	return result{typ: want, body: w.b}
}

// writeAs writes the children of e that model has, in model's order. A
// required element e lacks comes from the request (serviceProviderId,
// groupId), from e's default of it (extensionLength from
// defaultExtensionLength), or is the type's zero value.
func writeAs(w *builder, model []*particle, e, req *element) {
	writeLevel(w, model, e, req, map[string]bool{})
}

// writeLevel is writeAs for one level; done holds the names written, as
// an element may stand in two alternatives of a choice.
func writeLevel(w *builder, model []*particle, e, req *element, done map[string]bool) {
	for _, p := range model {
		if p.group != 0 {
			writeLevel(w, p.kids, e, req, done)
			continue
		}
		if done[p.name] {
			continue
		}
		done[p.name] = true
		kids := e.children(p.name)
		for _, k := range kids {
			writeParticle(w, p, k)
		}
		if len(kids) > 0 || p.min == 0 {
			continue
		}
		v := ""
		if req != nil {
			v = req.val(p.name)
		}
		if v == "" {
			v = e.val("default" + strings.ToUpper(p.name[:1]) + p.name[1:])
		}
		switch {
		case v != "":
		case p.kind == kInt:
			v = "0"
		case p.kind == kBool:
			v = "false"
		case p.kind == kEnum:
			v = p.enum[0]
		case p.kind == kComplex:
			w.open(p.name)
			writeAs(w, p.kids, &element{}, nil)
			w.close(p.name)
			continue
		}
		w.leaf(p.name, v)
	}
}

// writeParticle writes k as the model's particle p: a structure by its
// own model, a value as text (the first text of a structure the older
// version holds as a value: a contact's sipContact), an enumeration value
// the older version lacks as the one it starts with.
func writeParticle(w *builder, p *particle, k *element) {
	switch p.kind {
	case kComplex:
		w.open(p.name)
		writeAs(w, p.kids, k, nil)
		w.close(p.name)
	case kAny, kDept:
		writeElement(w, k)
	case kEnum:
		v := strings.TrimSpace(k.Text)
		if !contains(p.enum, v) {
			best := p.enum[0]
			for _, x := range p.enum {
				if strings.HasPrefix(v, x) && len(x) > len(best) || strings.HasPrefix(v, x) && !strings.HasPrefix(v, best) {
					best = x
				}
			}
			v = best
		}
		w.leaf(p.name, v)
	default:
		w.leaf(p.name, firstText(k))
	}
}

func firstText(e *element) string {
	if strings.TrimSpace(e.Text) != "" || len(e.Kids) == 0 {
		return e.Text
	}
	for _, k := range e.Kids {
		if t := firstText(k); strings.TrimSpace(t) != "" {
			return t
		}
	}
	return ""
}

// writeElement writes e as it is.
func writeElement(w *builder, e *element) {
	w.raw("<" + e.Name)
	for _, a := range e.Attrs {
		name := a.Name.Local
		if a.Name.Space == nsXSI {
			name = "xsi:" + name
		} else if a.Name.Space != "" {
			continue
		}
		w.raw(" " + name + `="`)
		w.attr(a.Value)
		w.raw(`"`)
	}
	w.raw(">")
	w.text(e.Text)
	for _, k := range e.Kids {
		writeElement(w, k)
	}
	w.close(e.Name)
}

//go:embed userservices.txt
var userServicesText string

// schemaUserServices is the schema's UserService enumeration.
var schemaUserServices = func() map[string]bool {
	m := map[string]bool{}
	for _, l := range strings.Split(userServicesText, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			m[l] = true
		}
	}
	return m
}()
