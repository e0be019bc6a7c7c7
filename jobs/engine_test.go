package jobs

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"bwbulk/broadworks"
	"bwbulk/broadworks/oci"
	"bwbulk/broadworks/ocisim"
	"bwbulk/broadworks/ocisim/ocisimtest"
)

// The engine's moves, one row each: a state, an event, the next state and
// the effects. The errors are the client's own (see retry.go): the
// engine decides from them as the runner's drivers hand them over.
func TestRules_move(t *testing.T) {
	pol := retryPolicy{maxAttempts: 3, base: 100 * time.Millisecond, max: time.Second}
	jobRules := rules{policy: pol, readBack: true}
	settle := rules{policy: pol, readBack: true, resolveOnly: true}
	stageRules := rules{policy: pol, stage: true}

	refused := &oci.ErrorResponse{Type: oci.TypeError, Code: 4400, Summary: "[Error 4400] refused"}
	unknown := fmt.Errorf("batch: %w", broadworks.ErrOutcomeUnknown) // the connection cut mid-document
	temporary := &oci.ErrorResponse{Type: oci.TypeError, Code: 5200, Summary: "[Error 5200] try again later"}
	noRead := &broadworks.UnknownCommandError{Command: "UserGetRequest23V2", Release: "21",
		Err: &oci.ErrorResponse{Type: oci.TypeError, Code: 6004, Summary: "[Error 6004] unknown"}}
	if !broadworks.OutcomeUnknown(unknown) {
		t.Fatalf("%v: not an unknown outcome to the client", unknown)
	}
	if act, _ := pol.next(temporary, 1); act != actRetry {
		t.Fatalf("%v: %v, want a retry", temporary, act)
	}

	// A job of three commands whose second is the user add.
	send := jobState{phase: phaseSend, step: 1, n: 3, userAdd: 1}
	sent := jobState{phase: phaseSend, step: 1, n: 3, userAdd: 1, inflight: true, attempts: 1}
	resolve := jobState{phase: phaseResolve, step: 1, n: 3, userAdd: 1, inflight: true, attempts: 1}
	last := jobState{phase: phaseSend, step: 2, n: 3, userAdd: 1, inflight: true, attempts: 1}
	readBack := jobState{phase: phaseReadBack, step: 3, n: 3, userAdd: 1}
	with := func(s jobState, f func(*jobState)) jobState { f(&s); return s }

	running := effect{do: doRecord, status: StatusRunning}
	again := effect{do: doAgain}
	rest := effect{do: doRest}
	audit := func(o string) effect { return effect{do: doAudit, outcome: o} }
	failed := func(code int, msg string) []effect {
		return []effect{{do: doRecord, status: StatusFailed, code: code, text: msg},
			{do: doPublish, status: StatusFailed, text: msg}, rest}
	}
	completed := []effect{{do: doRecord, status: StatusCompleted}, {do: doPublish, status: StatusCompleted}, rest}
	checking := func(code int, msg string) []effect {
		return []effect{{do: doRecord, status: StatusPending, code: code, text: "to be checked: " + msg, unverified: true},
			{do: doPublish, status: StatusChecking, text: "to be checked: " + msg}, {do: doPark}}
	}
	cat := func(ls ...[]effect) []effect {
		var out []effect
		for _, l := range ls {
			out = append(out, l...)
		}
		return out
	}
	answer := func(err error) event {
		e := event{kind: evAnswer, cmd: "UserAddRequest17sp4", err: err}
		if err != nil {
			e.text = err.Error()
		}
		return e
	}

	for _, tc := range []struct {
		name  string
		rules rules
		state jobState
		event event
		want  jobState
		effs  []effect
	}{
		// Sending: intent first.
		{"turn to send counts an attempt and marks it in flight", jobRules, send,
			event{kind: evTurn}, sent, []effect{{do: doSend}}},
		{"turn to send in a stopped task sends nothing", settle, send,
			event{kind: evTurn}, send, []effect{rest}},
		{"a document never sent undoes the intent", jobRules, sent,
			event{kind: evUnsent}, send, []effect{running, again}},
		{"a read never sent changes nothing", jobRules, resolve,
			event{kind: evUnsent}, resolve, []effect{running, again}},
		{"a broken job fails", jobRules, send,
			event{kind: evBroken, text: "the stored job cannot be read: bad key"}, send,
			failed(0, "the stored job cannot be read: bad key")},

		// Answers to a send.
		{"accepted moves to the next command", jobRules, sent, answer(nil),
			with(send, func(s *jobState) { s.step = 2 }),
			[]effect{audit(OutcomeSuccess), running, {do: doPublish, status: StatusRunning}, again}},
		{"accepted in a reconciled job reads the next command first", jobRules,
			with(sent, func(s *jobState) { s.reconcile = true }), answer(nil),
			with(send, func(s *jobState) { s.step, s.phase, s.reconcile = 2, phaseResolve, true }),
			[]effect{audit(OutcomeSuccess), running, {do: doPublish, status: StatusRunning}, again}},
		{"accepted in a stopped task rests", settle, sent, answer(nil),
			with(send, func(s *jobState) { s.step = 2 }),
			[]effect{audit(OutcomeSuccess), running, rest}},
		{"the last command accepted reads the user back", jobRules, last, answer(nil), readBack,
			[]effect{audit(OutcomeSuccess), running, again}},
		{"the last command accepted without read-back completes", rules{policy: pol}, last, answer(nil),
			with(readBack, func(s *jobState) { s.phase = phaseSend }),
			cat([]effect{audit(OutcomeSuccess)}, completed)},
		{"a service assignment accepted with a warning is checked", jobRules, sent,
			event{kind: evAnswer, service: true, warning: "[Warning 4001] some services"},
			with(sent, func(s *jobState) { s.phase, s.warning = phaseServiceCheck, "[Warning 4001] some services" }),
			[]effect{audit(OutcomeSuccess), running, again}},
		{"no answer resolves by reading before anything is sent", jobRules, sent, answer(unknown),
			with(sent, func(s *jobState) { s.phase = phaseResolve }),
			[]effect{audit(OutcomeUnknown), running, again}},
		{"no answer after the last attempt still resolves", jobRules,
			with(sent, func(s *jobState) { s.attempts = 3 }), answer(unknown),
			with(sent, func(s *jobState) { s.phase, s.attempts = phaseResolve, 3 }),
			[]effect{audit(OutcomeUnknown), running, again}},
		{"a transient error is sent again after a backoff", jobRules, sent, answer(temporary),
			with(send, func(s *jobState) { s.attempts = 1 }),
			[]effect{audit(OutcomeError), {do: doRecord, status: StatusRunning, code: 5200, text: temporary.Error(), delay: 100 * time.Millisecond},
				{do: doAgain, delay: 100 * time.Millisecond}}},
		{"a transient error after the last attempt fails", jobRules,
			with(sent, func(s *jobState) { s.step, s.attempts = 0, 3 }), answer(temporary),
			with(send, func(s *jobState) { s.step, s.attempts = 0, 3 }),
			cat([]effect{audit(OutcomeError)}, failed(5200, temporary.Error()))},
		{"a refused user add fails and removes its device", jobRules, sent, answer(refused),
			with(send, func(s *jobState) { s.attempts = 1 }),
			cat([]effect{audit(OutcomeError), {do: doOrphan}}, failed(4400, refused.Error()))},
		{"a refused command other than the user add fails", jobRules, last, answer(refused),
			with(last, func(s *jobState) { s.inflight = false }),
			cat([]effect{audit(OutcomeError)}, failed(4400, refused.Error()))},
		{"a refused stage command fails", stageRules, jobState{phase: phaseSend, n: 1, inflight: true, attempts: 1, userAdd: -1},
			answer(refused), jobState{phase: phaseSend, n: 1, attempts: 1, userAdd: -1},
			cat([]effect{audit(OutcomeError)}, failed(4400, refused.Error()))},

		// Resolving an unknown outcome.
		{"turn to resolve reads", jobRules, resolve, event{kind: evTurn, read: readBy}, resolve, []effect{{do: doRead}}},
		{"turn to resolve a resendable command sends it again", jobRules, resolve, event{kind: evTurn, read: readNone},
			with(resolve, func(s *jobState) { s.phase, s.inflight = phaseSend, false }), []effect{running, again}},
		{"turn to resolve a resendable command in a stopped task rests", settle, resolve, event{kind: evTurn, read: readNone},
			with(resolve, func(s *jobState) { s.phase, s.inflight = phaseSend, false }), []effect{running, rest}},
		{"an unknown outcome that cannot be read fails, never resent", jobRules, resolve,
			event{kind: evTurn, cmd: "UserModifyRequest22", read: readNever}, resolve,
			failed(0, "outcome of UserModifyRequest22 unknown and it cannot be verified by reading: check the server, then retry")},
		{"reconciling a command that cannot be read fails", jobRules, with(resolve, func(s *jobState) { s.inflight, s.reconcile = false, true }),
			event{kind: evTurn, cmd: "UserModifyRequest22", read: readNever}, with(resolve, func(s *jobState) { s.inflight, s.reconcile = false, true }),
			failed(0, "whether UserModifyRequest22 was applied cannot be read from the server: check the server, then send it by hand")},
		{"read says applied: move on", jobRules, resolve, event{kind: evAnswer, verdict: applied},
			with(send, func(s *jobState) { s.step = 2 }),
			[]effect{audit(OutcomeApplied), running, {do: doPublish, status: StatusRunning}, again}},
		{"read says not applied: send again", jobRules, resolve, event{kind: evAnswer, verdict: notApplied},
			with(send, func(s *jobState) { s.attempts = 1 }), []effect{audit(OutcomeNotApplied), running, again}},
		{"read says not applied after the last attempt: fail", jobRules, with(resolve, func(s *jobState) { s.attempts = 3 }),
			event{kind: evAnswer, verdict: notApplied, msg: "user u not found"},
			with(send, func(s *jobState) { s.attempts = 3 }),
			cat([]effect{audit(OutcomeNotApplied)}, failed(0, "not applied after 3 attempts: user u not found"))},
		{"a read that failed is read again after a backoff", jobRules, resolve, event{kind: evAnswer, cmd: "UserAddRequest17sp4", err: temporary, text: "t"},
			with(resolve, func(s *jobState) { s.reads = 1 }),
			[]effect{audit(OutcomeError), {do: doAgain, delay: 100 * time.Millisecond}}},
		{"reads run out: to be checked, never failed", jobRules, with(resolve, func(s *jobState) { s.reads = 2 }),
			event{kind: evAnswer, cmd: "UserAddRequest17sp4", err: temporary, text: "t", msg: "closed"}, resolve,
			cat([]effect{audit(OutcomeError)}, checking(5200, "whether UserAddRequest17sp4 was applied could not be read yet: closed"), []effect{rest})},
		{"a read the server knows in no version: to be checked, the task needs attention", jobRules, resolve,
			event{kind: evAnswer, cmd: "UserAddRequest17sp4", err: noRead, text: "no read"}, resolve,
			cat([]effect{audit(OutcomeError)}, checking(6004, "whether UserAddRequest17sp4 was applied cannot be read: no read"),
				[]effect{{do: doAttention}, rest})},
		{"a stage's reads run out: it fails", stageRules, jobState{phase: phaseResolve, n: 1, inflight: true, attempts: 1, reads: 2, userAdd: -1},
			event{kind: evAnswer, cmd: "GroupAddRequest", err: temporary, text: "t", msg: "closed"},
			jobState{phase: phaseResolve, n: 1, inflight: true, attempts: 1, reads: 3, userAdd: -1},
			cat([]effect{audit(OutcomeError)}, failed(5200, "whether GroupAddRequest was applied could not be read yet: closed"))},
		{"a stage resolved applied completes", stageRules, jobState{phase: phaseResolve, n: 1, inflight: true, attempts: 1, userAdd: -1},
			event{kind: evAnswer, verdict: applied}, jobState{phase: phaseResolve, step: 1, n: 1, userAdd: -1},
			cat([]effect{audit(OutcomeApplied)}, completed)},

		// Verifying what was accepted.
		{"turn to read back reads", jobRules, readBack, event{kind: evTurn}, readBack, []effect{{do: doRead}}},
		{"read back right: completed", jobRules, readBack, event{kind: evAnswer, ok: true, final: true}, readBack,
			cat([]effect{audit(OutcomeSuccess)}, completed)},
		{"read back wrong: failed", jobRules, readBack, event{kind: evAnswer, final: true, msg: "read-back: user u not found"}, readBack,
			cat([]effect{audit(OutcomeSuccess)}, failed(0, "read-back: user u not found"))},
		{"read back failed: read again after a backoff", jobRules, readBack, event{kind: evAnswer, err: temporary, text: "t"},
			with(readBack, func(s *jobState) { s.reads = 1 }), []effect{audit(OutcomeError), {do: doAgain, delay: 100 * time.Millisecond}}},
		{"read back failed for the last time: to be checked", jobRules, with(readBack, func(s *jobState) { s.reads = 2 }),
			event{kind: evAnswer, err: temporary, text: "t"}, readBack,
			cat([]effect{audit(OutcomeError)}, checking(5200, "the user could not be read back yet: t"), []effect{rest})},
		{"service check right: move on", jobRules, with(sent, func(s *jobState) { s.phase, s.warning = phaseServiceCheck, "w" }),
			event{kind: evAnswer, ok: true}, with(send, func(s *jobState) { s.step = 2 }),
			[]effect{audit(OutcomeSuccess), running, {do: doPublish, status: StatusRunning}, again}},
	} {
		t.Run(strings.ReplaceAll(tc.name, " ", "_"), func(t *testing.T) {
			got, effs := tc.rules.move(tc.state, tc.event, nil)
			if got != tc.want {
				t.Errorf("state\n got %+v\nwant %+v", got, tc.want)
			}
			if !reflect.DeepEqual(effs, tc.effs) {
				t.Errorf("effects\n got %v\nwant %v", effs, tc.effs)
			}
		})
	}
}

// The moves of a refused user's device removal (doOrphan), one row each.
func TestRules_orphan(t *testing.T) {
	ru := rules{policy: retryPolicy{maxAttempts: 3, base: 100 * time.Millisecond, max: time.Second}}
	notFound := &oci.ErrorResponse{Type: oci.TypeError, Code: codeDeviceNotFound, Summary: "[Error 4008] not found"}
	refused := &oci.ErrorResponse{Type: oci.TypeError, Code: 4400, Summary: "[Error 4400] refused"}
	temporary := &oci.ErrorResponse{Type: oci.TypeError, Code: 5200, Summary: "[Error 5200] try again later"}
	unknown := fmt.Errorf("batch: %w", broadworks.ErrOutcomeUnknown)
	answer := func(err error, users ...string) orphanEvent {
		e := orphanEvent{err: err, users: users}
		if err != nil {
			e.text = err.Error()
		}
		return e
	}
	read := func(round int) orphanState { return orphanState{phase: orphanRead, round: round} }
	del := func(round int) orphanState { return orphanState{phase: orphanDelete, round: round} }
	const stopped = "bwbulk was stopped before it could remove it"

	for _, tc := range []struct {
		name  string
		state orphanState
		event orphanEvent
		want  orphanState
		step  orphanStep
	}{
		{"no one uses it: delete it", read(1), answer(nil), del(1), orphanStep{outcome: OutcomeSuccess}},
		{"someone uses it: left", read(1), answer(nil, "ann@x", "bob@x"), read(1),
			orphanStep{outcome: OutcomeSuccess, end: orphanLeft, why: "used by ann@x, bob@x"}},
		{"gone at the first read: absent", read(1), answer(notFound), read(1),
			orphanStep{outcome: OutcomeSuccess, end: orphanAbsent}},
		{"gone at a later read: the lost delete took", read(2), answer(notFound), read(2),
			orphanStep{outcome: OutcomeSuccess, end: orphanRemoved}},
		{"read failed for now: read again after a backoff", read(1), answer(temporary), read(2),
			orphanStep{outcome: OutcomeError, delay: 100 * time.Millisecond, stopped: stopped}},
		{"read failed for now in the second round: a longer backoff", read(2), answer(temporary), read(3),
			orphanStep{outcome: OutcomeError, delay: 200 * time.Millisecond, stopped: stopped}},
		{"read failed in the last round: left", read(3), answer(temporary), read(3),
			orphanStep{outcome: OutcomeError, end: orphanLeft, why: "its users could not be read: " + temporary.Error()}},
		{"read refused: left", read(1), answer(refused), read(1),
			orphanStep{outcome: OutcomeError, end: orphanLeft, why: "its users could not be read: " + refused.Error()}},
		{"deleted: removed", del(1), answer(nil), del(1), orphanStep{outcome: OutcomeSuccess, end: orphanRemoved}},
		{"delete found nothing: removed, not applied", del(1), answer(notFound), del(1),
			orphanStep{outcome: OutcomeNotApplied, end: orphanRemoved}},
		{"delete's answer lost: read again after a backoff", del(1), answer(unknown), read(2),
			orphanStep{outcome: OutcomeUnknown, delay: 100 * time.Millisecond, stopped: "the delete got no answer"}},
		{"delete to try later: read again after a backoff", del(2), answer(temporary), read(3),
			orphanStep{outcome: OutcomeUnknown, delay: 200 * time.Millisecond, stopped: "the delete got no answer"}},
		{"delete's answer lost in the last round: left", del(3), answer(unknown), del(3),
			orphanStep{outcome: OutcomeUnknown, end: orphanLeft, why: "the delete got no answer"}},
		{"delete refused: left", del(1), answer(refused), del(1),
			orphanStep{outcome: OutcomeError, end: orphanLeft, why: "the server refused to delete it: " + refused.Error()}},
	} {
		t.Run(strings.ReplaceAll(tc.name, " ", "_"), func(t *testing.T) {
			got, step := ru.orphan(tc.state, tc.event)
			if got != tc.want {
				t.Errorf("state\n got %+v\nwant %+v", got, tc.want)
			}
			if step != tc.step {
				t.Errorf("step\n got %+v\nwant %+v", step, tc.step)
			}
		})
	}
}

// A job driven move by move through the outcomes of a bad network ends
// completed with each command applied exactly once.
func TestRules_move_walk(t *testing.T) {
	ru := rules{policy: retryPolicy{maxAttempts: 6, base: time.Millisecond, max: time.Second}}
	unknown := fmt.Errorf("batch: %w", broadworks.ErrOutcomeUnknown)
	s := jobState{n: 2, userAdd: -1}
	applied0 := map[int]int{}
	// The server: the first send of each command is applied but its
	// answer lost; the resolution read then says applied.
	for moves := 0; moves < 20; moves++ {
		s2, effs := ru.move(s, event{kind: evTurn, read: readBy}, nil)
		if effs[0].do == doRest {
			break
		}
		var ev event
		switch effs[0].do {
		case doSend:
			applied0[s2.step]++
			ev = event{kind: evAnswer, err: unknown}
		case doRead:
			ev = event{kind: evAnswer, verdict: applied}
		default:
			t.Fatalf("turn: %v", effs)
		}
		next, effs := ru.move(s2, ev, nil)
		s = next
		if effs[len(effs)-1].do == doRest {
			if effs[0].outcome != OutcomeApplied || effs[1].status != StatusCompleted {
				t.Fatalf("ended with %v", effs)
			}
			break
		}
	}
	if s.step != 2 || applied0[0] != 1 || applied0[1] != 1 {
		t.Errorf("state %+v, sends %v: want each command sent once", s, applied0)
	}
}

func (e effect) String() string {
	var b strings.Builder
	b.WriteString(e.do.String())
	for _, f := range []struct {
		k string
		v any
	}{{"status", e.status}, {"outcome", e.outcome}, {"code", e.code}, {"text", e.text}, {"delay", e.delay}, {"unverified", e.unverified}} {
		if !reflect.ValueOf(f.v).IsZero() {
			fmt.Fprintf(&b, " %s=%v", f.k, f.v)
		}
	}
	return b.String()
}

// A task's setup runs through the engine too: a setup command whose
// answer is lost is read on the server before it is sent again, and the
// task goes on.
func TestRunner_setupAnswerLostIsReadFirst(t *testing.T) {
	var groupAdds atomic.Int32
	srv := ocisimtest.Start(t, &ocisim.Options{Intercept: func(name string, n int) *ocisim.Fault {
		if name == "GroupConsolidatedAddRequest" {
			groupAdds.Add(1)
			if n == 1 {
				return &ocisim.Fault{Drop: true}
			}
		}
		return nil
	}})
	st := openTestStore(t, nil)
	ctx := context.Background()
	us := bulkUsers(3)
	id, err := st.CreateTask(ctx, taskOf(us, bulkSetup(3)))
	if err != nil {
		t.Fatal(err)
	}
	h := startRunner(t, st, dialer(srv.Addr().String(), 2), &RunnerOptions{ProbeBase: 20 * time.Millisecond, ProbeMax: 50 * time.Millisecond})
	task := h.waitTask(id, time.Minute, StatusCompleted, StatusFailed)
	if task.Status != StatusCompleted || task.Completed != len(us) {
		t.Fatalf("task = %+v", task)
	}
	audit, err := st.Audit(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	var outcomes []string
	for _, a := range audit {
		if a.JobID == 0 && a.Command == "GroupConsolidatedAddRequest" {
			outcomes = append(outcomes, a.Outcome)
		}
	}
	want := []string{OutcomeUnknown, OutcomeNotApplied, OutcomeSuccess}
	if !reflect.DeepEqual(outcomes, want) || groupAdds.Load() != 2 {
		t.Errorf("group add: audit %v, want %v; received %d times, want 2", outcomes, want, groupAdds.Load())
	}
	if !srv.HasGroup("acme-ent", "acme-bulk") {
		t.Error("group missing")
	}
}
