package jobs

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"bwbulk/broadworks/oci"
	"bwbulk/broadworks/oci/xmltok"
)

// storedCommand is one command as kept in the database (inside a sealed
// blob): its xsi:type and its XML. Body is the JSON form the first store
// wrote (before commands had an XML codec): no migration rewrites it —
// SQL cannot open a sealed value, and Compact carries each stored command
// into the payload as it is — so a database of that time still holds it
// and decodeCommand still reads it. Nothing writes it any more.
type storedCommand struct {
	Type string          `json:"t"`
	Body json.RawMessage `json:"b,omitempty"`
	XML  string          `json:"x,omitempty"`
}

// encodeCommands renders commands for storage.
func encodeCommands(cmds []oci.Request) ([]byte, error) {
	out := make([]storedCommand, 0, len(cmds))
	for i, c := range cmds {
		sc, err := encodeCommand(c)
		if err != nil {
			return nil, fmt.Errorf("jobs: command %d (%s): %w", i+1, c.OCIName(), err)
		}
		out = append(out, sc)
	}
	return json.Marshal(out)
}

func encodeCommand(c oci.Request) (storedCommand, error) {
	if c == nil {
		return storedCommand{}, fmt.Errorf("nil command")
	}
	b, err := oci.MarshalCommand(c)
	if err != nil {
		return storedCommand{}, err
	}
	return storedCommand{Type: c.OCIName(), XML: string(b)}, nil
}

// decodeCommands is the inverse of encodeCommands.
func decodeCommands(b []byte) ([]oci.Request, error) {
	var in []storedCommand
	if err := json.Unmarshal(b, &in); err != nil {
		return nil, fmt.Errorf("jobs: stored commands: %w", err)
	}
	out := make([]oci.Request, 0, len(in))
	for i, sc := range in {
		c, err := decodeCommand(sc)
		if err != nil {
			return nil, fmt.Errorf("jobs: stored command %d (%s): %w", i+1, sc.Type, err)
		}
		out = append(out, c)
	}
	return out, nil
}

func decodeCommand(sc storedCommand) (oci.Request, error) {
	var c oci.Command
	if sc.XML != "" {
		var err error
		if c, err = oci.UnmarshalCommand([]byte(sc.XML)); err != nil {
			return nil, err
		}
	} else {
		// The JSON form of the first store (see storedCommand).
		nc, ok := oci.New(sc.Type)
		if !ok {
			return nil, fmt.Errorf("unknown command type %q", sc.Type)
		}
		// oci.New returns a pointer to a fresh struct.
		if err := json.Unmarshal(sc.Body, nc); err != nil {
			return nil, err
		}
		c = nc
	}
	r, ok := c.(oci.Request)
	if !ok {
		return nil, fmt.Errorf("%s is not a request", c.OCIName())
	}
	return r, nil
}

// storedTexts returns the text of the child elements names of a stored
// command's element x, in their order ("" for one that is absent), read
// without decoding the command: what fieldString returns for the fields
// of those XML names of the decoded command. ok is false when x cannot
// be read so (a command of the JSON form: x is empty).
func storedTexts(x string, names ...string) (texts []string, ok bool) {
	if x == "" {
		return nil, false
	}
	texts = make([]string, len(names))
	r := xmltok.New([]byte(x))
	depth, at := 0, -1
	for {
		tok, err := r.Token()
		if err == io.EOF {
			return texts, depth == 0
		}
		if err != nil {
			return nil, false
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			at = -1
			if depth == 2 {
				at = slices.Index(names, t.Name.Local)
			}
		case xml.EndElement:
			depth--
			at = -1
		case xml.CharData:
			if at >= 0 && depth == 2 {
				texts[at] += string(t)
			}
		}
	}
}

// renderCommand is the masked text of a command, for the audit.
func renderCommand(c oci.Request) string {
	sc, err := encodeCommand(c)
	if err != nil {
		return c.OCIName() + " (unrenderable: " + err.Error() + ")"
	}
	return maskSecrets(sc.XML)
}

var (
	secretXML  = regexp.MustCompile(`(<[A-Za-z0-9_:]*(?i:password|passcode)[A-Za-z0-9_]*(?:\s[^>]*)?>)[^<]*`)
	secretJSON = regexp.MustCompile(`("[A-Za-z0-9_]*(?i:password|passcode)[A-Za-z0-9_]*"\s*:\s*)"(?:[^"\\]|\\.)*"`)
)

// maskSecrets replaces the content of every element or JSON member whose
// name contains "password" or "passcode" with "****".
func maskSecrets(s string) string {
	if !mayHoldSecret(s) {
		return s // most requests: no regexp to run
	}
	s = secretXML.ReplaceAllString(s, "${1}****")
	return secretJSON.ReplaceAllString(s, `${1}"****"`)
}

// mayHoldSecret reports whether s names "pass" in any ASCII case or has
// a byte beyond ASCII (the regexps fold case as Unicode does: ſ is an
// s): without either, neither "password" nor "passcode" is there to mask.
func mayHoldSecret(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return true
		}
		if i+4 <= len(s) && s[i]|0x20 == 'p' && s[i+1]|0x20 == 'a' && s[i+2]|0x20 == 's' && s[i+3]|0x20 == 's' {
			return true
		}
	}
	return false
}

// maskValues replaces each literal secret value in s with "****".
func maskValues(s string, secrets []string) string {
	for _, v := range secrets {
		if len(v) >= 3 {
			s = strings.ReplaceAll(s, v, "****")
		}
	}
	return s
}

// isSecretField reports whether a preview column holds a secret.
func isSecretField(name string) bool {
	l := strings.ToLower(name)
	return strings.Contains(l, "password") || strings.Contains(l, "passcode")
}

// secretValues lists the secret values of a row's fields.
func secretValues(fields map[string]string) []string {
	var out []string
	for k, v := range fields {
		if isSecretField(k) && v != "" {
			out = append(out, v)
		}
	}
	return out
}

// fieldString reads an exported string (or *string) field of a command
// struct by Go name; "" when absent. Resolution and pre-flight checks use
// it so that they work for every version of a command (17sp4, 22, 22V2…).
func fieldString(c any, names ...string) string {
	v := reflect.ValueOf(c)
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return ""
		}
		v = v.Elem()
	}
	for _, name := range names {
		f := v
		for _, part := range strings.Split(name, ".") {
			for f.Kind() == reflect.Pointer || f.Kind() == reflect.Interface {
				if f.IsNil() {
					f = reflect.Value{}
					break
				}
				f = f.Elem()
			}
			if !f.IsValid() || f.Kind() != reflect.Struct {
				f = reflect.Value{}
				break
			}
			f = f.FieldByName(part)
		}
		for f.IsValid() && (f.Kind() == reflect.Pointer || f.Kind() == reflect.Interface) {
			if f.IsNil() {
				f = reflect.Value{}
				break
			}
			f = f.Elem()
		}
		if f.IsValid() && f.Kind() == reflect.String && f.String() != "" {
			return f.String()
		}
	}
	return ""
}
