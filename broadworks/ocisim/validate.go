package ocisim

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// validationError names the offending element; it becomes the detail of an
// [Error 6004] response.
type validationError struct {
	msg string
}

func (e *validationError) Error() string { return e.msg }

func invalidf(format string, args ...any) *validationError {
	return &validationError{msg: fmt.Sprintf(format, args...)}
}

// validateCommand checks a command element against the content model of its
// xsi:type and normalises every leaf's text in place (token whitespace
// collapse), so handlers read clean values.
func validateCommand(cmd *element, model []*particle) error {
	if err := noText(cmd, cmd.xsiType()); err != nil {
		return err
	}
	i, err := matchSeq(model, cmd.Kids, 0, cmd.xsiType())
	if err != nil {
		return err
	}
	if i < len(cmd.Kids) {
		return unexpected(cmd.Kids[i], cmd.xsiType())
	}
	return nil
}

func noText(e *element, path string) error {
	if strings.TrimSpace(e.Text) != "" {
		return invalidf("Element '%s' must not contain text (in %s)", e.Name, path)
	}
	return nil
}

func unexpected(e *element, path string) error {
	return invalidf("Element '%s' is not expected here (in %s)", e.Name, path)
}

// nullable reports whether a particle may match nothing.
func nullable(p *particle) bool {
	if p.min == 0 {
		return true
	}
	switch p.group {
	case 's':
		for _, k := range p.kids {
			if !nullable(k) {
				return false
			}
		}
		return true
	case 'c':
		for _, k := range p.kids {
			if nullable(k) {
				return true
			}
		}
		return false
	}
	return false
}

// contentNullable reports whether a group's content may match nothing.
func contentNullable(p *particle) bool {
	q := *p
	q.min = 1
	return nullable(&q)
}

// starts reports whether name can be the first element matched by p.
func starts(p *particle, name string) bool {
	switch p.group {
	case 0:
		return p.name == name
	case 's':
		for _, k := range p.kids {
			if starts(k, name) {
				return true
			}
			if !nullable(k) {
				return false
			}
		}
		return false
	default:
		for _, k := range p.kids {
			if starts(k, name) {
				return true
			}
		}
		return false
	}
}

func expectedNames(p *particle) []string {
	switch p.group {
	case 0:
		return []string{p.name}
	case 's':
		var out []string
		for _, k := range p.kids {
			out = append(out, expectedNames(k)...)
			if !nullable(k) {
				break
			}
		}
		return out
	default:
		var out []string
		for _, k := range p.kids {
			out = append(out, expectedNames(k)...)
		}
		return out
	}
}

func matchSeq(ps []*particle, kids []*element, i int, path string) (int, error) {
	for _, p := range ps {
		var err error
		if i, err = matchParticle(p, kids, i, path); err != nil {
			return i, err
		}
	}
	return i, nil
}

func matchParticle(p *particle, kids []*element, i int, path string) (int, error) {
	n := 0
	for p.max < 0 || n < p.max {
		if i >= len(kids) || !starts(p, kids[i].Name) {
			break
		}
		var err error
		if p.group == 0 {
			if err = validateElement(p, kids[i], path); err != nil {
				return i, err
			}
			i++
		} else if p.group == 's' {
			if i, err = matchSeq(p.kids, kids, i, path); err != nil {
				return i, err
			}
		} else {
			var alt *particle
			for _, k := range p.kids {
				if starts(k, kids[i].Name) {
					alt = k
					break
				}
			}
			if i, err = matchParticle(alt, kids, i, path); err != nil {
				return i, err
			}
		}
		n++
	}
	if n >= p.min || n == 0 && p.group != 0 && contentNullable(p) {
		return i, nil
	}
	want := strings.Join(expectedNames(p), "' or '")
	if i < len(kids) {
		return i, invalidf("Element '%s' is not expected here: expected '%s' (in %s)", kids[i].Name, want, path)
	}
	return i, invalidf("Missing required element '%s' (in %s)", want, path)
}

func validateElement(p *particle, e *element, path string) error {
	where := path + "/" + e.Name
	if e.isNil() {
		if !p.nillable {
			return invalidf("Element '%s' is not nillable (in %s)", e.Name, path)
		}
		if len(e.Kids) > 0 || strings.TrimSpace(e.Text) != "" {
			return invalidf("Element '%s' is nil but has content (in %s)", e.Name, path)
		}
		return nil
	}
	switch p.kind {
	case kAny:
		return nil
	case kComplex:
		if err := noText(e, path); err != nil {
			return err
		}
		i, err := matchSeq(p.kids, e.Kids, 0, where)
		if err != nil {
			return err
		}
		if i < len(e.Kids) {
			return unexpected(e.Kids[i], where)
		}
		return nil
	case kDept:
		t := e.xsiType()
		model, ok := departmentKeys[t]
		if !ok {
			return invalidf("Element '%s' has abstract type DepartmentKey: xsi:type must be GroupDepartmentKey or EnterpriseDepartmentKey, not %q (in %s)", e.Name, t, path)
		}
		if err := noText(e, path); err != nil {
			return err
		}
		i, err := matchSeq(model, e.Kids, 0, where)
		if err != nil {
			return err
		}
		if i < len(e.Kids) {
			return unexpected(e.Kids[i], where)
		}
		return nil
	}
	if len(e.Kids) > 0 {
		return invalidf("Element '%s' must not contain elements (in %s)", e.Name, path)
	}
	v := strings.Join(strings.Fields(e.Text), " ")
	e.Text = v
	switch p.kind {
	case kStr:
		n := utf8.RuneCountInString(v)
		if p.minLen >= 0 && n < p.minLen {
			return invalidf("Element '%s': value is shorter than the minimum length %d (in %s)", e.Name, p.minLen, path)
		}
		if p.maxLen >= 0 && n > p.maxLen {
			return invalidf("Element '%s': value is longer than the maximum length %d (in %s)", e.Name, p.maxLen, path)
		}
	case kInt:
		x, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return invalidf("Element '%s': %q is not a valid integer (in %s)", e.Name, v, path)
		}
		if p.hasMin && x < p.minVal || p.hasMax && x > p.maxVal {
			return invalidf("Element '%s': %d is outside the range %s (in %s)", e.Name, x, rangeText(p), path)
		}
	case kBool:
		if v != "true" && v != "false" && v != "1" && v != "0" {
			return invalidf("Element '%s': %q is not a valid boolean (in %s)", e.Name, v, path)
		}
		if p.fixed != "" && boolVal(v) != boolVal(p.fixed) {
			return invalidf("Element '%s': the value must be %s (in %s)", e.Name, p.fixed, path)
		}
	case kEnum:
		for _, x := range p.enum {
			if x == v {
				return nil
			}
		}
		return invalidf("Element '%s': %q is not one of the allowed values (in %s)", e.Name, v, path)
	}
	return nil
}

func rangeText(p *particle) string {
	lo, hi := "-inf", "+inf"
	if p.hasMin {
		lo = strconv.FormatInt(p.minVal, 10)
	}
	if p.hasMax {
		hi = strconv.FormatInt(p.maxVal, 10)
	}
	return lo + ".." + hi
}
