package ocisim_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"bwbulk/broadworks/ocisim"
	"bwbulk/internal/ocinames"
)

// schemaCheck collects documents and validates each, with one xmllint
// run per schema set, against R25's set and R21's and R24's where that
// release has the document's command (see forLibxml2).
type schemaCheck struct {
	docs map[string][]string // command → documents
}

func (k *schemaCheck) add(command, doc string) {
	if k.docs == nil {
		k.docs = map[string][]string{}
	}
	k.docs[command] = append(k.docs[command], doc)
}

func (k *schemaCheck) run(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("xmllint"); err != nil {
		t.Log("xmllint not installed: the documents were not checked against the schema")
		return
	}
	type set struct {
		name, dir string
		has       func(string) bool
	}
	sets := []set{{"R25", schemaDir(t), func(string) bool { return true }}}
	for _, major := range []int{21, 24} {
		if d, ok := ocinames.SchemaDir(major); ok {
			sets = append(sets, set{fmt.Sprintf("R%d", major), forLibxml2(t, d), releaseHas(t, major)})
		}
	}
	tmp := t.TempDir()
	for _, st := range sets {
		var files []string
		for command, docs := range k.docs {
			if !st.has(command) {
				continue
			}
			for i, doc := range docs {
				f := filepath.Join(tmp, fmt.Sprintf("%s-%s-%d.xml", st.name, command, i))
				if err := os.WriteFile(f, []byte(forXmllint(doc)), 0o600); err != nil {
					t.Fatal(err)
				}
				files = append(files, f)
			}
		}
		out, err := exec.Command("xmllint", append([]string{"--noout", "--schema", filepath.Join(st.dir, "OCISchemaAS.xsd")}, files...)...).CombinedOutput()
		var problems []string
		for _, l := range strings.Split(string(out), "\n") {
			if strings.Contains(l, "fails to validate") || strings.Contains(l, "validity error") {
				problems = append(problems, l)
			}
		}
		if valid := strings.Count(string(out), " validates\n"); err != nil || len(problems) > 0 || valid != len(files) {
			t.Errorf("%s: xmllint (%v): %d of %d validate\n%s", st.name, err, valid, len(files), strings.Join(problems, "\n"))
			continue
		}
		t.Logf("%s: %d documents validate", st.name, len(files))
	}
}

// A Shared Call Appearance endpoint added with the document of another
// OCI-P client's form (testdata/public, checked against the schema sets
// first): it is the user's until deleted, takes a port of its device, and
// survives a restart. The device must be one of the user's group, the
// line/port free in the whole system and of the device type's
// addressing, the device must have a free port, the user the service.
func TestSCA_addEndpoint14sp2(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "public", "UserSharedCallAppearanceAddEndpointRequest14sp2.xml"))
	if err != nil {
		t.Fatal(err)
	}
	public := string(b)
	const name = "UserSharedCallAppearanceAddEndpointRequest14sp2"
	var check schemaCheck
	defer check.run(t)
	check.add(name, public)

	state := filepath.Join(t.TempDir(), "state.json")
	s := startDemo(t, &ocisim.Options{StateFile: state})
	c := adminClient(t, s)
	sendPublic := func() rawCmd {
		t.Helper()
		d, err := c.sendRaw(strings.Replace(public, "acbdf1234567890", c.sid, 1))
		if err != nil || len(d.Commands) != 1 {
			t.Fatalf("send: %v %+v", err, d)
		}
		return d.Commands[0]
	}
	user := "branch.user01@acme.example.com"
	g := el("serviceProviderId", "acme-ent") + el("groupId", "acme-branch")
	ports := func(dev string) string {
		t.Helper()
		r := c.one("GroupAccessDeviceGetRequest18sp1", g+el("deviceName", dev))
		wantOK(t, r)
		return r.field("numberOfAssignedPorts")
	}

	wantCode(t, sendPublic(), 4412, "Shared Call Appearance") // the user lacks the service
	if p := ports("branch-phone-02"); p != "1" {
		t.Fatalf("branch-phone-02 has %s ports in use before, want 1", p)
	}
	wantOK(t, c.one("UserServiceAssignListRequest", el("userId", user)+el("serviceName", "Shared Call Appearance")))
	wantOK(t, sendPublic())
	if p := ports("branch-phone-02"); p != "2" {
		t.Errorf("branch-phone-02 has %s ports in use, want 2", p)
	}
	get := c.one("UserSharedCallAppearanceGetRequest21sp1", el("userId", user))
	wantOK(t, get)
	rows := get.table("endpointTable")
	if len(rows) != 1 || rows[0]["Line/Port"] != "branch.user01_sca1@acme.example.com" || rows[0]["Device Name"] != "branch-phone-02" ||
		rows[0]["Device Type"] != "Polycom VVX 450" || rows[0]["Is Active"] != "true" || rows[0]["Allow Termination"] != "false" {
		t.Errorf("endpoints %v", rows)
	}
	check.add("UserSharedCallAppearanceGetRequest21sp1", string(c.last))
	du := c.one("GroupAccessDeviceGetUserListRequest21sp1", g+el("deviceName", "branch-phone-02"))
	if r := findRow(du.table("deviceUserTable"), "Line/Port", "branch.user01_sca1@acme.example.com"); r == nil ||
		r["User Id"] != user || r["Endpoint Type"] != "Shared Call Appearance" || r["Primary Line/Port"] != "false" {
		t.Errorf("device users %v", du.table("deviceUserTable"))
	}

	add := func(uid, dev, lp string) rawCmd {
		return c.one(name, el("userId", uid)+"<accessDeviceEndpoint><accessDevice>"+el("deviceLevel", "Group")+el("deviceName", dev)+
			"</accessDevice>"+el("linePort", lp)+"</accessDeviceEndpoint>"+el("isActive", "true")+el("allowOrigination", "true")+el("allowTermination", "true"))
	}
	wantCode(t, sendPublic(), 4506, "branch.user01_sca1@acme.example.com")                          // the same line/port again
	wantCode(t, add(user, "branch-phone-03", "3125550103@acme.example.com"), 4506, "branch.user03") // another user's primary
	wantCode(t, add(user, "acme-hq-pbx", "sca-x@acme.example.com"), 4505, "acme-hq-pbx")            // a device of another group
	wantCode(t, add(user, "branch-phone-03", "no-host-part"), 4511, "host part")
	wantCode(t, add(user, "branch-phone-03", "sip:x@acme.example.com"), 4511, "")
	r := c.one(name, el("userId", user)+"<accessDeviceEndpoint><accessDevice>"+el("deviceLevel", "Group")+el("deviceName", "branch-phone-03")+
		"</accessDevice>"+el("linePort", "y@acme.example.com")+"</accessDeviceEndpoint>"+el("isActive", "true")+el("allowTermination", "true"))
	wantCode(t, r, 6004, "allowOrigination") // the schema's type, before any rule
	// The user's own endpoint cannot become the primary line/port.
	wantCode(t, c.one("UserModifyRequest22", el("userId", user)+"<endpoint><accessDeviceEndpoint><accessDevice>"+el("deviceLevel", "Group")+
		el("deviceName", "branch-phone-02")+"</accessDevice>"+el("linePort", "branch.user01_sca1@acme.example.com")+"</accessDeviceEndpoint></endpoint>"), 4506, "Shared Call Appearance")

	// A one-port device: its one port taken by an endpoint, a second
	// endpoint (of another user) is refused.
	wantOK(t, c.one("GroupAccessDeviceAddRequest14", g+el("deviceName", "sca-single")+el("deviceType", "Generic SIP Phone")))
	wantOK(t, add(user, "sca-single", "single-a@acme.example.com"))
	wantOK(t, c.one("UserServiceAssignListRequest", el("userId", "branch.user02@acme.example.com")+el("serviceName", "Shared Call Appearance")))
	wantCode(t, add("branch.user02@acme.example.com", "sca-single", "single-b@acme.example.com"), 4507, "sca-single")
	if p := ports("sca-single"); p != "1" {
		t.Errorf("sca-single has %s ports in use, want 1", p)
	}
	wantCode(t, c.one("GroupAccessDeviceDeleteRequest", g+el("deviceName", "sca-single")), 4510, "")

	// Kept across a restart.
	s.Close()
	s2 := startDemo(t, &ocisim.Options{StateFile: state})
	c = adminClient(t, s2)
	get = c.one("UserSharedCallAppearanceGetRequest16sp2", el("userId", user))
	wantOK(t, get)
	if rows := get.table("endpointTable"); len(rows) != 2 || findRow(rows, "Line/Port", "single-a@acme.example.com") == nil {
		t.Errorf("after a restart: %v", rows)
	}
	check.add("UserSharedCallAppearanceGetRequest16sp2", string(c.last))
	if p := ports("branch-phone-02"); p != "2" {
		t.Errorf("after a restart branch-phone-02 has %s ports in use, want 2", p)
	}

	// Deleted: the port is free again; an endpoint the user has not is
	// refused and nothing is removed.
	key := func(dev, lp string) string {
		return "<accessDeviceEndpoint><accessDevice>" + el("deviceLevel", "Group") + el("deviceName", dev) + "</accessDevice>" + el("linePort", lp) + "</accessDeviceEndpoint>"
	}
	del := "UserSharedCallAppearanceDeleteEndpointListRequest14"
	wantCode(t, c.one(del, el("userId", user)+key("sca-single", "single-a@acme.example.com")+key("branch-phone-02", "nope@acme.example.com")), 4505, "nope")
	wantOK(t, c.one(del, el("userId", user)+key("branch-phone-02", "branch.user01_sca1@acme.example.com")))
	check.add(del, document(c.sid, cmd(del, el("userId", user)+key("branch-phone-02", "branch.user01_sca1@acme.example.com"))))
	if p := ports("branch-phone-02"); p != "1" {
		t.Errorf("after the delete branch-phone-02 has %s ports in use, want 1", p)
	}
	if rows := c.one("UserSharedCallAppearanceGetRequest21sp1", el("userId", user)).table("endpointTable"); len(rows) != 1 || rows[0]["Device Name"] != "sca-single" {
		t.Errorf("after the delete: %v", rows)
	}
	wantOK(t, add("branch.user02@acme.example.com", "branch-phone-02", "branch.user01_sca1@acme.example.com")) // free again
}
