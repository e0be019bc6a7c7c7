package ocisim_test

import (
	"testing"

	"bwbulk/broadworks/ocisim"
)

// The worked example of the protocol notes (§3.2).
func TestSignedPassword_workedExample(t *testing.T) {
	if got := sha1hex("Secret#1"); got != "c6e143cad4b8e23cd44928b174786b422ede83b3" {
		t.Fatalf("sha1 = %s", got)
	}
	if got := signed("1700000000000", "Secret#1"); got != "a7b69bdc8939178e9404e00fc2f51bf9" {
		t.Fatalf("signedPassword = %s", got)
	}
}

func TestLogin_nonce(t *testing.T) {
	s := startDemo(t, nil)
	c := dialRaw(t, s.Addr().String())
	r := c.loginNonce(ocisim.DefaultAdmin, ocisim.DefaultPassword)
	wantOK(t, r)
	if r.XSIType != "LoginResponse14sp4" || r.field("loginType") != "System" || r.field("encoding") != "ISO-8859-1" {
		t.Fatalf("login response %s: %s", r.XSIType, r.Inner)
	}
	wantOK(t, c.one("VerifySessionIsValidRequest", ""))
}

func TestLogin_nonceIsSingleUse(t *testing.T) {
	s := startDemo(t, nil)
	c := dialRaw(t, s.Addr().String())
	a := c.one("AuthenticationRequest", el("userId", "admin"))
	sig := signed(a.field("nonce"), ocisim.DefaultPassword)
	wantOK(t, c.one("LoginRequest14sp4", el("userId", "admin")+el("signedPassword", sig)))
	wantCode(t, c.one("LoginRequest14sp4", el("userId", "admin")+el("signedPassword", sig)), 4962, "")
}

func TestLogin_22V5(t *testing.T) {
	s := startDemo(t, nil)
	tests := []struct {
		user, loginType, sp, group, domain, isEnterprise string
	}{
		{ocisim.DefaultAdmin, "System", "", "", "acme.example.com", "false"},
		{ocisim.DemoEnterpriseAdmin, "Service Provider", "acme-ent", "", "acme.example.com", "true"},
		{ocisim.DemoSPAdmin, "Service Provider", "metro-sp", "", "metro.example.net", "false"},
		{ocisim.DemoGroupAdmin, "Group", "acme-ent", "acme-hq", "acme.example.com", "true"},
		{"branch.user01@acme.example.com", "User", "acme-ent", "acme-branch", "acme.example.com", "true"},
	}
	for _, tc := range tests {
		t.Run(tc.user, func(t *testing.T) {
			c := dialRaw(t, s.Addr().String())
			pw := ocisim.DefaultPassword
			if tc.loginType == "User" {
				pw = "Branch#2026"
			}
			r := c.login22(tc.user, pw)
			wantOK(t, r)
			if r.XSIType != "LoginResponse22V5" {
				t.Fatalf("type %s", r.XSIType)
			}
			for k, want := range map[string]string{"loginType": tc.loginType, "serviceProviderId": tc.sp, "groupId": tc.group, "userDomain": tc.domain, "isEnterprise": tc.isEnterprise, "locale": "en_US"} {
				if got := r.field(k); got != want {
					t.Errorf("%s = %q, want %q", k, got, want)
				}
			}
		})
	}
}

func TestLogin_refused(t *testing.T) {
	s := startDemo(t, nil)
	tests := []struct {
		name string
		typ  string
		body string
		code int
	}{
		{"22V5 wrong password", "LoginRequest22V5", el("userId", "admin") + el("password", "nope"), 4962},
		{"22V5 unknown user", "LoginRequest22V5", el("userId", "ghost") + el("password", "welcome1"), 4962},
		{"22V5 no password", "LoginRequest22V5", el("userId", "admin"), 4962},
		{"14sp4 without AuthenticationRequest", "LoginRequest14sp4", el("userId", "admin") + el("signedPassword", "00"), 4962},
		{"14sp4 wrong plain password", "LoginRequest14sp4", el("userId", "admin") + el("plainTextPassword", "nope"), 4962},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := dialRaw(t, s.Addr().String())
			wantCode(t, c.one(tc.typ, tc.body), tc.code, "Invalid password")
			wantCode(t, c.one("VerifySessionIsValidRequest", ""), 5401, "not logged in")
		})
	}
	t.Run("nonce with wrong password", func(t *testing.T) {
		c := dialRaw(t, s.Addr().String())
		wantCode(t, c.loginNonce("admin", "wrong"), 4962, "Invalid password")
	})
	t.Run("nonce for another user", func(t *testing.T) {
		c := dialRaw(t, s.Addr().String())
		a := c.one("AuthenticationRequest", el("userId", "acme-admin"))
		wantCode(t, c.one("LoginRequest14sp4", el("userId", "admin")+el("signedPassword", signed(a.field("nonce"), "welcome1"))), 4962, "")
	})
}

func TestSession_boundToConnection(t *testing.T) {
	s := startDemo(t, nil)
	a := adminClient(t, s)
	// Another connection reusing the same sessionId is not logged in.
	b := dialRaw(t, s.Addr().String())
	b.sid = a.sid
	wantCode(t, b.one("VerifySessionIsValidRequest", ""), 5401, "")
	// The logged-in connection with another sessionId is refused too.
	a.sid = "other"
	wantCode(t, a.one("VerifySessionIsValidRequest", ""), 5401, "sessionId")
}

func TestLogout(t *testing.T) {
	s := startDemo(t, nil)
	c := adminClient(t, s)
	wantCode(t, c.one("LogoutRequest", el("userId", "someone")), 4962, "")
	wantOK(t, c.one("LogoutRequest", el("userId", "admin")+el("reason", "Client Logout")))
	wantCode(t, c.one("VerifySessionIsValidRequest", ""), 5401, "")
}

func TestOptions_customAdmin(t *testing.T) {
	s := startDemo(t, &ocisim.Options{Admin: "root", Password: "S3cret!x"})
	c := dialRaw(t, s.Addr().String())
	wantOK(t, c.login22("root", "S3cret!x"))
}

// Each admin level may only act inside its scope: [Error 5404] otherwise.
func TestScope_unauthorized(t *testing.T) {
	s := startDemo(t, nil)
	grp := func(typ, sp, g string) string {
		return cmd(typ, el("serviceProviderId", sp)+el("groupId", g))
	}
	spList := cmd("ServiceProviderGetListRequest", "")
	spAdd := cmd("ServiceProviderConsolidatedAddRequest", el("useCustomRoutingProfile", "false")+el("serviceProviderId", "new-sp")+el("defaultDomain", "example.com"))
	groupList := func(sp string) string {
		return cmd("GroupGetListInServiceProviderRequest", el("serviceProviderId", sp))
	}
	userInSystem := cmd("UserGetListInSystemRequest", "")
	tests := []struct {
		admin string
		cmd   string
		allow bool
	}{
		{"admin", spList, true},
		{"admin", userInSystem, true},
		{"acme-admin", spList, false},
		{"acme-admin", spAdd, false},
		{"acme-admin", userInSystem, false},
		{"acme-admin", groupList("acme-ent"), true},
		{"acme-admin", groupList("metro-sp"), false},
		{"acme-admin", grp("GroupGetRequest22V5", "acme-ent", "acme-branch"), true},
		{"acme-admin", grp("GroupGetRequest22V5", "metro-sp", "metro-g1"), false},
		{"metro-admin", cmd("UserGetRequest23V2", el("userId", "branch.user01@acme.example.com")), false},
		{"hq-admin", groupList("acme-ent"), false},
		{"hq-admin", spAdd, false},
		{"hq-admin", grp("GroupGetRequest22V5", "acme-ent", "acme-hq"), true},
		{"hq-admin", grp("GroupGetRequest22V5", "acme-ent", "acme-branch"), false},
		{"hq-admin", grp("GroupDnGetAvailableListRequest", "acme-ent", "acme-branch"), false},
		{"hq-admin", cmd("UserGetRequest23V2", el("userId", "branch.user01@acme.example.com")), false},
		{"hq-admin", cmd("SystemSoftwareVersionGetRequest", ""), false},
		{"hq-admin", cmd("SystemTimeZoneGetListRequest20", ""), true},
		{"hq-admin", userAdd("acme-ent", "acme-branch", "x@acme.example.com", ""), false},
		{"hq-admin", grp("GroupDeleteRequest", "acme-ent", "acme-hq"), false},
	}
	clients := map[string]*rawClient{}
	for _, tc := range tests {
		c := clients[tc.admin]
		if c == nil {
			c = dialRaw(t, s.Addr().String()).mustLogin(tc.admin, ocisim.DefaultPassword)
			clients[tc.admin] = c
		}
		r := c.send(tc.cmd)[0]
		if tc.allow {
			if !r.ok() {
				t.Errorf("%s: %s refused: %s", tc.admin, tc.cmd[:60], r.Summary)
			}
			continue
		}
		if r.ok() || r.ErrorCode != 5404 || r.Summary != "[Error 5404] Unauthorized transaction." {
			t.Errorf("%s: %.70s: got %q, want [Error 5404]", tc.admin, tc.cmd, r.Summary)
		}
	}
	// A user may read itself but not others.
	u := dialRaw(t, s.Addr().String()).mustLogin("branch.user01@acme.example.com", "Branch#2026")
	wantOK(t, u.one("UserGetRequest23V2", el("userId", "branch.user01@acme.example.com")))
	wantCode(t, u.one("UserGetRequest23V2", el("userId", "branch.user02@acme.example.com")), 5404, "")
	wantCode(t, u.send(userAdd("acme-ent", "acme-branch", "y@acme.example.com", ""))[0], 5404, "")
}
