package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"bwbulk/wizard"
)

const (
	pwGenerate = "Generate a password for each user"
	pwBlank    = "Leave blank (type them in the preview)"
)

// passwordsStep chooses generated or blank passwords and shows the rules.
type passwordsStep struct {
	w       *wizardView
	fs      *fieldSet
	mode    *widget.RadioGroup
	rules   *widget.Label
	example *widget.Label
	req     fyne.CanvasObject
	setting bool
}

func newPasswordsStep(w *wizardView) *passwordsStep {
	s := &passwordsStep{w: w, fs: newFieldSet()}
	s.mode = widget.NewRadioGroup([]string{pwGenerate, pwBlank}, func(v string) {
		if s.setting {
			return
		}
		if v == pwBlank {
			s.w.m.Passwords.Mode = wizard.PasswordsBlank
		} else {
			s.w.m.Passwords.Mode = wizard.PasswordsGenerate
		}
		s.update()
		s.w.changed()
	})
	s.mode.Required = true
	s.rules = widget.NewLabel("")
	s.rules.Wrapping = fyne.TextWrapWord
	s.example = widget.NewLabel("")
	s.example.Importance = widget.SuccessImportance
	s.req = container.NewVBox(
		form(s.fs.row(wizard.FieldPasswordMode, "Passwords", "", s.mode)),
		heading("The group's password rules"), s.rules, s.example,
	)
	return s
}

func (s *passwordsStep) required() fyne.CanvasObject { return s.req }
func (s *passwordsStep) optional() fyne.CanvasObject { return nil }
func (s *passwordsStep) fields() *fieldSet           { return s.fs }

func (s *passwordsStep) load() {
	s.setting = true
	if s.w.m.Passwords.Mode == wizard.PasswordsBlank {
		s.mode.SetSelected(pwBlank)
	} else {
		s.mode.SetSelected(pwGenerate)
	}
	s.setting = false
	s.update()
}

func (s *passwordsStep) update() {
	var r wizard.PasswordRules
	if f := s.w.m.EffectiveFacts(); f != nil {
		r = f.Rules
	}
	s.rules.SetText(describeRules(r))
	s.example.SetText("")
	if s.w.m.Passwords.Mode == wizard.PasswordsGenerate {
		if pw, err := examplePassword(r, ""); err == nil {
			s.example.SetText(fmt.Sprintf("Example: %s (%d characters). Generated passwords go in the preview and the export; keep the export safe.", pw, len(pw)))
		}
	}
}

// describeRules renders password rules as a sentence.
func describeRules(r wizard.PasswordRules) string {
	var parts []string
	if r.MinLength > 0 {
		parts = append(parts, "at least "+plural(r.MinLength, "character"))
	}
	add := func(n int, what string) {
		if n > 0 {
			parts = append(parts, plural(n, what))
		}
	}
	add(r.MinDigits, "digit")
	add(r.MinUpperCase, "upper-case letter")
	add(r.MinLowerCase, "lower-case letter")
	add(r.MinNonAlphanumeric, "symbol")
	if r.DisallowUserID {
		parts = append(parts, "must not contain the user id")
	}
	if len(parts) == 0 {
		return "No particular rules (at most 60 characters)."
	}
	return strings.ToUpper(parts[0][:1]) + parts[0][1:] + joinRest(parts[1:]) + "."
}

func joinRest(p []string) string {
	if len(p) == 0 {
		return ""
	}
	return ", " + strings.Join(p, ", ")
}

// examplePassword makes the example shown under the rules (a variable so
// layout snapshots can fix it).
var examplePassword = wizard.GeneratePassword
