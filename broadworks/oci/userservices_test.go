package oci_test

import (
	"os"
	"slices"
	"strings"
	"testing"

	"bwbulk/broadworks/oci"
)

// TestUserServices_sameAsSimulator: the client's list and the simulator's
// are the same schema list.
func TestUserServices_sameAsSimulator(t *testing.T) {
	b, err := os.ReadFile("../ocisim/userservices.txt")
	if err != nil {
		t.Fatal(err)
	}
	var sim []string
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			sim = append(sim, l)
		}
	}
	if got := oci.UserServices(); !slices.Equal(got, sim) {
		t.Fatalf("oci has %d names, the simulator %d", len(got), len(sim))
	}
	if !oci.IsUserService("Voice Messaging User") || oci.IsUserService("voice messaging user") || oci.IsUserService("Teleportation") {
		t.Fatal("IsUserService")
	}
}
