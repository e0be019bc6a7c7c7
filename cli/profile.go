package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"golang.org/x/term"

	"bwbulk/broadworks/ocisim"
	"bwbulk/jobs"
)

func runProfile(ctx context.Context, e *Env, args []string) int {
	return subcommand(ctx, e, args, profileUsage, map[string]func(context.Context, *Env, []string) int{
		"add": profileAdd, "list": profileList, "remove": profileRemove,
	})
}

// subcommand runs the subcommand args[0] names with the rest of args;
// help prints usage on standard output, anything else on standard error
// with the usage exit status.
func subcommand(ctx context.Context, e *Env, args []string, usage string, cmds map[string]func(context.Context, *Env, []string) int) int {
	sub := ""
	if len(args) > 0 {
		sub, args = args[0], args[1:]
	}
	if run, ok := cmds[sub]; ok {
		return run(ctx, e, args)
	}
	switch sub {
	case "-h", "-help", "--help", "help":
		fmt.Fprint(e.Stdout, usage)
		return ExitOK
	}
	fmt.Fprint(e.Stderr, usage)
	return ExitUsage
}

const profileUsage = `Usage: bwbulk profile add|list|remove ...

  bwbulk profile add NAME --address HOST:PORT --admin USER [flags]
  bwbulk profile list [--json]
  bwbulk profile remove NAME

Profiles are the window's server profiles (Connections). The password is
read from the terminal without echo, or from standard input, and is kept
in the OS keyring only. bwbulk profile COMMAND --help for each.
`

func profileAdd(ctx context.Context, e *Env, args []string) int {
	f := newFlags(e, "profile add", "NAME --address HOST:PORT --admin USER [flags]", `
Saves a server profile and its administrator's password. The password is
read from the terminal without echo or, when standard input is not a
terminal, from its first line; it is kept in the OS keyring only. The
login is tried first unless --no-check.`)
	addr := f.String("address", "", "the server's OCI-P address `HOST:PORT` (or SOAP URL with --transport soap)")
	admin := f.String("admin", "", "administrator user `ID`")
	transport := f.String("transport", "tcp", "tcp, tls or soap")
	insecure := f.Bool("insecure", false, "do not verify the server's TLS certificate (unsafe)")
	pin := f.String("ca-pin", "", "trust only the server certificate of this `SHA256` fingerprint (hex, colons optional), as a refusal shows it")
	noCheck := f.Bool("no-check", false, "save without trying the login")
	replace := f.Bool("replace", false, "replace a profile of the same name")
	if code, ok := f.parse(args, 1); !ok {
		return code
	}
	name := f.Arg(0)
	if isDemoName(name) {
		return f.fail(ExitUsage, "%q names the built-in demo server: choose another name", name)
	}
	if *addr == "" || *admin == "" {
		return f.fail(ExitUsage, "--address and --admin are required")
	}
	switch *transport {
	case "tcp", "tls", "soap":
	default:
		return f.fail(ExitUsage, "--transport must be tcp, tls or soap, not %q", *transport)
	}
	st, err := f.openStore(ctx)
	if err != nil {
		return f.fail(ExitUsage, "%v", err)
	}
	defer st.Close()
	p := jobs.Profile{Name: name, Address: *addr, Transport: *transport, AdminUser: *admin, Insecure: *insecure, CAPin: *pin}
	if old, err := profileNamed(ctx, st, name); err == nil {
		if !*replace {
			return f.fail(ExitUsage, "a profile named %q exists (--replace to replace it)", name)
		}
		p.ID = old.ID
	}
	pw, err := readPassword(e, fmt.Sprintf("Password of %s on %s: ", *admin, *addr))
	if err != nil {
		return f.fail(ExitUsage, "%v", err)
	}
	if pw == "" {
		return f.fail(ExitUsage, "no password given")
	}
	if !*noCheck {
		c, info, err := jobs.DialProfile(ctx, p, pw)
		if err != nil {
			return f.fail(ExitUsage, "login failed (nothing saved; --no-check saves anyway): %v", explain(err, name, true))
		}
		c.Close()
		fmt.Fprintf(e.Stderr, "Logged in: %s\n", describeLogin(info.LoginType, info.Release))
	}
	id, err := st.SaveProfile(ctx, p)
	if err != nil {
		return f.fail(ExitUsage, "%v", err)
	}
	err = st.SetAdminPassword(id, pw)
	if err == nil {
		err = f.savedInKeyring()
	}
	if err != nil {
		if p.ID == 0 {
			_ = st.DeleteProfile(ctx, id) // no profile without its password
		}
		return f.fail(ExitUsage, "%v", err)
	}
	fmt.Fprintf(e.Stdout, "profile %q saved\n", name)
	return ExitOK
}

func describeLogin(loginType, release string) string {
	if release == "" {
		release = "unknown"
	}
	return loginType + " administrator · release " + release
}

// profileJSON is the stable --json form of a profile (never a password).
type profileJSON struct {
	Name        string `json:"name"`
	Address     string `json:"address"`
	Transport   string `json:"transport"`
	Admin       string `json:"admin"`
	Insecure    bool   `json:"insecure"`
	CAPin       string `json:"caPin,omitempty"`
	HasPassword bool   `json:"hasPassword"`
	BuiltIn     bool   `json:"builtIn,omitempty"` // the demo server, started by the command that needs it
	Default     bool   `json:"default,omitempty"` // used when --profile is not given
	// Learned is what the server taught by refusing command versions: the
	// version it takes, by command family.
	Learned map[string]string `json:"learned,omitempty"`
}

// demoAddress is how a list shows the demo server's address: each
// process gives it one of its own.
const demoAddress = "built-in (this data folder's demo-state.json)"

func profileList(ctx context.Context, e *Env, args []string) int {
	f := newFlags(e, "profile list", "[--json]", `
Lists the server profiles and whether a password is in the keyring. The
built-in demo server is listed too, as demo: commands use it while you
have no profile of your own (or with --profile demo).`)
	asJSON := f.Bool("json", false, "print JSON")
	if code, ok := f.parse(args, 0); !ok {
		return code
	}
	st, err := f.openStore(ctx)
	if err != nil {
		return f.fail(ExitUsage, "%v", err)
	}
	defer st.Close()
	ps, err := ownProfiles(ctx, st)
	if err != nil {
		return f.fail(ExitUsage, "%v", err)
	}
	out := make([]profileJSON, len(ps), len(ps)+1)
	for i, p := range ps {
		_, perr := st.AdminPassword(p.ID)
		out[i] = profileJSON{Name: p.Name, Address: p.Address, Transport: p.Transport, Admin: p.AdminUser,
			Insecure: p.Insecure, CAPin: p.CAPin, HasPassword: perr == nil, Default: len(ps) == 1, Learned: p.LearnedCommands()}
	}
	out = append(out, profileJSON{Name: DemoProfile, Address: demoAddress, Transport: "tcp", Admin: ocisim.DefaultAdmin,
		HasPassword: true, BuiltIn: true, Default: len(ps) == 0})
	if *asJSON {
		if err := writeJSON(e.Stdout, out); err != nil {
			return f.fail(ExitUsage, "%v", err)
		}
		return ExitOK
	}
	tw := tabwriter.NewWriter(e.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tADDRESS\tTRANSPORT\tADMIN\tPASSWORD")
	for _, p := range out {
		pw := "in keyring"
		switch {
		case p.BuiltIn:
			pw = "built-in"
		case !p.HasPassword:
			pw = "missing"
		}
		name := p.Name
		if p.Default {
			name += " (default)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", name, p.Address, p.Transport, p.Admin, pw)
	}
	tw.Flush()
	for _, p := range out {
		if l := jobs.DescribeLearned(p.Learned); l != "" {
			fmt.Fprintf(e.Stdout, "%s: commands learned from the server (it refused newer versions): %s\n", p.Name, l)
		}
	}
	return ExitOK
}

func profileRemove(ctx context.Context, e *Env, args []string) int {
	f := newFlags(e, "profile remove", "NAME", "Removes a server profile and its password from the keyring. Its tasks stay.")
	if code, ok := f.parse(args, 1); !ok {
		return code
	}
	st, err := f.openStore(ctx)
	if err != nil {
		return f.fail(ExitUsage, "%v", err)
	}
	defer st.Close()
	if isDemoName(f.Arg(0)) {
		return f.fail(ExitUsage, "the built-in demo server cannot be removed; it is used only while you have no profile of your own")
	}
	p, err := profileNamed(ctx, st, f.Arg(0))
	if err != nil {
		return f.fail(ExitUsage, "%v", err)
	}
	if err := st.DeleteProfile(ctx, p.ID); err != nil {
		return f.fail(ExitUsage, "%v", err)
	}
	fmt.Fprintf(e.Stdout, "profile %q removed\n", p.Name)
	return ExitOK
}

// profileNamed finds a profile by name; with name "" the only profile.
func profileNamed(ctx context.Context, st *jobs.Store, name string) (jobs.Profile, error) {
	ps, err := st.Profiles(ctx)
	if err != nil {
		return jobs.Profile{}, err
	}
	var names []string
	for _, p := range ps {
		if p.Name == name || (name == "" && len(ps) == 1) {
			return p, nil
		}
		names = append(names, fmt.Sprintf("%q", p.Name))
	}
	if len(ps) == 0 {
		return jobs.Profile{}, errors.New("no server profile yet: add one with `bwbulk profile add`")
	}
	if name == "" {
		return jobs.Profile{}, fmt.Errorf("name a profile with --profile: %s", strings.Join(names, ", "))
	}
	return jobs.Profile{}, fmt.Errorf("no profile named %q (there are %s)", name, strings.Join(names, ", "))
}

// readPassword reads a password from the terminal without echo (prompt
// on stderr) or, when stdin is not a terminal, its first line.
func readPassword(e *Env, prompt string) (string, error) {
	if f, ok := e.Stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(e.Stderr, prompt)
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(e.Stderr)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		return string(b), nil
	}
	if e.Stdin == nil {
		return "", errors.New("no password: standard input is closed")
	}
	line, err := bufio.NewReader(e.Stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}
