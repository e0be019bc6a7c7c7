package oci

import (
	_ "embed"
	"strings"
)

// userservices.txt is the schema's UserService enumeration, as the
// simulator's copy (../ocisim/userservices.txt; a test keeps them equal).
//
//go:embed userservices.txt
var userServicesText string

var userServiceNames, userServiceSet = func() ([]string, map[string]bool) {
	var names []string
	set := map[string]bool{}
	for _, l := range strings.Split(userServicesText, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			names = append(names, l)
			set[l] = true
		}
	}
	return names, set
}()

// UserServices returns the user service names of the R25 schema's
// UserService type, in the schema's order. UserServiceAssignListRequest
// accepts no other serviceName.
func UserServices() []string { return append([]string(nil), userServiceNames...) }

// IsUserService reports whether name is one of UserServices (exactly).
func IsUserService(name string) bool { return userServiceSet[name] }
