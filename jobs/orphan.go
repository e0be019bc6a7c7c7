package jobs

import (
	"context"
	"errors"
	"strings"
	"time"

	"bwbulk/broadworks"
	"bwbulk/broadworks/oci"
)

// orphanDevice returns the index of the device add that job j applied
// before its user add, and the device's name, group and service provider;
// -1 when the job added no device before its user.
func orphanDevice(j *runJob) (idx int, sp, group, name string) {
	for i := min(j.userAddIdx, j.step) - 1; i >= 0; i-- {
		c, err := j.cmd(i)
		if err != nil || !strings.HasPrefix(c.OCIName(), "GroupAccessDeviceAddRequest") {
			continue
		}
		return i, fieldString(c, "ServiceProviderID"), fieldString(c, "GroupID"), fieldString(c, "DeviceName")
	}
	return -1, "", "", ""
}

// removeOrphanDevice is called when j's user add was refused for good
// (the user id is taken, say): the device the job added for that user
// would be left behind, used by no one. It reads the device's users first
// and deletes it only when it has none, once; a delete whose answer is
// lost is resolved by reading again. It returns the job's error with what
// became of the device, and the reads and delete for the audit. When the
// device is removed the job's step goes back to it: nothing the job sent
// is left on the server (Undo then has nothing of it to delete); when it
// cannot be removed the error names it and Undo lists it.
func (r *Runner) removeOrphanDevice(ctx context.Context, pool *broadworks.Pool, tr *taskRun, j *runJob, refusal string) (string, []AuditEntry) {
	idx, sp, group, dev := orphanDevice(j)
	if idx < 0 || dev == "" {
		return refusal, nil
	}
	var audit []AuditEntry
	note := func(req oci.Request, outcome string, err error) {
		a := AuditEntry{TaskID: tr.id, JobID: j.id, Command: req.OCIName(), Request: renderCommand(req), Outcome: outcome}
		if err != nil {
			a.ErrorCode, a.Error = errorCode(err), maskValues(maskSecrets(err.Error()), j.secrets)
		}
		audit = append(audit, a)
	}
	left := func(why string) (string, []AuditEntry) {
		return refusal + "; device " + dev + ", which this job added for the user, is left on the server (" + why +
			"): Undo removes it", audit
	}
	removed := func() (string, []AuditEntry) {
		if idx == j.userAddIdx-1 {
			j.step = idx
		}
		return refusal + "; device " + dev + ", which this job added for the user, was removed", audit
	}
	// users reads who uses the device; gone is true when it is not there.
	users := func() (gone bool, who []string, err error) {
		req := &oci.GroupAccessDeviceGetUserListRequest21sp1{ServiceProviderID: sp, GroupID: group, DeviceName: dev}
		resp, err := pool.Do(sendCtx(ctx), req)
		switch l, ok := resp.(*oci.GroupAccessDeviceGetUserListResponse21sp1); {
		case broadworks.IsErrorCode(err, codeDeviceNotFound):
			note(req, OutcomeSuccess, nil)
			return true, nil, nil
		case err != nil:
			note(req, OutcomeError, err)
			return false, nil, err
		case !ok:
			err = errors.New("unexpected answer " + resp.OCIName())
			note(req, OutcomeError, err)
			return false, nil, err
		default:
			note(req, OutcomeSuccess, nil)
			for i := range l.DeviceUserTable.Rows {
				who = append(who, l.DeviceUserTable.Col(i, "User Id"))
			}
			return false, who, nil
		}
	}
	for attempt := 1; ; attempt++ {
		gone, who, err := users()
		switch {
		case err != nil && attempt < r.opts.MaxAttempts && (broadworks.Temporary(err) || broadworks.SafeToRetry(err)):
			if !r.pause(ctx, r.policy.backoff(attempt)) {
				return left("bwbulk was stopped before it could remove it")
			}
			continue
		case err != nil:
			return left("its users could not be read: " + maskSecrets(err.Error()))
		case gone && attempt == 1:
			// Removed by someone else meanwhile: nothing of the job's is left.
			if idx == j.userAddIdx-1 {
				j.step = idx
			}
			return refusal + "; device " + dev + ", which this job added for the user, is no longer on the server", audit
		case gone:
			return removed()
		case len(who) > 0:
			return left("used by " + strings.Join(who, ", "))
		}
		del := &oci.GroupAccessDeviceDeleteRequest{ServiceProviderID: sp, GroupID: group, DeviceName: dev}
		_, err = pool.Do(sendCtx(ctx), del)
		switch {
		case err == nil:
			note(del, OutcomeSuccess, nil)
			return removed()
		case broadworks.IsErrorCode(err, codeDeviceNotFound):
			note(del, OutcomeNotApplied, err)
			return removed()
		case broadworks.OutcomeUnknown(err) || broadworks.Temporary(err) || broadworks.SafeToRetry(err):
			// Read again: the device's absence says the delete took.
			note(del, OutcomeUnknown, err)
			if attempt >= r.opts.MaxAttempts || !r.pause(ctx, r.policy.backoff(attempt)) {
				return left("the delete got no answer")
			}
		default:
			note(del, OutcomeError, err)
			return left("the server refused to delete it: " + maskSecrets(err.Error()))
		}
	}
}

// pause waits d; false when ctx is done first.
func (r *Runner) pause(ctx context.Context, d time.Duration) bool {
	select {
	case <-ctx.Done():
		return false
	case <-r.clock.After(d):
		return true
	}
}
