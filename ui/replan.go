package ui

import (
	"bwbulk/broadworks/oci"
	"bwbulk/wizard"
)

// Keys under which a job's fields carry its target (wizard.JobFields).
const (
	fieldTargetGroup = wizard.FieldTargetGroup
)

// jobFields returns the row's fields plus its target.
func jobFields(t wizard.Target, r wizard.Row) map[string]string { return wizard.JobFields(t, r) }

// rowFields returns the preview columns of stored job fields.
func rowFields(f map[string]string) map[string]string { return wizard.RowFields(f) }

// Replan is wizard.Replan: the jobs RunnerOptions.Replan hook.
func Replan(fields map[string]string) (string, []oci.Request, error) { return wizard.Replan(fields) }
