package ocisim

import (
	_ "embed"
	"fmt"
	"strconv"
	"strings"
)

//go:embed schema.txt
var schemaText string

type kind int

const (
	kComplex kind = iota
	kStr
	kInt
	kBool
	kEnum
	kDept
	kAny // any content (older versions' nested types, see versions.txt)
)

// particle is one item of a content model: an element or a model group.
type particle struct {
	name     string // element name; "" for a group
	group    byte   // 0 for an element, 's' for a sequence, 'c' for a choice
	min, max int    // occurrences; max < 0 means unbounded
	nillable bool
	kind     kind
	minLen   int // -1: none
	maxLen   int // -1: none
	hasMin   bool
	hasMax   bool
	minVal   int64
	maxVal   int64
	enum     []string
	fixed    string // required value ("" for none)
	kids     []*particle
}

// commandModels maps a request xsi:type to its content (a sequence).
var commandModels = mustParseSchema(schemaText)

func mustParseSchema(text string) map[string][]*particle {
	m, err := parseSchema(text)
	if err != nil {
		panic("ocisim: schema.txt: " + err.Error())
	}
	return m
}

func parseSchema(text string) (map[string][]*particle, error) {
	lists := map[string]*[]*particle{}
	type frame struct {
		indent int
		kids   *[]*particle
	}
	var stack []frame
	for n, line := range strings.Split(text, "\n") {
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		indent := len(line) - len(strings.TrimLeft(line, " "))
		body := strings.TrimSpace(line)
		if indent == 0 {
			if _, dup := lists[body]; dup {
				return nil, fmt.Errorf("line %d: command %s described twice", n+1, body)
			}
			list := new([]*particle)
			lists[body] = list
			stack = []frame{{indent: 0, kids: list}}
			continue
		}
		for len(stack) > 0 && stack[len(stack)-1].indent >= indent {
			stack = stack[:len(stack)-1]
		}
		if len(stack) == 0 {
			return nil, fmt.Errorf("line %d: indented line outside a command", n+1)
		}
		p, err := parseParticle(body)
		if err != nil {
			return nil, fmt.Errorf("line %d: %v", n+1, err)
		}
		parent := stack[len(stack)-1].kids
		*parent = append(*parent, p)
		if p.group != 0 || p.kind == kComplex {
			stack = append(stack, frame{indent: indent, kids: &p.kids})
		}
	}
	out := make(map[string][]*particle, len(lists))
	for k, v := range lists {
		out[k] = *v
	}
	return out, nil
}

func parseParticle(body string) (*particle, error) {
	head, typ, hasColon := strings.Cut(body, " : ")
	if !hasColon {
		head = strings.TrimSuffix(body, " :")
	}
	f := strings.Fields(head)
	if len(f) == 0 {
		return nil, fmt.Errorf("empty particle")
	}
	p := &particle{min: 1, max: 1, minLen: -1, maxLen: -1}
	switch f[0] {
	case "(seq)":
		p.group = 's'
	case "(choice)":
		p.group = 'c'
	default:
		p.name = f[0]
	}
	for _, x := range f[1:] {
		switch {
		case x == "?":
			p.min, p.max = 0, 1
		case x == "nil":
			p.nillable = true
		case strings.Contains(x, ".."):
			lo, hi, _ := strings.Cut(x, "..")
			a, err := strconv.Atoi(lo)
			if err != nil {
				return nil, fmt.Errorf("bad occurrence %q", x)
			}
			b := -1
			if hi != "*" {
				if b, err = strconv.Atoi(hi); err != nil {
					return nil, fmt.Errorf("bad occurrence %q", x)
				}
			}
			p.min, p.max = a, b
		default:
			return nil, fmt.Errorf("unknown flag %q", x)
		}
	}
	if p.group != 0 || !hasColon {
		p.kind = kComplex
		return p, nil
	}
	tf := strings.Fields(typ)
	if n := len(tf); n > 1 && strings.HasPrefix(tf[n-1], "=") {
		p.fixed = strings.TrimPrefix(tf[n-1], "=")
		tf = tf[:n-1]
		typ = strings.Join(tf, " ")
	}
	if len(tf) == 0 {
		return nil, fmt.Errorf("missing type")
	}
	num := func(s string) (int64, bool) {
		if s == "-" {
			return 0, false
		}
		v, err := strconv.ParseInt(s, 10, 64)
		return v, err == nil
	}
	switch tf[0] {
	case "str":
		if len(tf) != 3 {
			return nil, fmt.Errorf("str needs MIN MAX")
		}
		if v, ok := num(tf[1]); ok {
			p.minLen = int(v)
		}
		if v, ok := num(tf[2]); ok {
			p.maxLen = int(v)
		}
		p.kind = kStr
	case "int":
		if len(tf) != 3 {
			return nil, fmt.Errorf("int needs MIN MAX")
		}
		p.minVal, p.hasMin = num(tf[1])
		p.maxVal, p.hasMax = num(tf[2])
		p.kind = kInt
	case "bool":
		p.kind = kBool
	case "enum":
		p.kind = kEnum
		p.enum = strings.Split(strings.TrimSpace(strings.TrimPrefix(typ, "enum")), "|")
	case "dept":
		p.kind = kDept
	case "any":
		p.kind = kAny
	default:
		return nil, fmt.Errorf("unknown type %q", tf[0])
	}
	return p, nil
}

// departmentKeys are the concrete types of the abstract DepartmentKey.
var departmentKeys = map[string][]*particle{
	"GroupDepartmentKey": {
		{name: "serviceProviderId", min: 1, max: 1, kind: kStr, minLen: 1, maxLen: 30},
		{name: "groupId", min: 1, max: 1, kind: kStr, minLen: 1, maxLen: 30},
		{name: "name", min: 1, max: 1, kind: kStr, minLen: 1, maxLen: 50},
	},
	"EnterpriseDepartmentKey": {
		{name: "serviceProviderId", min: 1, max: 1, kind: kStr, minLen: 1, maxLen: 30},
		{name: "name", min: 1, max: 1, kind: kStr, minLen: 1, maxLen: 50},
	},
}
