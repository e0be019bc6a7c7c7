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
// lost is resolved by reading again. rules.orphan decides each step; this
// sends and audits. It returns the job's error with what became of the
// device, and the reads and delete for the audit. When the
// device is removed the job's step goes back to it: nothing the job sent
// is left on the server (Undo then has nothing of it to delete); when it
// cannot be removed the error names it and Undo lists it.
func (r *Runner) removeOrphanDevice(ctx context.Context, pool *broadworks.Pool, tr *taskRun, j *runJob, refusal string) (string, []AuditEntry) {
	idx, sp, group, dev := orphanDevice(j)
	if idx < 0 || dev == "" {
		return refusal, nil
	}
	ru := rules{policy: r.policy}
	var audit []AuditEntry
	left := func(why string) (string, []AuditEntry) {
		return refusal + "; device " + dev + ", which this job added for the user, is left on the server (" + why +
			"): Undo removes it", audit
	}
	s := orphanState{phase: orphanRead, round: 1}
	for {
		var req oci.Request
		var e orphanEvent
		if s.phase == orphanRead {
			read := &oci.GroupAccessDeviceGetUserListRequest21sp1{ServiceProviderID: sp, GroupID: group, DeviceName: dev}
			req = read
			resp, err := pool.Do(sendCtx(ctx), read)
			l, ok := resp.(*oci.GroupAccessDeviceGetUserListResponse21sp1)
			switch {
			case err == nil && !ok:
				err = errors.New("unexpected answer " + resp.OCIName())
			case err == nil:
				for i := range l.DeviceUserTable.Rows {
					e.users = append(e.users, l.DeviceUserTable.Col(i, "User Id"))
				}
			}
			e.err = err
		} else {
			req = &oci.GroupAccessDeviceDeleteRequest{ServiceProviderID: sp, GroupID: group, DeviceName: dev}
			_, e.err = pool.Do(sendCtx(ctx), req)
		}
		if e.err != nil {
			e.text = maskValues(maskSecrets(e.err.Error()), j.secrets)
		}
		next, step := ru.orphan(s, e)
		a := AuditEntry{TaskID: tr.id, JobID: j.id, Command: req.OCIName(), Request: renderCommand(req), Outcome: step.outcome}
		if e.err != nil && step.outcome != OutcomeSuccess {
			a.ErrorCode, a.Error = errorCode(e.err), e.text
		}
		audit = append(audit, a)
		s = next
		switch step.end {
		case orphanLeft:
			return left(step.why)
		case orphanRemoved, orphanAbsent:
			// Nothing the job sent is left on the server.
			if idx == j.userAddIdx-1 {
				j.step = idx
			}
			if step.end == orphanAbsent {
				return refusal + "; device " + dev + ", which this job added for the user, is no longer on the server", audit
			}
			return refusal + "; device " + dev + ", which this job added for the user, was removed", audit
		}
		if step.stopped != "" && !r.pause(ctx, step.delay) {
			return left(step.stopped)
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
