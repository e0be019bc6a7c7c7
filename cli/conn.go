package cli

import (
	"errors"
	"fmt"

	"bwbulk/broadworks"
	"bwbulk/desk"
	"bwbulk/jobs"
)

// session is the command's connection to target t's server: the window's
// desk.Session, its notices (a busy server's "reading again in 1s") said
// on standard error. The runner of --wait shares its pool of sessions.
func (f *flags) session(st *jobs.Store, t *target) *desk.Session {
	s := desk.NewSession(st, nil)
	s.UseWith(t.p, t.pw)
	s.SetNotice(func(msg string) { fmt.Fprintf(f.e.Stderr, "%s: %s\n", f.Name(), msg) })
	return s
}

// explain adds to an error of connecting to profile's server what to do
// about it from the command line: for a certificate that is not trusted,
// the --ca-pin that trusts it (once its administrator confirms the
// fingerprint). With adding (profile add) it says to add --ca-pin to the
// command being typed, else to save the profile again with it.
func explain(err error, profile string, adding bool) error {
	var ce *broadworks.CertificateError
	if !errors.As(err, &ce) {
		return err
	}
	todo := fmt.Sprintf("save the profile again with it: bwbulk profile add %s --replace --ca-pin %s (and its --address, --admin, --transport tls)", profile, ce.SHA256)
	if adding {
		todo = "add --ca-pin " + ce.SHA256 + " to this command"
	}
	if ce.Changed {
		return fmt.Errorf("%w.\nThe certificate pinned for this server has changed. Only if the server's administrator confirms the new fingerprint, %s", err, todo)
	}
	return fmt.Errorf("%w.\nIf the server's administrator confirms this fingerprint, %s", err, todo)
}
