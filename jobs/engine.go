package jobs

import (
	"strings"
	"time"

	"bwbulk/broadworks"
)

// The exactly-once engine.
//
// Every command bwbulk sends — a job's device, user and service commands,
// a task's setup and cleanup, an undo's deletes — moves through one pure
// function, rules.move: (job state, event) → (next state, effects). move
// does no I/O, reads no clock and starts nothing. Its drivers perform the
// effects and feed it what happened: process for documents of many jobs,
// runStage for a task's stages, whose commands run as jobs of one command
// each.
//
// A job is a list of commands sent in order; its state names the command
// at step and what is known of it:
//
//	phaseSend          cmds[step] is known not applied: send it.
//	phaseResolve       cmds[step] may have been applied: read the server first.
//	phaseServiceCheck  a service assignment was accepted, maybe in part:
//	                   read what the user has before moving on.
//	phaseReadBack      every command applied: read the created user back.
//
// A move ends a job's part in the present document in one of four ways:
// the job goes back to the scheduler (doAgain, maybe after a delay), it
// completes or fails (doRecord of a final status, then doRest), it is set
// aside to be checked in a later round (doPark), or it is at rest for this
// run (doRest alone: a paused or cancelled task only settles what is in
// flight).
//
// The rules:
//
//  1. Intent first. Sending cmds[step] counts an attempt and marks it in
//     flight, and the driver stores that before the document leaves: after
//     a crash, the command is resolved by reading.
//  2. An unknown outcome (no answer, the connection lost mid-document)
//     goes to phaseResolve: the server is read before anything is sent
//     again. The resolver's judge says applied (move on), not applied (send
//     again, within MaxAttempts) or undecided (read again after a backoff;
//     when reads run out the job is set aside to be checked, never failed
//     nor sent again blindly). A command no read can verify is never sent
//     again: its job fails and says so.
//  3. A transient error (nothing was executed) is sent again after a
//     backoff, up to MaxAttempts sends.
//  4. A refusal (an OCI-P ErrorResponse) fails the job with the server's
//     words; a refused user add removes the device the job added for it.
//  5. A command the server does not know in its release was already
//     stepped down to an older version by the client ([Error 6004], a SOAP
//     fault); one it knows in no version comes as an unknownCommand error.
//     Sent, it is a refusal (rule 4); as a read it cannot tell anything:
//     the job is set aside and the task stops for a person (doAttention).
//  6. A document that never left (the server unreachable) changes
//     nothing: the intent is undone and the job waits for the server.
//
// A task's stage cannot be set aside: where a job would be, a stage
// command fails (and its task with it).
type rules struct {
	policy retryPolicy
	// readBack reads every created user back and checks every service
	// assignment (RunnerOptions.DisableReadBack off).
	readBack bool
	// resolveOnly: the task is paused or cancelled; only what is in flight
	// is settled, nothing new is sent.
	resolveOnly bool
	// stage: the commands of a task's setup or cleanup (see above).
	stage bool
}

// jobState is where one job stands between two moves.
type jobState struct {
	phase     phase
	step, n   int    // the command under way; step == n: all applied
	inflight  bool   // cmds[step] may have been sent
	attempts  int    // sends of cmds[step]
	reads     int    // failed reads in this run
	reconcile bool   // queued again after a failure: each command is read before it is sent
	userAdd   int    // index of the user add, -1 if none
	warning   string // phaseServiceCheck: the Warning the assignment was accepted with
}

// evKind names what happened to a job.
type evKind int

const (
	// evTurn: the job's turn in a document: what does it put in?
	evTurn evKind = iota
	// evBroken: its stored fields or commands cannot be opened (text).
	evBroken
	// evUnsent: the document never left; nothing reached the server.
	evUnsent
	// evAnswer: the server answered what the job put in the document.
	evAnswer
)

// readability is what a read of the server can tell about a command whose
// outcome is unknown (resolver).
type readability int

const (
	readBy    readability = iota // a read tells whether it was applied
	readNone                     // sending it twice changes nothing: no read is needed
	readNever                    // no read can tell: it is never sent again
)

// event is what happened, with the facts move decides on. Its texts are
// already masked: move never sees a secret.
type event struct {
	kind evKind
	cmd  string      // the name of cmds[step], for messages
	read readability // evTurn in phaseResolve
	// evAnswer: the answer's error (nil: a response; a Warning is no
	// error) and err's masked text.
	err  error
	text string // also evBroken's reason
	// evAnswer to a send: cmds[step] is a service assignment, accepted
	// with this Warning ("" when fully).
	service bool
	warning string
	// evAnswer to phaseResolve's read: the judge's verdict.
	verdict verdict
	// evAnswer to a read-back or service check: verify's words.
	ok, final bool
	msg       string // the judge's or verify's words, masked
}

// effKind names an effect the driver performs.
type effKind int

const (
	doSend      effKind = iota // store cmds[step] in flight, then send it
	doRead                     // send the read of the state's phase
	doAudit                    // audit the answer with outcome
	doRecord                   // store the job: status, code, text, delay (not before), unverified
	doPublish                  // tell listeners: status, text
	doAgain                    // give the job back to the scheduler, due after delay
	doPark                     // set it aside: it is read again in a later round
	doAttention                // the task stops for a person: a read the server does not know
	doOrphan                   // remove the device added for a refused user (amends the failure's text)
	doRest                     // the job is done with in this run
)

func (k effKind) String() string {
	return [...]string{"send", "read", "audit", "record", "publish", "again", "park", "attention", "orphan", "rest"}[k]
}

// effect is one thing to do; only the fields of its kind are set.
type effect struct {
	do         effKind
	status     string // doRecord, doPublish
	outcome    string // doAudit
	code       int    // doRecord
	text       string // doRecord, doPublish
	delay      time.Duration
	unverified bool // doRecord: the outcome could not be read yet
}

// move is the engine: what the job in state s does after e. It is pure:
// it appends the effects to out (which may be nil; a driver passes its
// last slice back, [:0], to keep its moves from allocating) and returns
// them.
func (ru rules) move(s jobState, e event, out []effect) (jobState, []effect) {
	switch e.kind {
	case evBroken:
		return s, finish(out, StatusFailed, 0, e.text)
	case evUnsent:
		if s.phase == phaseSend && s.inflight {
			s.attempts--
			s.inflight = false
		}
		return s, append(out, effect{do: doRecord, status: StatusRunning}, effect{do: doAgain})
	case evTurn:
		return ru.turn(s, e, out)
	}
	switch s.phase {
	case phaseResolve:
		return ru.judged(s, e, out)
	case phaseServiceCheck, phaseReadBack:
		return ru.verified(s, e, out)
	}
	return ru.sent(s, e, out)
}

// turn decides what the job puts in a document.
func (ru rules) turn(s jobState, e event, out []effect) (jobState, []effect) {
	switch s.phase {
	case phaseSend:
		if ru.resolveOnly {
			return s, append(out, effect{do: doRest})
		}
		s.attempts++
		s.inflight = true
		return s, append(out, effect{do: doSend})
	case phaseResolve:
		switch e.read {
		case readNever:
			if !s.inflight {
				// Reconciling: what cannot be read is not sent twice.
				return s, finish(out, StatusFailed, 0, "whether "+e.cmd+
					" was applied cannot be read from the server: check the server, then send it by hand")
			}
			return s, finish(out, StatusFailed, 0, "outcome of "+e.cmd+
				" unknown and it cannot be verified by reading: check the server, then retry")
		case readNone:
			s.inflight, s.phase = false, phaseSend
			return s, ru.onward(out, effect{do: doRecord, status: StatusRunning})
		}
	}
	return s, append(out, effect{do: doRead})
}

// sent decides on the answer to cmds[step].
func (ru rules) sent(s jobState, e event, out []effect) (jobState, []effect) {
	code := errorCode(e.err)
	if e.err == nil {
		out = append(out, effect{do: doAudit, outcome: OutcomeSuccess})
		if e.service && ru.readBack {
			// Accepted, perhaps in part (a Warning): read what the user has
			// before moving on. Still in flight until then.
			s.phase, s.warning = phaseServiceCheck, e.warning
			return s, append(out, effect{do: doRecord, status: StatusRunning}, effect{do: doAgain})
		}
		return ru.advance(s, out)
	}
	act, delay := ru.policy.next(e.err, s.attempts)
	switch act {
	case actResolve:
		s.phase = phaseResolve
		return s, append(out, effect{do: doAudit, outcome: OutcomeUnknown},
			effect{do: doRecord, status: StatusRunning}, effect{do: doAgain})
	case actRetry:
		s.inflight = false
		return s, append(out, effect{do: doAudit, outcome: OutcomeError},
			effect{do: doRecord, status: StatusRunning, code: code, text: e.text, delay: delay},
			effect{do: doAgain, delay: delay})
	}
	s.inflight = false
	out = append(out, effect{do: doAudit, outcome: OutcomeError})
	if s.step == s.userAdd && !ru.resolveOnly && !ru.stage {
		// The user cannot be added: the device added for it would be
		// left behind.
		out = append(out, effect{do: doOrphan})
	}
	return s, finish(out, StatusFailed, code, e.text)
}

// judged decides on the verdict of a resolution read.
func (ru rules) judged(s jobState, e event, out []effect) (jobState, []effect) {
	switch e.verdict {
	case applied:
		return ru.advance(s, append(out, effect{do: doAudit, outcome: OutcomeApplied}))
	case notApplied:
		out = append(out, effect{do: doAudit, outcome: OutcomeNotApplied})
		s.inflight, s.phase = false, phaseSend
		if s.attempts >= ru.policy.maxAttempts {
			return s, finish(out, StatusFailed, 0, "not applied after "+itoa(s.attempts)+" attempts: "+e.msg)
		}
		return s, ru.onward(out, effect{do: doRecord, status: StatusRunning})
	}
	out = append(out, effect{do: doAudit, outcome: OutcomeError})
	if unknownCommand(e.err) {
		return ru.park(s, out, errorCode(e.err), "whether "+e.cmd+" was applied cannot be read: "+e.text, true)
	}
	s.reads++
	if s.reads < ru.policy.maxAttempts && e.err != nil {
		return s, append(out, effect{do: doAgain, delay: ru.policy.backoff(s.reads)})
	}
	return ru.park(s, out, errorCode(e.err), "whether "+e.cmd+" was applied could not be read yet: "+e.msg, false)
}

// verified decides on the answer to a read-back or a service check.
func (ru rules) verified(s jobState, e event, out []effect) (jobState, []effect) {
	audit := effect{do: doAudit, outcome: OutcomeSuccess}
	if e.err != nil {
		audit.outcome = OutcomeError
	}
	out = append(out, audit)
	switch {
	case e.ok && s.phase == phaseServiceCheck:
		s.warning = ""
		return ru.advance(s, out)
	case e.ok:
		return s, finish(out, StatusCompleted, 0, "")
	case e.final:
		return s, finish(out, StatusFailed, errorCode(e.err), e.msg)
	case unknownCommand(e.err):
		return ru.park(s, out, errorCode(e.err), "the user cannot be read back: "+e.text, true)
	}
	s.reads++
	if act, _ := ru.policy.next(e.err, s.reads); act != actFail {
		return s, append(out, effect{do: doAgain, delay: ru.policy.backoff(s.reads)})
	}
	return ru.park(s, out, errorCode(e.err), "the user could not be read back yet: "+e.text, false)
}

// advance moves the job past cmds[step], which is applied.
func (ru rules) advance(s jobState, out []effect) (jobState, []effect) {
	s.step++
	s.inflight, s.attempts = false, 0
	switch {
	case s.step < s.n:
		s.phase = phaseSend
		if s.reconcile {
			s.phase = phaseResolve
		}
		if ru.resolveOnly {
			return s, append(out, effect{do: doRecord, status: StatusRunning}, effect{do: doRest})
		}
		return s, append(out, effect{do: doRecord, status: StatusRunning},
			effect{do: doPublish, status: StatusRunning}, effect{do: doAgain})
	case s.userAdd >= 0 && ru.readBack && !ru.resolveOnly:
		s.phase = phaseReadBack
		return s, append(out, effect{do: doRecord, status: StatusRunning}, effect{do: doAgain})
	}
	return s, finish(out, StatusCompleted, 0, "")
}

// onward goes on with a job whose state was stored by rec: at once, or,
// in a task that only settles what is in flight, in a later run.
func (ru rules) onward(out []effect, rec effect) []effect {
	if ru.resolveOnly {
		return append(out, rec, effect{do: doRest})
	}
	return append(out, rec, effect{do: doAgain})
}

// park sets aside a job whose outcome could not be read: it is neither
// completed nor failed until a read of the server says which. A stage
// cannot wait so: it fails. attention: reading again cannot help.
func (ru rules) park(s jobState, out []effect, code int, msg string, attention bool) (jobState, []effect) {
	if ru.stage {
		return s, finish(out, StatusFailed, code, msg)
	}
	s.reads = 0
	msg = "to be checked: " + msg
	out = append(out,
		effect{do: doRecord, status: StatusPending, code: code, text: msg, unverified: true},
		effect{do: doPublish, status: StatusChecking, text: msg},
		effect{do: doPark})
	if attention {
		out = append(out, effect{do: doAttention})
	}
	return s, append(out, effect{do: doRest})
}

// finish ends the job's run with a final status.
func finish(out []effect, status string, code int, msg string) []effect {
	return append(out, effect{do: doRecord, status: status, code: code, text: msg},
		effect{do: doPublish, status: status, text: msg}, effect{do: doRest})
}

// state is the engine's view of j.
func (j *runJob) state() jobState {
	return jobState{phase: j.phase, step: j.step, n: j.n(), inflight: j.inflight, attempts: j.attempts,
		reads: j.reads, reconcile: j.reconcile, userAdd: j.userAddIdx, warning: j.warning}
}

// setState takes the engine's next state.
func (j *runJob) setState(s jobState) {
	j.phase, j.step, j.inflight, j.attempts, j.reads, j.warning = s.phase, s.step, s.inflight, s.attempts, s.reads, s.warning
}

// Removing the device of a refused user (doOrphan) is decided here too,
// as a small job of its own: read who uses the device; delete it when no
// one does; when the delete's answer is lost (or the server says try
// later), read again, since the device's absence says the delete took. A
// round is a read and perhaps a delete; there are policy.maxAttempts
// rounds at most, each after the first behind a backoff.

// orphanPhase is what was sent of a device's removal.
type orphanPhase int

const (
	orphanRead   orphanPhase = iota // the device's users (GroupAccessDeviceGetUserListRequest21sp1)
	orphanDelete                    // the device's delete (GroupAccessDeviceDeleteRequest)
)

// orphanState is where a device's removal stands.
type orphanState struct {
	phase orphanPhase
	round int // 1 the first
}

// orphanEvent is the answer to what the state's phase sent: its error
// (nil: a response) and err's masked text; a read's users.
type orphanEvent struct {
	err   error
	text  string
	users []string
}

// orphanEnd is what became of the device.
type orphanEnd int

const (
	orphanGoing   orphanEnd = iota // not yet known: send the state's phase
	orphanRemoved                  // the job removed it
	orphanAbsent                   // it was gone before the job's delete
	orphanLeft                     // it stays on the server, for the reason why
)

// orphanStep is what the driver does after an answer: audit it with
// outcome, then end, or send the next state's phase after delay (when the
// wait is cut short the device is left, for the reason stopped).
type orphanStep struct {
	outcome string
	end     orphanEnd
	why     string
	delay   time.Duration
	stopped string
}

// orphan decides on the answer e to what s sent.
func (ru rules) orphan(s orphanState, e orphanEvent) (orphanState, orphanStep) {
	gone := broadworks.IsErrorCode(e.err, codeDeviceNotFound)
	transient := broadworks.Temporary(e.err) || broadworks.SafeToRetry(e.err)
	if s.phase == orphanRead {
		switch {
		case gone && s.round == 1:
			return s, orphanStep{outcome: OutcomeSuccess, end: orphanAbsent}
		case gone:
			return s, orphanStep{outcome: OutcomeSuccess, end: orphanRemoved}
		case e.err != nil && transient && s.round < ru.policy.maxAttempts:
			s.round++
			return s, orphanStep{outcome: OutcomeError, delay: ru.policy.backoff(s.round - 1),
				stopped: "bwbulk was stopped before it could remove it"}
		case e.err != nil:
			return s, orphanStep{outcome: OutcomeError, end: orphanLeft, why: "its users could not be read: " + e.text}
		case len(e.users) > 0:
			return s, orphanStep{outcome: OutcomeSuccess, end: orphanLeft, why: "used by " + strings.Join(e.users, ", ")}
		}
		s.phase = orphanDelete
		return s, orphanStep{outcome: OutcomeSuccess}
	}
	switch {
	case e.err == nil:
		return s, orphanStep{outcome: OutcomeSuccess, end: orphanRemoved}
	case gone:
		return s, orphanStep{outcome: OutcomeNotApplied, end: orphanRemoved}
	case broadworks.OutcomeUnknown(e.err) || transient:
		if s.round >= ru.policy.maxAttempts {
			return s, orphanStep{outcome: OutcomeUnknown, end: orphanLeft, why: "the delete got no answer"}
		}
		s.phase, s.round = orphanRead, s.round+1
		return s, orphanStep{outcome: OutcomeUnknown, delay: ru.policy.backoff(s.round - 1), stopped: "the delete got no answer"}
	}
	return s, orphanStep{outcome: OutcomeError, end: orphanLeft, why: "the server refused to delete it: " + e.text}
}
