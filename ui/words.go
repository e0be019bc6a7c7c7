package ui

import (
	"errors"
	"sort"
	"strings"

	"bwbulk/wizard"
)

// fieldLabels are the labels the wizard's forms give their fields
// (fieldSet.row records them), so messages name fields as the screen
// does: "MAC address", never "device.macAddress". UI goroutine only.
var fieldLabels = map[wizard.Field]string{wizard.FieldRows: "Preview"}

// peopleText is err as a sentence for people: field errors and problems
// name fields and columns by their labels and headers, without the
// package prefix.
func peopleText(err error) string {
	var fe wizard.FieldErrors
	if errors.As(err, &fe) {
		var parts []string
		for f, msg := range fe {
			label := fieldLabels[f]
			if label == "" {
				label = fieldFallback(f)
			}
			parts = append(parts, label+": "+msg)
		}
		sort.Strings(parts)
		return strings.Join(parts, "\n")
	}
	var p wizard.Problem
	if errors.As(err, &p) {
		return problemLine(p.Row, p.Column, p.Msg)
	}
	return strings.TrimPrefix(err.Error(), "wizard: ")
}

// fieldFallback makes a label of a field never laid out ("userId.template"
// reads "User ID template").
func fieldFallback(f wizard.Field) string {
	step, name, _ := strings.Cut(string(f), ".")
	if c, ok := wizard.ParseColumn(step); ok {
		step = c.Title()
	}
	if c, ok := wizard.ParseColumn(name); ok {
		name = c.Title()
	}
	return strings.TrimSpace(step + " " + name)
}
