package ui

import (
	"context"
	"errors"
	"io"
	"net"
	"sort"
	"strings"
	"syscall"

	"bwbulk/broadworks"
	"bwbulk/broadworks/oci"
	"bwbulk/wizard"
)

// fieldLabels are the labels the wizard's forms give their fields
// (fieldSet.row records them), so messages name fields as the screen
// does: "MAC address", never "device.macAddress". UI goroutine only.
var fieldLabels = map[wizard.Field]string{wizard.FieldRows: "Preview"}

// peopleText is err as a sentence for people: field errors and problems
// name fields and columns by their labels and headers, without the
// package prefix.
func peopleText(err error) string {
	var fe wizard.FieldErrors
	if errors.As(err, &fe) {
		var parts []string
		for f, msg := range fe {
			label := fieldLabels[f]
			if label == "" {
				label = fieldFallback(f)
			}
			parts = append(parts, label+": "+msg)
		}
		sort.Strings(parts)
		return strings.Join(parts, "\n")
	}
	var p wizard.Problem
	if errors.As(err, &p) {
		return problemLine(p.Row, p.Column, p.Msg)
	}
	return errorWords(err)
}

// fieldFallback makes a label of a field never laid out ("userId.template"
// reads "User ID template").
func fieldFallback(f wizard.Field) string {
	step, name, _ := strings.Cut(string(f), ".")
	if c, ok := wizard.ParseColumn(step); ok {
		step = c.Title()
	}
	if c, ok := wizard.ParseColumn(name); ok {
		name = c.Title()
	}
	return strings.TrimSpace(step + " " + name)
}

// errorWords says what happened and what to do, for any error the window
// shows: a server that cannot be reached, does not answer, answers in
// another protocol or refuses; never the raw Go error ("broadworks: dial
// tcp …: connect: connection refused"). Every screen, dialog and the
// status bar say errors through it (peopleText, shortErr).
func errorWords(err error) string {
	if err == nil {
		return ""
	}
	var (
		ce  *broadworks.CertificateError
		wp  *broadworks.WrongProtocolError
		dns *net.DNSError
		op  *net.OpError
	)
	switch {
	case errors.As(err, &ce):
		return "The server's certificate is not trusted. Open Connections to see who issued it and trust it, once its administrator confirms the fingerprint."
	case errors.As(err, &wp):
		return sentence(strings.TrimPrefix(wp.Error(), "broadworks: ")) + ". Check the port in Connections (OCI-P is usually 2208 over TCP, 2209 over TLS)."
	case broadworks.IsErrorCode(err, 4962):
		return "The server refused the login (" + serverWords(err) + "). Check the administrator and the password in Connections."
	case broadworks.IsErrorCode(err, 5200, 5201):
		return "The server is busy (" + serverWords(err) + "). Try again in a moment."
	case broadworks.IsErrorCode(err):
		return "The server refused it: " + serverWords(err) + "."
	case errors.Is(err, context.Canceled):
		return "Stopped before it was done."
	case errors.Is(err, errOffline):
		return "The server is not reachable now (the status bar says why). Nothing was sent."
	case errors.As(err, &dns):
		return "The server's name " + dns.Name + " is not known. Check the address in Connections, or the network's DNS."
	case errors.Is(err, syscall.ECONNREFUSED):
		return "The server's computer refused the connection: nothing listens on that port, or a firewall says no. Check the address and port in Connections, and that the server runs."
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return "The network has no route to the server. Check the network (a VPN?) and the address in Connections."
	case errors.Is(err, broadworks.ErrNotLoggedIn), errors.Is(err, broadworks.ErrSessionLost), errors.Is(err, broadworks.ErrClosed):
		return "The connection to the server was lost. bwbulk connects again by itself; try again in a moment."
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return "The connection was cut. bwbulk connects again by itself; try again in a moment."
	case errors.Is(err, context.DeadlineExceeded), broadworks.OutcomeUnknown(err), errors.As(err, &op) && op.Timeout():
		return "The server did not answer in time. bwbulk keeps checking and goes on by itself once it answers."
	case errors.As(err, &op):
		return "The server could not be reached (" + op.Op + " failed). Check the network and the address in Connections."
	}
	s := err.Error()
	for _, p := range []string{"broadworks: ", "jobs: ", "wizard: ", "ui: "} {
		s = strings.ReplaceAll(s, p, "")
	}
	return s
}

// errOffline is the error of a look-up not tried because the window
// knows the server is not reachable.
var errOffline = errors.New("the server is not reachable")

// serverWords is the server's own text of a refusal, without the package
// prefix.
func serverWords(err error) string {
	var er *oci.ErrorResponse
	if errors.As(err, &er) {
		return strings.TrimSuffix(er.Summary, ".")
	}
	return strings.TrimSuffix(strings.TrimPrefix(err.Error(), "broadworks: "), ".")
}
