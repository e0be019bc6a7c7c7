package ocisim

import (
	"crypto/tls"
	"io"
	"time"
)

// Default credentials of the system administrator every server starts with.
const (
	DefaultAdmin    = "admin"
	DefaultPassword = "welcome1"
)

// DefaultMaxDocumentSize bounds one request document (bytes).
const DefaultMaxDocumentSize = 4 << 20

// Options configure a Server. A nil *Options is the zero value: no faults,
// plain TCP, no state file, no log, admin/welcome1.
type Options struct {
	// Seed makes the random faults (DropRate, TransientRate) and nonces
	// deterministic. 0 is a valid seed.
	Seed int64
	// Latency is added before each response document. Default 0.
	Latency time.Duration
	// DropEvery closes the connection instead of answering every Nth
	// document (counted over the whole server, starting at 1). The commands
	// of a dropped document are executed first, so the client cannot know
	// their outcome. 0 disables.
	DropEvery int
	// DropRate is the probability (0..1) that a document is executed and
	// then answered by closing the connection. Default 0.
	DropRate float64
	// TransientRate is the probability (0..1) that a command (other than a
	// login command) is refused with the temporary error
	// "[Error 5200] System busy, try again later" and not executed.
	TransientRate float64
	// LoginDelay delays the answer to AuthenticationRequest and
	// LoginRequest* commands. Default 0.
	LoginDelay time.Duration
	// LoginFail makes every login fail with the temporary
	// "[Error 5201] Login service temporarily unavailable, try again later".
	LoginFail bool
	// IdleTimeout closes a connection that sends nothing for this long
	// (the session expires with it). 0 disables.
	IdleTimeout time.Duration
	// StallAfter makes the server stop answering after N documents: the
	// (N+1)th response is cut after its first half and the connection then
	// stays open and silent until the server closes. 0 disables.
	StallAfter int
	// TLS serves OCI-P over TLS. Without TLSConfig a self-signed
	// certificate for 127.0.0.1, ::1 and localhost is generated at start.
	TLS bool
	// TLSConfig is the server TLS configuration (implies TLS).
	TLSConfig *tls.Config
	// CertFile, with TLS and no TLSConfig, keeps the generated certificate
	// and its key in this PEM file (mode 0600) and loads them from it at
	// the next start, so a client that pinned the certificate still trusts
	// the server after a restart. A file that does not load, or whose
	// certificate expires within a day, is replaced. Default: a new
	// certificate at every start.
	CertFile string
	// StateFile, when set, is loaded at start if it exists (instead of the
	// dataset). Every change is appended to a journal beside it
	// (StateFile + ".log") before the change is confirmed, so a crash loses
	// nothing the server answered; the journal is folded into the file as
	// it grows and at Close.
	StateFile string
	// SyncState flushes the journal to the disk (fsync) after every change,
	// so that not even a power cut loses a confirmed change. Default off: a
	// crash of the process loses nothing without it.
	SyncState bool
	// Log receives one line per connection event and command outcome. No
	// password, signed password or passcode is ever written. Default: none.
	Log io.Writer
	// Admin and Password set the system administrator's credentials.
	// Defaults DefaultAdmin and DefaultPassword.
	Admin, Password string
	// MaxDocumentSize bounds one request document in bytes. Default
	// DefaultMaxDocumentSize.
	MaxDocumentSize int
	// Release is the BroadWorks release the server emulates, as
	// SystemSoftwareVersionGetResponse reports it ("22.0", "21sp1"): it
	// accepts the command versions that release's schema set has (package
	// ocirelease) and refuses the others with [Error 6004]. Default
	// DefaultRelease ("25"); an unreadable value is R25.
	Release string
	// Refuse lists command versions the server refuses as unknown although
	// its release has them: a server whose patch level lacks a version
	// (clients must step down to an older one).
	Refuse []string
	// SOAPFaults makes the SOAP endpoint refuse a document holding a
	// command the server does not know (one its release lacks, or one of
	// Refuse) with a SOAP Fault naming the type ("cvc-elt.4.2: Cannot
	// resolve 'X' to a type definition for element 'command'"), as a web
	// server validating the document before passing it on does, instead
	// of an [Error 6004] ErrorResponse. Nothing in that document is
	// executed.
	SOAPFaults bool
	// OmitErrorCode leaves errorCode out of every ErrorResponse, as
	// captured real replies do: the code is then only in the summary
	// ("[Error 4008] User not found: ...").
	OmitErrorCode bool
	// Intercept, when set, is called before each valid command (logins
	// included) with its xsi:type and how many commands of that type the
	// server has received so far, this one included (1 for the first). A
	// non-nil *Fault changes what happens to that command. It is called
	// from connection goroutines and must be safe for concurrent use.
	Intercept func(command string, n int) *Fault
	// Scenario is the training scenario played from the start (one of
	// Scenarios' names; "" none, an unknown name none too: RunCLI checks
	// it). Server.SetScenario changes it while the server runs.
	Scenario string
}

// Fault is what Options.Intercept asks the server to do with one command.
type Fault struct {
	// Delay is waited before the command is handled.
	Delay time.Duration
	// Code, when not 0, refuses the command with "[Error Code] Message"
	// without executing it; Warning makes it a Warning ErrorResponse.
	Code    int
	Message string
	Warning bool
	// Drop closes the connection instead of answering the document, after
	// executing the document's other commands (this one is not executed).
	Drop bool
}
