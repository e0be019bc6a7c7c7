package desk

import (
	"context"

	"bwbulk/jobs"
)

// PlanUndo reads from the session's server what task id created and plans
// its undo (jobs.PlanUndo), sent as the session's profile's administrator
// by this OS user; chosen, when not nil, are the only jobs it undoes.
func (s *Session) PlanUndo(ctx context.Context, st *jobs.Store, id int64, chosen []int64) (*jobs.UndoPlan, error) {
	p := s.Profile()
	return jobs.PlanUndo(ctx, st, s.Reads(), id, &jobs.UndoOptions{Jobs: chosen, Admin: p.AdminUser, Server: p.Address, OSUser: OSUser()})
}
