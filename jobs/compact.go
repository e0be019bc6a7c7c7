package jobs

import (
	"bytes"
	"compress/flate"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"

	"bwbulk/broadworks/oci"
)

// The compact form of what a task stores per job (migration 0006): a
// job's fields and commands are one value, deflated with a dictionary
// made from the task's first job, then sealed. Jobs of one task share
// their structure (the same commands, the same field names, values that
// differ in a few characters), so a job takes a few hundred bytes where
// its two sealed JSON values took two kilobytes. Audit entries deflate
// their masked request with the same dictionary.

const purposePayload = "jobs.payload"

// payloadFormat is the first byte of an opened payload.
const payloadFormat = 1

// storedPayload is a job's fields and commands as a payload holds them.
type storedPayload struct {
	Fields   map[string]string `json:"f"`
	Commands []storedCommand   `json:"c"`
}

// zdict is a deflate dictionary with its index for the encoder
// (deflateFixed) and a pool of readers made for it.
type zdict struct {
	id      int64
	data    []byte
	index   *dictIndex
	readers sync.Pool
}

func newZdict(id int64, data []byte) *zdict {
	return &zdict{id: id, data: data, index: newDictIndex(data)}
}

// deflate compresses b with the dictionary, after prefix.
func (d *zdict) deflate(prefix, b []byte) []byte {
	out := make([]byte, 0, len(prefix)+len(b)/3+16)
	return deflateFixed(append(out, prefix...), d.index, b)
}

// inflate is the inverse of deflate (without the prefix).
func (d *zdict) inflate(z []byte) ([]byte, error) {
	var r io.ReadCloser
	if v := d.readers.Get(); v != nil {
		r = v.(io.ReadCloser)
		if err := r.(flate.Resetter).Reset(bytes.NewReader(z), d.data); err != nil {
			return nil, err
		}
	} else {
		r = flate.NewReaderDict(bytes.NewReader(z), d.data)
	}
	out, err := io.ReadAll(r)
	d.readers.Put(r)
	if err != nil {
		return nil, fmt.Errorf("jobs: inflate: %w", err)
	}
	return out, nil
}

// dictFrom builds a task's dictionary from its first job: its payload and
// its commands as the audit shows them, every secret masked (a dictionary
// is stored in clear). Deflate finds matches closer to the end of a
// dictionary more cheaply, so the most common text goes last.
func dictFrom(j JobSpec) ([]byte, error) {
	var b bytes.Buffer
	var raw []storedCommand
	secrets := secretValues(j.Fields)
	for i, c := range j.Commands {
		sc, err := encodeCommand(c)
		if err != nil {
			return nil, fmt.Errorf("jobs: command %d (%s): %w", i+1, c.OCIName(), err)
		}
		sc.XML = maskValues(maskSecrets(sc.XML), secrets)
		raw = append(raw, sc)
		b.WriteString(renderCommand(c))
	}
	fields := make(map[string]string, len(j.Fields))
	for k, v := range j.Fields {
		if isSecretField(k) {
			v = "****"
		}
		fields[k] = maskValues(v, secrets)
	}
	p, err := json.Marshal(storedPayload{Fields: fields, Commands: raw})
	if err != nil {
		return nil, err
	}
	b.Write(p)
	return b.Bytes(), nil
}

// dict returns dictionary id (cached; they never change).
func (s *Store) dict(ctx context.Context, q querier, id int64) (*zdict, error) {
	s.dictMu.Lock()
	d, ok := s.dicts[id]
	s.dictMu.Unlock()
	if ok {
		return d, nil
	}
	var data []byte
	if err := q.QueryRowContext(ctx, `SELECT data FROM dicts WHERE id = ?`, id).Scan(&data); err != nil {
		return nil, notFound(err, "dictionary", id)
	}
	d = newZdict(id, data)
	s.dictMu.Lock()
	if s.dicts == nil {
		s.dicts = map[int64]*zdict{}
	}
	if old, ok := s.dicts[id]; ok {
		d = old
	} else {
		s.dicts[id] = d
	}
	s.dictMu.Unlock()
	return d, nil
}

// taskDict returns the dictionary of a task; nil for a task stored before
// dictionaries (its audit entries keep their text).
func (s *Store) taskDict(ctx context.Context, q querier, taskID int64) (*zdict, error) {
	s.dictMu.Lock()
	id, ok := s.taskDicts[taskID]
	s.dictMu.Unlock()
	if !ok {
		if err := q.QueryRowContext(ctx, `SELECT dict_id FROM tasks WHERE id = ?`, taskID).Scan(&id); err != nil {
			return nil, notFound(err, "task", taskID)
		}
		if id == 0 {
			return nil, nil
		}
		s.dictMu.Lock()
		if s.taskDicts == nil {
			s.taskDicts = map[int64]int64{}
		}
		s.taskDicts[taskID] = id
		s.dictMu.Unlock()
	}
	return s.dict(ctx, q, id)
}

// querier is what reads one row: a pool or a transaction.
type querier interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}

// addDict stores a dictionary inside tx and returns it.
func (s *Store) addDict(ctx context.Context, tx *sql.Tx, data []byte) (*zdict, error) {
	var id int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO dicts (data) VALUES (?) RETURNING id`, data).Scan(&id); err != nil {
		return nil, err
	}
	// Cached only once the transaction commits (see dict): an id of a
	// rolled-back insert is used again.
	return newZdict(id, data), nil
}

func (s *Store) cacheDict(d *zdict) {
	s.dictMu.Lock()
	if s.dicts == nil {
		s.dicts = map[int64]*zdict{}
	}
	s.dicts[d.id] = d
	s.dictMu.Unlock()
}

// sealPayload encodes, deflates and seals a job's fields and commands.
func (s *Store) sealPayload(d *zdict, fields map[string]string, cmds []oci.Request) ([]byte, error) {
	raw := make([]storedCommand, 0, len(cmds))
	for i, c := range cmds {
		sc, err := encodeCommand(c)
		if err != nil {
			return nil, fmt.Errorf("jobs: command %d (%s): %w", i+1, c.OCIName(), err)
		}
		raw = append(raw, sc)
	}
	return s.sealRaw(d, fields, raw)
}

func (s *Store) sealRaw(d *zdict, fields map[string]string, raw []storedCommand) ([]byte, error) {
	p, err := json.Marshal(storedPayload{Fields: fields, Commands: raw})
	if err != nil {
		return nil, err
	}
	return s.seal(purposePayload, d.deflate([]byte{payloadFormat}, p))
}

// openPayload is the inverse of sealPayload.
func (s *Store) openPayload(d *zdict, sealed []byte) (storedPayload, error) {
	var p storedPayload
	if d == nil {
		return p, errors.New("jobs: payload of a task without a dictionary")
	}
	b, err := s.open(purposePayload, sealed)
	if err != nil {
		return p, err
	}
	if len(b) == 0 || b[0] != payloadFormat {
		return p, fmt.Errorf("jobs: stored payload: unknown format")
	}
	if b, err = d.inflate(b[1:]); err != nil {
		return p, err
	}
	if err := json.Unmarshal(b, &p); err != nil {
		return p, fmt.Errorf("jobs: stored payload: %w", err)
	}
	return p, nil
}

// sealedJob is a job's stored form: payload (with its task's dictionary),
// or, written before migration 0006, sealed fields and commands.
type sealedJob struct {
	dict                  *zdict
	payload, fields, cmds []byte
}

// openSealed returns the fields and the stored commands of a job.
func (s *Store) openSealed(sj sealedJob) (map[string]string, []storedCommand, error) {
	if sj.payload != nil {
		p, err := s.openPayload(sj.dict, sj.payload)
		if err != nil {
			return nil, nil, fmt.Errorf("payload: %w", err)
		}
		return p.Fields, p.Commands, nil
	}
	fields, err := s.openFields(sj.fields)
	if err != nil {
		return nil, nil, fmt.Errorf("fields: %w", err)
	}
	plain, err := s.open(purposeCommands, sj.cmds)
	if err != nil {
		return nil, nil, fmt.Errorf("commands: %w", err)
	}
	var raw []storedCommand
	if err := json.Unmarshal(plain, &raw); err != nil {
		return nil, nil, fmt.Errorf("commands: %w", err)
	}
	return fields, raw, nil
}

// auditRequest is the form an audit entry's request is stored in: text,
// or deflated with the task's dictionary.
func auditRequest(d *zdict, text string) (request string, dictID int64, z []byte) {
	if d == nil || len(text) < 64 {
		return text, 0, nil
	}
	return "", d.id, d.deflate(nil, []byte(text))
}

// Compact rewrites the jobs stored before migration 0006 in the compact
// form, a few hundred at a time, each batch in one transaction (a crash
// leaves every job in one form or the other, both readable), and returns
// how many it rewrote. It needs the data key. A job is skipped when it
// changed meanwhile. Then the audit's requests of that time are deflated
// with their task's dictionary the same way (migration 0011 allows that
// change and no other); they read back as the same text.
func (s *Store) Compact(ctx context.Context) (int, error) {
	if _, err := s.dataBox(); err != nil {
		return 0, err
	}
	total := 0
	var after int64
	for {
		n, last, err := s.compactBatch(ctx, after, 200)
		total += n
		if err != nil {
			return total, err
		}
		if last == 0 {
			break
		}
		after = last
	}
	if s.eng.shared() {
		// A team database began with the compact form.
		return total, nil
	}
	after, rewrote := 0, total
	for {
		n, last, err := s.compactAuditBatch(ctx, after, 500)
		rewrote += n
		if err != nil {
			return total, err
		}
		if last == 0 {
			break
		}
		after = last
	}
	if rewrote > 0 {
		// The file gives back the pages the old forms took (in one
		// transaction of SQLite's own: a crash leaves the file as it
		// was). A reader holding the database makes it wait for another
		// time, with the data compact already.
		_, _ = s.w.ExecContext(ctx, `VACUUM`)
	}
	return total, nil
}

// compactAuditBatch deflates up to limit audit requests stored as text,
// with ids above after; it returns how many it deflated and the last id it
// looked at (0: none left).
func (s *Store) compactAuditBatch(ctx context.Context, after int64, limit int) (int, int64, error) {
	rows, err := s.w.QueryContext(ctx, `SELECT id, task_id, request FROM audit
		WHERE id > ? AND dict_id = 0 AND request_z IS NULL AND length(request) >= 64 ORDER BY id LIMIT ?`, after, limit)
	if err != nil {
		return 0, 0, fmt.Errorf("jobs: compact audit: %w", err)
	}
	type old struct {
		id, task int64
		request  string
	}
	var olds []old
	for rows.Next() {
		var o old
		if err := rows.Scan(&o.id, &o.task, &o.request); err != nil {
			rows.Close()
			return 0, 0, fmt.Errorf("jobs: compact audit: %w", err)
		}
		olds = append(olds, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(olds) == 0 {
		return 0, 0, err
	}
	n := 0
	err = s.InTx(ctx, func(tx *sql.Tx) error {
		for _, o := range olds {
			d, err := s.taskDict(ctx, tx, o.task)
			if errors.Is(err, ErrNotFound) || d == nil {
				continue // no task, or one without a dictionary: kept as text
			}
			if err != nil {
				return err
			}
			req, dictID, z := auditRequest(d, o.request)
			n++
			if _, err := tx.ExecContext(ctx, `UPDATE audit SET request = ?, dict_id = ?, request_z = ?
				WHERE id = ? AND dict_id = 0 AND request_z IS NULL`, req, dictID, z, o.id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, 0, fmt.Errorf("jobs: compact audit: %w", err)
	}
	return n, olds[len(olds)-1].id, nil
}

// compactBatch rewrites up to limit old jobs with ids above after; it
// returns how many it rewrote and the last id it looked at (0: none left).
func (s *Store) compactBatch(ctx context.Context, after int64, limit int) (int, int64, error) {
	rows, err := s.w.QueryContext(ctx, `SELECT j.id, j.task_id, j.fields, j.commands, t.dict_id FROM jobs j
		JOIN tasks t ON t.id = j.task_id WHERE j.payload IS NULL AND j.id > ? ORDER BY j.id LIMIT ?`, after, limit)
	if err != nil {
		return 0, 0, fmt.Errorf("jobs: compact: %w", err)
	}
	type old struct {
		id, task, dictID int64
		fields, cmds     []byte
	}
	var olds []old
	for rows.Next() {
		var o old
		if err := rows.Scan(&o.id, &o.task, &o.fields, &o.cmds, &o.dictID); err != nil {
			rows.Close()
			return 0, 0, fmt.Errorf("jobs: compact: %w", err)
		}
		olds = append(olds, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(olds) == 0 {
		return 0, 0, err
	}
	n := 0
	var added []*zdict
	err = s.InTx(ctx, func(tx *sql.Tx) error {
		dicts := map[int64]*zdict{}
		for _, o := range olds {
			fields, raw, err := s.openSealed(sealedJob{fields: o.fields, cmds: o.cmds})
			if err != nil {
				// Left as it is: the runner fails it with the reason.
				continue
			}
			d := dicts[o.task]
			if d == nil && o.dictID != 0 {
				if d, err = s.dict(ctx, tx, o.dictID); err != nil {
					return err
				}
			}
			if d == nil {
				cmds, err := decodeRaw(raw)
				if err != nil {
					continue
				}
				data, err := dictFrom(JobSpec{Fields: fields, Commands: cmds})
				if err != nil {
					continue
				}
				if d, err = s.addDict(ctx, tx, data); err != nil {
					return err
				}
				added = append(added, d)
				if _, err := tx.ExecContext(ctx, `UPDATE tasks SET dict_id = ? WHERE id = ? AND dict_id = 0`, d.id, o.task); err != nil {
					return err
				}
			}
			dicts[o.task] = d
			p, err := s.sealRaw(d, fields, raw)
			if err != nil {
				return err
			}
			res, err := tx.ExecContext(ctx, `UPDATE jobs SET payload = ?, fields = ?, commands = ?
				WHERE id = ? AND payload IS NULL AND fields = ? AND commands = ?`, p, []byte{}, []byte{}, o.id, o.fields, o.cmds)
			if err != nil {
				return err
			}
			if k, _ := res.RowsAffected(); k > 0 {
				n++
			}
		}
		return nil
	})
	if err != nil {
		return 0, 0, fmt.Errorf("jobs: compact: %w", err)
	}
	for _, d := range added {
		s.cacheDict(d)
	}
	return n, olds[len(olds)-1].id, nil
}

func decodeRaw(raw []storedCommand) ([]oci.Request, error) {
	out := make([]oci.Request, 0, len(raw))
	for _, sc := range raw {
		c, err := decodeCommand(sc)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// auditText is an audit request as stored: text, or deflated.
func (s *Store) auditText(ctx context.Context, request string, dictID int64, z []byte) string {
	if dictID == 0 || z == nil {
		return request
	}
	d, err := s.dict(ctx, s.r, dictID)
	if err != nil {
		return "(request not readable: " + err.Error() + ")"
	}
	b, err := d.inflate(z)
	if err != nil {
		return "(request not readable: " + err.Error() + ")"
	}
	return string(b)
}
