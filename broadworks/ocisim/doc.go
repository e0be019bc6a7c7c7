// Package ocisim is a stateful BroadWorks OCI-P server (simulator).
package ocisim
