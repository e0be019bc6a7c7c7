package ui

import (
	"fmt"
	"maps"
	"strings"

	"bwbulk/broadworks/oci"
	"bwbulk/wizard"
)

// Keys under which a job's fields carry its target, so a failed job can
// be edited and re-planned later (Replan).
const (
	fieldTargetSP         = "target.serviceProviderId"
	fieldTargetGroup      = "target.groupId"
	fieldTargetDomain     = "target.domain"
	fieldTargetRelease    = "target.release"
	fieldTargetEnterprise = "target.isEnterprise"
)

// jobFields returns the row's fields plus its target.
func jobFields(t wizard.Target, r wizard.Row) map[string]string {
	f := r.Fields()
	f[fieldTargetSP] = t.ServiceProviderID
	f[fieldTargetGroup] = t.GroupID
	f[fieldTargetDomain] = t.Domain
	f[fieldTargetRelease] = t.Release
	if t.IsEnterprise {
		f[fieldTargetEnterprise] = "true"
	}
	return f
}

// rowFields returns the preview columns of stored job fields (the
// target keys dropped).
func rowFields(f map[string]string) map[string]string {
	out := maps.Clone(f)
	for k := range out {
		if strings.HasPrefix(k, "target.") {
			delete(out, k)
		}
	}
	return out
}

// Replan turns the edited fields of a failed job into its user id and
// commands, validating the row with the wizard's rules. It is the jobs
// RunnerOptions.Replan hook.
func Replan(fields map[string]string) (string, []oci.Request, error) {
	t := wizard.Target{
		ServiceProviderID: fields[fieldTargetSP],
		GroupID:           fields[fieldTargetGroup],
		Domain:            fields[fieldTargetDomain],
		Release:           fields[fieldTargetRelease],
		IsEnterprise:      fields[fieldTargetEnterprise] == "true",
		RequirePassword:   true,
	}
	if t.ServiceProviderID == "" || t.GroupID == "" {
		return "", nil, fmt.Errorf("ui: replan: the job does not name its group")
	}
	r := wizard.RowFromFields(fields)
	if ps := wizard.ValidateRow(t, r); len(ps) > 0 {
		return "", nil, ps[0]
	}
	cmds, err := wizard.PlanRow(t, r)
	if err != nil {
		return "", nil, err
	}
	return r.Get(wizard.ColUserID), cmds, nil
}
