package ocisim_test

import (
	"path/filepath"
	"regexp"
	"testing"

	"bwbulk/broadworks/ocisim"
	"bwbulk/internal/golden"
)

// secretElements are masked before comparing, so no password (even a
// generated one) lands in a golden file.
var secretElements = regexp.MustCompile(`<((?:user|userSIPAuthentication|groupAdministrator)?[pP]ass(?:word|code))>[^<]*</`)

// The exact bytes the server writes for a set of requests, against the demo
// dataset with a fixed seed (nonces and generated passwords included).
// Regenerate with: go test ./broadworks/ocisim -run TestGolden -update
func TestGolden_responses(t *testing.T) {
	s := startDemo(t, &ocisim.Options{Seed: 1})
	c := dialRaw(t, s.Addr().String())
	c.sid = "golden-session"
	g := el("serviceProviderId", "acme-ent") + el("groupId", "acme-branch")
	steps := []struct {
		name string
		cmds []string
	}{
		{"AuthenticationResponse", []string{cmd("AuthenticationRequest", el("userId", "admin"))}},
		{"LoginResponse22V5", []string{cmd("LoginRequest22V5", el("userId", "admin")+el("password", "welcome1"))}},
		{"GroupGetResponse22V5", []string{cmd("GroupGetRequest22V5", g)}},
		{"GroupPasswordRulesGetResponseRI", []string{cmd("GroupPasswordRulesGetRequestRI", g)}},
		{"PasswordGenerateResponse", []string{cmd("PasswordGenerateRequest", "<userPassword>"+g+"</userPassword>")}},
		{"GroupAccessDeviceGetListResponse", []string{cmd("GroupAccessDeviceGetListRequest", g+el("responseSizeLimit", "3"))}},
		{"UserGetResponse23V2", []string{cmd("UserGetRequest23V2", el("userId", "branch.user20@acme.example.com"))}},
		{"UserGetListInGroupResponse", []string{cmd("UserGetListInGroupRequest", el("serviceProviderId", "acme-ent")+el("GroupId", "acme-branch")+el("responseSizeLimit", "2"))}},
		{"MixedResults", []string{
			`<command echo="one" xsi:type="VerifySessionIsValidRequest" xmlns=""/>`,
			userAdd("acme-ent", "acme-branch", "golden@acme.example.com", el("extension", "299")),
			userAdd("acme-ent", "acme-branch", "golden@acme.example.com", ""),
			userAdd("acme-ent", "acme-branch", "golden2@acme.example.com", el("extension", "29")),
			cmd("NoSuchRequest", ""),
		}},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			c.send(st.cmds...)
			got := secretElements.ReplaceAll(c.last, []byte("<$1>***</"))
			golden.Check(t, filepath.Join("testdata", "golden", st.name+".xml"), got)
		})
	}
}
