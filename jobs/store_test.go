package jobs

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sethvargo/go-password/password"
	"github.com/zalando/go-keyring"

	"bwbulk/broadworks/oci"
)

func TestOpen_MigratesEmptyDatabase(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "new.db")
	s, err := Open(ctx, path, &Options{Keyring: newMemSecrets()})
	if err != nil {
		t.Fatal(err)
	}
	names, err := s.Migrations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	entries, _ := migrationNames()
	if len(names) != len(entries) || names[0] != "0001_init.sql" {
		t.Fatalf("migrations = %v, want all %d embedded files", names, len(entries))
	}

	want := map[string][]string{
		"profiles":        {"id", "name", "address", "transport", "admin_user", "insecure", "ca_pin", "created_at", "updated_at", "release", "learned"},
		"drafts":          {"id", "profile_id", "name", "data", "created_at", "updated_at"},
		"catalogue_cache": {"server", "key", "data", "fetched_at"},
		"tasks":           {"id", "description", "os_user", "admin", "server", "status", "error", "setup", "setup_step", "setup_inflight", "created_at", "updated_at", "attention", "teardown", "teardown_n", "teardown_step", "teardown_inflight", "undo_of", "name", "ticket", "dict_id", "lease_owner", "lease_until", "desk", "origin", "storing", "storing_until", "planned"},
		"jobs":            {"id", "task_id", "row", "user_id", "fields", "commands", "ncommands", "status", "step", "inflight", "attempts", "error_code", "error_text", "not_before", "updated_at", "unverified", "reconcile", "payload"},
		"audit":           {"id", "at", "task_id", "job_id", "command", "request", "outcome", "error_code", "error_text", "dict_id", "request_z", "desk"},
		"dicts":           {"id", "data"},
		"actions":         {"id", "at", "task_id", "job_id", "action", "desk", "detail"},
		"migrations":      {"name", "applied_at"},
	}
	for table, cols := range want {
		rows, err := s.r.QueryContext(ctx, `SELECT name FROM pragma_table_info(?)`, table)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for rows.Next() {
			var n string
			rows.Scan(&n)
			got = append(got, n)
		}
		rows.Close()
		if !slices.Equal(got, cols) {
			t.Errorf("table %s columns = %v, want %v", table, got, cols)
		}
	}
	// Nothing of the schema mentions a password column.
	var ddl string
	s.r.QueryRowContext(ctx, `SELECT group_concat(sql, ';') FROM sqlite_master`).Scan(&ddl)
	if strings.Contains(strings.ToLower(ddl), "password") {
		t.Errorf("schema has a password column: %s", ddl)
	}

	// Pragmas are set on every connection through the DSN.
	for name, db := range map[string]*sql.DB{"writer": s.w, "reader": s.r} {
		var mode string
		var fk, busy int
		db.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode)
		db.QueryRowContext(ctx, `PRAGMA foreign_keys`).Scan(&fk)
		db.QueryRowContext(ctx, `PRAGMA busy_timeout`).Scan(&busy)
		if mode != "wal" || fk != 1 || busy != 5000 {
			t.Errorf("%s: journal_mode=%s foreign_keys=%d busy_timeout=%d", name, mode, fk, busy)
		}
	}
	if _, err := s.r.ExecContext(ctx, `INSERT INTO profiles (name, address, created_at, updated_at) VALUES ('x','y',0,0)`); err == nil {
		t.Error("read pool accepted a write")
	}
	s.Close()

	// Reopening applies nothing twice.
	s, err = Open(ctx, path, &Options{Keyring: newMemSecrets()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	again, _ := s.Migrations(ctx)
	if !slices.Equal(again, names) {
		t.Errorf("after reopen migrations = %v", again)
	}
}

func TestStore_InTx_RollsBack(t *testing.T) {
	s := openTestStore(t, nil)
	ctx := context.Background()
	boom := errors.New("boom")
	err := s.InTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO profiles (name, address, created_at, updated_at) VALUES ('a','b',0,0)`); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	func() {
		defer func() { recover() }()
		s.InTx(ctx, func(tx *sql.Tx) error {
			tx.ExecContext(ctx, `INSERT INTO profiles (name, address, created_at, updated_at) VALUES ('c','d',0,0)`)
			panic("inside")
		})
	}()
	ps, err := s.Profiles(ctx)
	if err != nil || len(ps) != 0 {
		t.Fatalf("profiles after rollback = %v, %v", ps, err)
	}
}

func userAdd(sp, group, id, pw, number string) *oci.UserAddRequest22V2 {
	r := &oci.UserAddRequest22V2{
		ServiceProviderID: sp, GroupID: group, UserID: id,
		LastName: "Last", FirstName: "First", CallingLineIDLastName: "Last", CallingLineIDFirstName: "First",
		Password: oci.String(pw),
	}
	if number != "" {
		r.PhoneNumber = oci.String(number)
	}
	return r
}

func sampleSpec(n int, passwords []string) TaskSpec {
	spec := TaskSpec{Description: "test", OSUser: "alice", Admin: "admin", Server: "sim"}
	for i := 0; i < n; i++ {
		id := fmt.Sprintf("u%04d@acme.example.com", i)
		pw := fmt.Sprintf("Pw-%04d-secret", i)
		if passwords != nil {
			pw = passwords[i]
		}
		spec.Jobs = append(spec.Jobs, JobSpec{
			Row: i + 1, UserID: id,
			Fields:   map[string]string{"userId": id, "password": pw, "firstName": "First"},
			Commands: []oci.Request{userAdd("acme-ent", "acme-hq", id, pw, "")},
		})
	}
	return spec
}

func TestStore_CreateTask_ListAndFilter(t *testing.T) {
	s := openTestStore(t, nil)
	ctx := context.Background()
	spec := sampleSpec(5, nil)
	spec.Setup = []oci.Request{&oci.GroupDepartmentAddRequest{ServiceProviderID: "acme-ent", GroupID: "acme-hq", DepartmentName: "Ops"}}
	spec.Name, spec.Ticket = " Spring hires ", "CHG-1042"
	id, err := s.CreateTask(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	task, err := s.Task(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if task.Status != StatusPending || task.Total != 5 || task.Pending != 5 || task.OSUser != "alice" || task.Admin != "admin" ||
		task.Name != "Spring hires" || task.Ticket != "CHG-1042" {
		t.Fatalf("task = %+v", task)
	}
	tasks, _ := s.ListTasks(ctx)
	if len(tasks) != 1 || tasks[0].ID != id {
		t.Fatalf("ListTasks = %+v", tasks)
	}
	js, err := s.Jobs(ctx, id, Filter{})
	if err != nil || len(js) != 5 || js[0].Row != 1 || js[0].Fields != nil {
		t.Fatalf("Jobs = %+v, %v", js, err)
	}
	for _, tc := range []struct {
		name string
		f    Filter
		want int
	}{
		{"status", Filter{Status: StatusPending}, 5},
		{"other status", Filter{Status: StatusFailed}, 0},
		{"user id", Filter{Search: "u0003"}, 1},
		{"row number", Filter{Search: "5"}, 1},
		{"like wildcard is literal", Filter{Search: "%"}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.Jobs(ctx, id, tc.f)
			if err != nil || len(got) != tc.want {
				t.Fatalf("got %d jobs, %v; want %d", len(got), err, tc.want)
			}
		})
	}
	j, err := s.Job(ctx, js[2].ID)
	if err != nil {
		t.Fatal(err)
	}
	ua, ok := j.Commands[0].(*oci.UserAddRequest22V2)
	if !ok || ua.UserID != "u0002@acme.example.com" || *ua.Password != "Pw-0002-secret" || j.Fields["password"] != "Pw-0002-secret" {
		t.Fatalf("Job payload = %#v %v", j.Commands[0], j.Fields)
	}
	if _, err := s.CreateTask(ctx, TaskSpec{Jobs: []JobSpec{{Row: 1}, {Row: 1}}}); err == nil || !strings.Contains(err.Error(), "row 1") {
		t.Errorf("duplicate rows: err = %v", err)
	}
}

func TestStore_NotFound(t *testing.T) {
	s := openTestStore(t, nil)
	ctx := context.Background()
	var dst any
	for name, err := range map[string]error{
		"task":    func() error { _, err := s.Task(ctx, 42); return err }(),
		"job":     func() error { _, err := s.Job(ctx, 42); return err }(),
		"profile": func() error { _, err := s.Profile(ctx, 42); return err }(),
		"draft":   func() error { _, err := s.Draft(ctx, 42); return err }(),
		"cache":   func() error { _, err := s.Catalogue(ctx, "srv", "groups", &dst); return err }(),
		"retry":   s.retryJob(ctx, 42),
		"admin":   func() error { _, err := s.AdminPassword(42); return err }(),
	} {
		if !errors.Is(err, ErrNotFound) {
			t.Errorf("%s: err = %v, want ErrNotFound", name, err)
		}
	}
}

// TestStore_NoClearSecretsOnDisk greps the database file and its WAL for
// every generated password: none may appear.
func TestStore_NoClearSecretsOnDisk(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "secrets.db")
	s, err := Open(ctx, path, &Options{Keyring: newMemSecrets()})
	if err != nil {
		t.Fatal(err)
	}
	const n = 300
	pws := make([]string, n)
	for i := range pws {
		pws[i] = password.MustGenerate(16, 4, 2, false, true)
	}
	id, err := s.CreateTask(ctx, sampleSpec(n, pws))
	if err != nil {
		t.Fatal(err)
	}
	draftPW := password.MustGenerate(16, 4, 2, false, true)
	pws = append(pws, draftPW)
	if _, err := s.SaveDraft(ctx, Draft{Name: "d", Data: []byte(`{"rows":[{"password":"` + draftPW + `"}]}`)}); err != nil {
		t.Fatal(err)
	}
	// Edit a job: the new password must not appear either.
	js, _ := s.Jobs(ctx, id, Filter{})
	s.w.ExecContext(ctx, `UPDATE jobs SET status = 'failed' WHERE id = ?`, js[0].ID)
	editPW := password.MustGenerate(16, 4, 2, false, true)
	pws = append(pws, editPW)
	if err := s.updateJobFields(ctx, js[0].ID, map[string]string{"userId": js[0].UserID, "password": editPW},
		[]oci.Request{userAdd("acme-ent", "acme-hq", js[0].UserID, editPW, "")}); err != nil {
		t.Fatal(err)
	}
	check := func(when string) int {
		checked := 0
		for _, suffix := range []string{"", "-wal"} {
			b, err := os.ReadFile(path + suffix)
			if errors.Is(err, os.ErrNotExist) {
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			checked++
			for _, pw := range pws {
				if bytes.Contains(b, []byte(pw)) {
					t.Errorf("%s: password %q found in %s", when, pw[:2]+"…", filepath.Base(path+suffix))
				}
			}
		}
		return checked
	}
	files := check("open")
	s.Close()
	files += check("closed")
	t.Logf("checked %d passwords in %d file images", len(pws), files)
	fmt.Printf("jobs: no-clear-secrets: %d passwords absent from %d database/WAL images\n", len(pws), files)

	// And they come back with the key.
	s, err = Open(ctx, path, &Options{Keyring: s.secrets})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	j, err := s.Job(ctx, js[1].ID)
	if err != nil || j.Fields["password"] != pws[1] {
		t.Fatalf("unsealed = %v, %v", j.Fields, err)
	}
}

func TestStore_SecretStoreUnavailable(t *testing.T) {
	keyring.MockInitWithError(errors.New("dbus: no session bus"))
	t.Cleanup(keyring.MockInit)
	s := openTestStore(t, OSKeyring{})
	ctx := context.Background()
	_, err := s.CreateTask(ctx, sampleSpec(2, nil))
	if !errors.Is(err, ErrKeyringUnavailable) {
		t.Fatalf("CreateTask err = %v, want ErrKeyringUnavailable", err)
	}
	if _, err := s.SaveDraft(ctx, Draft{Data: []byte("x")}); !errors.Is(err, ErrKeyringUnavailable) {
		t.Fatalf("SaveDraft err = %v", err)
	}
	if err := s.SetAdminPassword(1, "pw"); !errors.Is(err, ErrKeyringUnavailable) {
		t.Fatalf("SetAdminPassword err = %v", err)
	}
	var n int
	s.r.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM tasks) + (SELECT count(*) FROM jobs) + (SELECT count(*) FROM drafts)`).Scan(&n)
	if n != 0 {
		t.Fatalf("%d rows written without a key", n)
	}
	// History still lists.
	if _, err := s.ListTasks(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestStore_MockedOSSecrets_AdminPassword(t *testing.T) {
	keyring.MockInit()
	s := openTestStore(t, OSKeyring{}) // the default, mocked
	if err := s.SetAdminPassword(7, "welcome1"); err != nil {
		t.Fatal(err)
	}
	got, err := s.AdminPassword(7)
	if err != nil || got != "welcome1" {
		t.Fatalf("AdminPassword = %q, %v", got, err)
	}
	id, err := s.SaveDraft(context.Background(), Draft{Name: "x", Data: []byte("hello")})
	if err != nil {
		t.Fatal(err)
	}
	d, err := s.Draft(context.Background(), id)
	if err != nil || string(d.Data) != "hello" {
		t.Fatalf("Draft = %q, %v", d.Data, err)
	}
	if v, err := keyring.Get(KeyringService, s.keyName(KeyringDataKey)); err != nil || len(v) != 44 {
		t.Fatalf("data key in keyring: %d chars, %v", len(v), err)
	}
}

func TestStore_DataKeyChanged(t *testing.T) {
	sec := newMemSecrets()
	dir := t.TempDir()
	s := openStoreAt(t, dir, sec)
	ctx := context.Background()
	id, err := s.SaveDraft(ctx, Draft{Data: []byte("secret")})
	if err != nil {
		t.Fatal(err)
	}
	s2 := openStoreAt(t, dir, newMemSecrets())
	if _, err := s2.Draft(ctx, id); !errors.Is(err, ErrDecrypt) {
		t.Fatalf("err = %v, want ErrDecrypt", err)
	}
}

func TestStore_AuditIsAppendOnly(t *testing.T) {
	s := openTestStore(t, nil)
	ctx := context.Background()
	cmd := userAdd("sp", "g", "u@x", "Sup3r-Secret", "")
	err := s.InTx(ctx, func(tx *sql.Tx) error {
		return s.auditTx(ctx, tx, AuditEntry{TaskID: 1, JobID: 2, Command: cmd.OCIName(), Request: renderCommand(cmd), Outcome: OutcomeSuccess})
	})
	if err != nil {
		t.Fatal(err)
	}
	a, err := s.Audit(ctx, 1)
	if err != nil || len(a) != 1 {
		t.Fatalf("Audit = %v, %v", a, err)
	}
	if strings.Contains(a[0].Request, "Sup3r-Secret") || !strings.Contains(a[0].Request, "<password>****</password>") {
		t.Errorf("audit request not masked: %s", a[0].Request)
	}
	if _, err := s.w.ExecContext(ctx, `UPDATE audit SET outcome = 'x'`); err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Errorf("update err = %v", err)
	}
	if _, err := s.w.ExecContext(ctx, `DELETE FROM audit`); err == nil {
		t.Error("delete allowed")
	}
}

func TestStore_ProfilesDraftsCatalogue(t *testing.T) {
	clk := &fakeClock{t: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "p.db"), &Options{Keyring: newMemSecrets(), Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	pid, err := s.SaveProfile(ctx, Profile{Name: "lab", Address: "127.0.0.1:2208", AdminUser: "admin"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveProfile(ctx, Profile{Name: "lab", Address: "x"}); err == nil {
		t.Error("duplicate profile name accepted")
	}
	p, err := s.Profile(ctx, pid)
	if err != nil || p.Transport != "tcp" || p.AdminUser != "admin" || p.Release != "" {
		t.Fatalf("Profile = %+v, %v", p, err)
	}
	// The release learned at login is kept with the profile, and editing
	// the profile does not forget it.
	if err := s.SetProfileRelease(ctx, pid, "22.0"); err != nil {
		t.Fatal(err)
	}
	p.AdminUser = "admin2"
	if _, err := s.SaveProfile(ctx, p); err != nil {
		t.Fatal(err)
	}
	if p, err := s.Profile(ctx, pid); err != nil || p.Release != "22.0" || p.AdminUser != "admin2" {
		t.Fatalf("after SetProfileRelease and SaveProfile: %+v, %v", p, err)
	}
	if err := s.SetProfileRelease(ctx, pid+100, "22.0"); !errors.Is(err, ErrNotFound) {
		t.Errorf("SetProfileRelease of a missing profile: %v", err)
	}
	did, err := s.SaveDraft(ctx, Draft{ProfileID: pid, Name: "first", Data: []byte(`{"v":1}`)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveDraft(ctx, Draft{ID: did, ProfileID: pid, Name: "renamed", Data: []byte(`{"v":2}`)}); err != nil {
		t.Fatal(err)
	}
	ds, _ := s.Drafts(ctx)
	if len(ds) != 1 || ds[0].Name != "renamed" || ds[0].Data != nil {
		t.Fatalf("Drafts = %+v", ds)
	}
	if err := s.DeleteProfile(ctx, pid); err != nil {
		t.Fatal(err)
	}
	d, err := s.Draft(ctx, did)
	if err != nil || d.ProfileID != 0 || string(d.Data) != `{"v":2}` {
		t.Fatalf("Draft after profile delete = %+v, %v", d, err)
	}

	type group struct{ ID string }
	if err := s.PutCatalogue(ctx, "lab", "groups/acme-ent", []group{{"acme-hq"}}); err != nil {
		t.Fatal(err)
	}
	clk.Add(time.Hour)
	var got []group
	at, err := s.Catalogue(ctx, "lab", "groups/acme-ent", &got)
	if err != nil || len(got) != 1 || got[0].ID != "acme-hq" {
		t.Fatalf("Catalogue = %v, %v", got, err)
	}
	if age := clk.Now().Sub(at); age != time.Hour {
		t.Errorf("age = %v, want 1h", age)
	}
}

func TestStore_EditRetry(t *testing.T) {
	s := openTestStore(t, nil)
	ctx := context.Background()
	dev := &oci.GroupAccessDeviceAddRequest22V2{ServiceProviderID: "sp", GroupID: "g", DeviceName: "d1", DeviceType: "Generic SIP Phone"}
	spec := TaskSpec{Jobs: []JobSpec{{Row: 1, UserID: "u@x", Fields: map[string]string{"userId": "u@x"},
		Commands: []oci.Request{dev, userAdd("sp", "g", "u@x", "pw1pw1", "")}}}}
	id, _ := s.CreateTask(ctx, spec)
	js, _ := s.Jobs(ctx, id, Filter{})
	jid := js[0].ID
	if err := s.retryJob(ctx, jid); !errors.Is(err, ErrJobActive) {
		t.Fatalf("retry pending job: %v", err)
	}
	// The device was added, the user failed.
	s.w.ExecContext(ctx, `UPDATE jobs SET status = 'failed', step = 1, error_code = 4200, error_text = 'dup' WHERE id = ?`, jid)
	s.w.ExecContext(ctx, `UPDATE tasks SET status = 'failed' WHERE id = ?`, id)

	err := s.updateJobFields(ctx, jid, map[string]string{"userId": "v@x"},
		[]oci.Request{dev, userAdd("sp", "g", "v@x", "pw1pw1", "")})
	if err != nil {
		t.Fatal(err)
	}
	j, _ := s.Job(ctx, jid)
	if j.Status != StatusPending || j.Step != 1 || j.UserID != "v@x" || j.ErrorCode != 0 {
		t.Fatalf("edited job = %+v (the unchanged device must stay done)", j)
	}
	if task, _ := s.Task(ctx, id); task.Status != StatusPending {
		t.Fatalf("task status = %s", task.Status)
	}
	// A changed device restarts from the device.
	s.w.ExecContext(ctx, `UPDATE jobs SET status = 'failed' WHERE id = ?`, jid)
	dev2 := *dev
	dev2.DeviceName = "d2"
	s.updateJobFields(ctx, jid, map[string]string{"userId": "v@x"}, []oci.Request{&dev2, userAdd("sp", "g", "v@x", "pw1pw1", "")})
	if j, _ = s.Job(ctx, jid); j.Step != 0 {
		t.Fatalf("step = %d, want 0", j.Step)
	}
	s.w.ExecContext(ctx, `UPDATE jobs SET status = 'failed' WHERE id = ?`, jid)
	if n, err := s.RetryAllFailed(ctx, id); err != nil || n != 1 {
		t.Fatalf("RetryAllFailed = %d, %v", n, err)
	}
}

func TestMaskSecrets(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`<password>abc</password>`, `<password>****</password>`},
		{`<newPassword>abc</newPassword><x>1</x>`, `<newPassword>****</newPassword><x>1</x>`},
		{`<plainTextPassword xmlns="">a&amp;b</plainTextPassword>`, `<plainTextPassword xmlns="">****</plainTextPassword>`},
		{`<passcode>1234</passcode>`, `<passcode>****</passcode>`},
		{`<userId>password@x</userId>`, `<userId>password@x</userId>`},
		{`{"Password":"a\"b","UserID":"u"}`, `{"Password":"****","UserID":"u"}`},
		{`<signedPassword/>`, `<signedPassword/>`},
	} {
		if got := maskSecrets(tc.in); got != tc.want {
			t.Errorf("maskSecrets(%s) = %s, want %s", tc.in, got, tc.want)
		}
	}
}
