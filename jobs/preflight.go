package jobs

import (
	"context"
	"fmt"

	"bwbulk/broadworks"
	"bwbulk/broadworks/oci"
)

// preflight re-checks, after a task waited for its server, what may have
// changed meanwhile: free user licences of each group (GroupGetRequest22V5)
// and whether each job's phone number is still available
// (GroupDnGetAvailableListRequest). A job that no longer fits fails alone,
// with the reason; the others go ahead. Jobs whose user was already added
// are not checked. A failed read skips its check (the server then decides).
func (r *Runner) preflight(ctx context.Context, pool *broadworks.Pool, tr *taskRun, js []*runJob) ([]*runJob, error) {
	type groupKey struct{ sp, g string }
	type need struct {
		j      *runJob
		number string
	}
	needs := map[groupKey][]need{}
	var order []groupKey
	for _, j := range js {
		if j.inflight {
			continue // may already hold a licence: resolved first
		}
		if r.store.openJob(j) != nil {
			continue // fails when its turn comes, with the reason
		}
		for i := j.step; i < j.n(); i++ {
			if !isUserAddName(j.raw[i].Type) {
				continue
			}
			c, err := j.cmd(i)
			if err != nil {
				continue
			}
			k := groupKey{fieldString(c, "ServiceProviderID"), fieldString(c, "GroupID")}
			if _, ok := needs[k]; !ok {
				order = append(order, k)
			}
			needs[k] = append(needs[k], need{j, fieldString(c, "PhoneNumber")})
		}
	}
	var ups []jobUpdate
	var failed []*runJob
	var msgs []string
	for _, k := range order {
		free := -1
		if resp, err := pool.Do(sendCtx(ctx), &oci.GroupGetRequest22V5{ServiceProviderID: k.sp, GroupID: k.g}); err == nil {
			if g, ok := resp.(*oci.GroupGetResponse22V5); ok {
				free = g.UserLimit - g.UserCount
			}
		} else {
			r.opts.Logf("jobs: task %d: pre-flight: group %s/%s: %v", tr.id, k.sp, k.g, err)
		}
		var avail map[string]bool
		if resp, err := pool.Do(sendCtx(ctx), &oci.GroupDnGetAvailableListRequest{ServiceProviderID: k.sp, GroupID: k.g}); err == nil {
			if l, ok := resp.(*oci.GroupDnGetAvailableListResponse); ok {
				avail = map[string]bool{}
				for _, n := range l.PhoneNumber {
					avail[digitsOf(n)] = true
				}
			}
		}
		for _, n := range needs[k] {
			var msg string
			switch {
			case n.number != "" && avail != nil && !avail[digitsOf(n.number)]:
				msg = fmt.Sprintf("pre-flight: phone number %s is no longer available in group %s", n.number, k.g)
			case free == 0:
				msg = fmt.Sprintf("pre-flight: licence exceeded: group %s has no free user licence left", k.g)
			default:
				if free > 0 {
					free--
				}
				if avail != nil && n.number != "" {
					delete(avail, digitsOf(n.number)) // two rows cannot take one number
				}
				continue
			}
			ups = append(ups, jobUpdate{id: n.j.id, status: StatusFailed, step: n.j.step, attempts: n.j.attempts, text: msg})
			failed = append(failed, n.j)
			msgs = append(msgs, msg)
		}
	}
	if err := r.store.record(ctx, ups, nil); err != nil {
		return nil, err
	}
	gone := map[*runJob]bool{}
	for i, j := range failed {
		gone[j] = true
		r.jobEvent(tr, j, StatusFailed, msgs[i])
	}
	rest := js[:0:0]
	for _, j := range js {
		if !gone[j] {
			rest = append(rest, j)
		}
	}
	return rest, nil
}

func digitsOf(s string) string {
	var out []byte
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			out = append(out, s[i])
		}
	}
	return string(out)
}
