package jobs

import (
	"context"
	"database/sql"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"bwbulk/broadworks/oci"
	"bwbulk/broadworks/ocisim/ocisimtest"
)

// jsonForm is commands in the form the first store wrote them: each one's
// type and its struct as JSON, no XML.
func jsonForm(t *testing.T, cmds []oci.Request) []byte {
	t.Helper()
	out := make([]storedCommand, 0, len(cmds))
	for _, c := range cmds {
		b, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, storedCommand{Type: c.OCIName(), Body: b})
	}
	b, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A database of the first store, its task setup and job commands sealed in
// the JSON form, opens through every migration; the commands decode to
// what was stored; Compact carries them into the payload as they were (so
// the JSON form stays readable for good); and the runner sends them: the
// group and the users are made once each.
func TestStore_JSONFormCommands_OldDatabase(t *testing.T) {
	ctx := context.Background()
	sec := newMemSecrets()
	path, id := legacyDB(t, sec, nil)
	us := bulkUsers(5)
	for i := range us {
		us[i].device = "" // a device's endpoint is abstract: the JSON form never held one
	}
	spec := taskOf(us, bulkSetup(len(us)))

	old := &Store{secrets: sec, now: time.Now}
	db, err := sql.Open("sqlite3", dsn(path, false, time.Second))
	if err != nil {
		t.Fatal(err)
	}
	setup, err := old.seal(purposeSetup, jsonForm(t, spec.Setup))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `UPDATE tasks SET setup = ? WHERE id = ?`, setup, id); err != nil {
		t.Fatal(err)
	}
	for _, js := range spec.Jobs {
		f, err := old.sealJSON(purposeFields, js.Fields)
		if err != nil {
			t.Fatal(err)
		}
		c, err := old.seal(purposeCommands, jsonForm(t, js.Commands))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, `INSERT INTO jobs (task_id, row, user_id, fields, commands, ncommands, status, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, 'pending', 1)`, id, js.Row, js.UserID, f, c, len(js.Commands)); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	st, err := Open(ctx, path, &Options{Keyring: sec})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	same := func(when string) {
		t.Helper()
		js, err := st.JobsWithPayload(ctx, id, Filter{})
		if err != nil || len(js) != len(spec.Jobs) {
			t.Fatalf("%s: %d jobs, %v", when, len(js), err)
		}
		for i, j := range js {
			if !reflect.DeepEqual(j.Commands, spec.Jobs[i].Commands) || !reflect.DeepEqual(j.Fields, spec.Jobs[i].Fields) {
				t.Fatalf("%s: row %d reads\n%+v\nwant\n%+v", when, j.Row, j.Commands, spec.Jobs[i].Commands)
			}
		}
		got, _, _, err := st.taskStage(ctx, id, stageSetup)
		if err != nil || !reflect.DeepEqual(got, spec.Setup) {
			t.Fatalf("%s: setup reads %+v, %v", when, got, err)
		}
	}
	same("opened")
	if n, err := st.Compact(ctx); err != nil || n != len(spec.Jobs) {
		t.Fatalf("Compact = %d, %v", n, err)
	}
	same("compacted")
	var payload []byte
	var dictID int64
	if err := st.r.QueryRowContext(ctx, `SELECT j.payload, t.dict_id FROM jobs j JOIN tasks t ON t.id = j.task_id
		WHERE j.task_id = ? ORDER BY j.row LIMIT 1`, id).Scan(&payload, &dictID); err != nil {
		t.Fatal(err)
	}
	d, err := st.dict(ctx, st.r, dictID)
	if err != nil {
		t.Fatal(err)
	}
	p, err := st.openPayload(d, payload)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Commands) == 0 || p.Commands[0].Body == nil || p.Commands[0].XML != "" {
		t.Fatalf("the compacted payload holds %+v: want the JSON form carried as it was", p.Commands)
	}

	srv := ocisimtest.Start(t, nil)
	h := startRunner(t, st, dialer(srv.Addr().String(), 2), nil)
	if task := h.waitTask(id, 30*time.Second, StatusCompleted, StatusFailed); task.Status != StatusCompleted || task.Completed != len(us) {
		t.Fatalf("task = %+v", task)
	}
	if !srv.HasGroup("acme-ent", "acme-bulk") {
		t.Fatal("the setup's group was not made")
	}
	for _, u := range us {
		if got, ok := srv.User(u.userID); !ok || got.GroupID != "acme-bulk" {
			t.Errorf("user %s: %+v %v", u.userID, got, ok)
		}
	}
	if got := srv.AddCount("UserAddRequest22V2"); got != len(us) {
		t.Errorf("server accepted %d user adds for %d users", got, len(us))
	}
}
