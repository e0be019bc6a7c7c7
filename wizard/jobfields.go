package wizard

import (
	"fmt"
	"maps"
	"strings"

	"bwbulk/broadworks/oci"
)

// Keys under which a job's stored fields carry its target, so a failed job
// can be edited and planned again later (Replan), from the window or the
// command line.
const (
	FieldTargetSP         = "target.serviceProviderId"
	FieldTargetGroup      = "target.groupId"
	FieldTargetDomain     = "target.domain"
	FieldTargetRelease    = "target.release"
	FieldTargetEnterprise = "target.isEnterprise"
)

// JobFields returns the row's fields plus its target: what a job stores.
func JobFields(t Target, r Row) map[string]string {
	f := r.Fields()
	f[FieldTargetSP] = t.ServiceProviderID
	f[FieldTargetGroup] = t.GroupID
	f[FieldTargetDomain] = t.Domain
	f[FieldTargetRelease] = t.Release
	if t.IsEnterprise {
		f[FieldTargetEnterprise] = "true"
	}
	return f
}

// RowFields returns the preview columns of stored job fields (the target
// keys dropped).
func RowFields(f map[string]string) map[string]string {
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
	t := Target{
		ServiceProviderID: fields[FieldTargetSP],
		GroupID:           fields[FieldTargetGroup],
		Domain:            fields[FieldTargetDomain],
		Release:           fields[FieldTargetRelease],
		IsEnterprise:      fields[FieldTargetEnterprise] == "true",
		RequirePassword:   true,
	}
	if t.ServiceProviderID == "" || t.GroupID == "" {
		return "", nil, fmt.Errorf("wizard: replan: the job does not name its group")
	}
	r := RowFromFields(fields)
	if ps := ValidateRow(t, r); len(ps) > 0 {
		return "", nil, ps[0]
	}
	cmds, err := PlanRow(t, r)
	if err != nil {
		return "", nil, err
	}
	return r.Get(ColUserID), cmds, nil
}
