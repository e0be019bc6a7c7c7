package wizard

import (
	"slices"
	"strings"
)

// ForGroup returns a new model preset on an existing service provider (or
// enterprise) and group, both selected, not created: Skip is set, so the
// wizard opens at StepUserCount, and every other step has its defaults.
// facts, when not nil, are the group's (LoadFacts); the user id domain
// then defaults to the group's.
func ForGroup(sp string, isEnterprise bool, group string, facts *GroupFacts) *Model {
	m := NewModel()
	m.Enterprise = EnterpriseStep{Mode: ModeSelect, ID: sp, IsEnterprise: isEnterprise}
	m.Group = GroupStep{Mode: ModeSelect, ID: group}
	m.Skip = true
	m.SetFacts(facts)
	return m
}

// SetFacts gives the model the facts of its group (nil forgets them). A
// user id domain not chosen yet becomes the group's default domain.
func (m *Model) SetFacts(f *GroupFacts) {
	m.Facts = f
	if f != nil && m.UserID.Domain == "" {
		m.UserID.Domain = f.Group.DefaultDomain
	}
}

// Reuse returns the model of new users made like the ones of an earlier
// task that was made from m: a copy keeping its answers (user count,
// templates, device type, services, department, time zone and language,
// contact and address templates) and dropping what belonged to that task
// and the server as it was then:
//
//   - imported rows, hand edits and generated passwords (new ones are
//     generated);
//   - the cached facts (load the group's again: LoadFacts, SetFacts);
//   - the phone numbers: listed or picked ones are picked again from the
//     group's available numbers as they are when the facts are loaded;
//   - the start index moves past the earlier task's users, so user ids,
//     device names and other per-index values do not collide with theirs.
//
// What the task created exists now: an enterprise, group or department
// being created is selected instead. Skip is set, so the wizard opens at
// StepUserCount.
func (m *Model) Reuse() *Model {
	c := m.Clone()
	if c.Imported == nil {
		c.StartIndex = m.StartIndex + max(m.UserCount, 0)
	}
	c.Imported = nil
	c.Edits = nil
	c.Passwords.Generated = nil
	c.Facts = nil
	if c.Numbers.Mode == NumbersList || c.Numbers.Mode == NumbersAvailable {
		c.Numbers.Mode = NumbersAvailable
		c.Numbers.Entries = nil
	}
	if c.Enterprise.Mode == ModeCreate {
		c.Enterprise = EnterpriseStep{Mode: ModeSelect, ID: c.Enterprise.ID, Name: c.Enterprise.Name, IsEnterprise: c.Enterprise.IsEnterprise}
	}
	if c.Group.Mode == ModeCreate {
		c.Group = GroupStep{Mode: ModeSelect, ID: c.Group.ID, Name: c.Group.Name}
	}
	if c.Department.Mode == ModeCreate {
		// Created in the group (never at enterprise level).
		c.Department = DepartmentStep{Mode: ModeSelect, Name: c.Department.Name}
	}
	c.Skip = c.Enterprise.ID != "" && c.Group.ID != ""
	return c
}

// TaskOutcome is what a task did to its group.
type TaskOutcome struct {
	Users      int      // users it created
	Numbers    []string // numbers it gave its users
	Department string   // group department it created ("" for none)
}

// After returns a copy of f as the group is once a task with outcome o
// has run: facts read before the task (an offline copy) then count its
// users against the limit, do not offer its numbers as free, and know
// the department it created. f is not changed.
func (f *GroupFacts) After(o TaskOutcome) *GroupFacts {
	c := *f
	c.Group.UserCount += max(o.Users, 0)
	if len(o.Numbers) > 0 {
		taken := make(map[string]bool, len(o.Numbers))
		for _, n := range o.Numbers {
			taken[NormalizeNumber(n)] = true
		}
		c.AvailableNumbers = nil
		for _, n := range f.AvailableNumbers {
			if !taken[NormalizeNumber(n)] {
				c.AvailableNumbers = append(c.AvailableNumbers, n)
			}
		}
	}
	if d := o.Department; d != "" && !slices.ContainsFunc(f.Departments, func(x Department) bool { return !x.Enterprise && strings.EqualFold(x.Name, d) }) {
		c.Departments = append(slices.Clone(f.Departments), Department{Name: d})
	}
	return &c
}
