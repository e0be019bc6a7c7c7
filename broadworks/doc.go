// Package broadworks is a client for Cisco BroadWorks OCI-P (Open Client
// Interface – Provisioning): XML documents over TCP (port 2208), TLS (port
// 2209) or SOAP over HTTP(S).
//
// Dial connects, Login authenticates (LoginRequest22V5 over TLS and HTTPS,
// the AuthenticationRequest nonce flow with LoginRequest14sp4 otherwise or
// when the server is older), and Do and Batch send the request types of
// package oci. Batch puts up to 15 commands in one document and returns
// one Result per command, so one refusal never hides the others'
// successes.
//
// A Client carries one OCI-P session and keeps one document in flight; it
// is safe for concurrent use. A Pool holds several sessions for parallel
// work. When a session is lost a Dial-made client redials and logs in
// again by itself. It re-sends a read-only request (Get, List) once, but
// never a request that changes state whose document left the client: that
// one fails with ErrOutcomeUnknown so the caller can check before acting
// again.
//
// Errors are typed: the server's refusal is an *oci.ErrorResponse; the
// client adds *ProtocolError, *DialError and the sentinels ErrNotLoggedIn,
// ErrClosed, ErrOutcomeUnknown and ErrSessionLost. Decide retries with
// SafeToRetry, OutcomeUnknown, Temporary and IsErrorCode, never by
// matching strings. Cancelling the context interrupts the I/O at once and
// the error wraps ctx.Err().
//
// Passwords, signed passwords and passcodes never appear in error strings,
// and Options.DebugWriter receives the wire documents with them masked.
package broadworks
