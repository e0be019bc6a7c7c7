package ocisim

import (
	"bufio"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"os"
)

// The state file is a snapshot plus a journal beside it (StateFile +
// ".log"). Every command that changed the state is appended to the journal
// before its answer leaves, so a crash of the process never loses what the
// server confirmed; loading replays the journal over the snapshot. Writing
// the whole state after every document would grow with the users (tens of
// milliseconds at 100,000), an appended line does not; the journal is
// folded into a new snapshot once it outgrows the snapshot, so the cost per
// command stays bounded.
//
// Generations keep a replay exact: the snapshot records the generation of
// the journal that continues it, and the journal's first line names its
// own. A journal of another generation (a crash between writing a new
// snapshot and starting its journal) is already in the snapshot and is not
// replayed.

// journalHeader is a journal's first line.
type journalHeader struct {
	Generation int `json:"generation"`
}

// journalRecord is one applied command: who sent it and the command
// element as it was validated.
type journalRecord struct {
	Admin string   `json:"admin"`
	Cmd   *element `json:"cmd"`
}

// minFold is the journal size below which it is never folded into the
// snapshot.
const minFold = 1 << 20

type journal struct {
	path     string
	f        *os.File
	size     int64  // bytes in the journal
	snapSize int64  // bytes of the snapshot it continues
	sync     bool   // fsync after every record
	line     []byte // the last record written, its space reused
}

func journalPath(stateFile string) string { return stateFile + ".log" }

// openState loads the snapshot's journal into s.w (replaying the records
// of its generation), then starts the next generation: a new snapshot
// holding everything and an empty journal. Called before serving.
func (s *Server) openState() error {
	path := journalPath(s.opts.StateFile)
	n, err := s.replay(path)
	if err != nil {
		return err
	}
	if n > 0 {
		s.logf("state: %d changes replayed from %s", n, path)
	}
	s.jr = &journal{path: path, sync: s.opts.SyncState}
	return s.fold()
}

// replay applies the records of the journal at path that continue s.w's
// snapshot and returns how many it applied. A last line cut short by a
// crash is ignored: its command was never answered.
func (s *Server) replay(path string) (int, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("ocisim: state journal: %w", err)
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 64<<10), DefaultMaxDocumentSize*4)
	if !sc.Scan() {
		return 0, nil
	}
	var h journalHeader
	if err := json.Unmarshal(sc.Bytes(), &h); err != nil || h.Generation != s.w.Journal {
		return 0, nil // another generation: already in the snapshot
	}
	n := 0
	for sc.Scan() {
		var rec journalRecord
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil || rec.Cmd == nil {
			break // cut short: never answered
		}
		name := rec.Cmd.xsiType()
		h, ok := handlers[name]
		acct := s.account(rec.Admin)
		if !ok || acct == nil {
			return n, fmt.Errorf("ocisim: state journal %s: record %d (%s by %s) cannot be replayed", path, n+1, name, rec.Admin)
		}
		c := &call{s: s, w: s.w, sess: &session{admin: acct}, cmd: name}
		if r := h(c, rec.Cmd); r.err != nil {
			return n, fmt.Errorf("ocisim: state journal %s: record %d (%s) refused on replay: %s", path, n+1, name, r.err.summary())
		}
		n++
	}
	return n, nil
}

// record appends an applied command to the journal, and folds the journal
// into a new snapshot when it has outgrown it. Called with s.mu held,
// before the command's answer is sent.
func (s *Server) record(sess *session, c *element) error {
	j := s.jr
	if j == nil {
		return nil
	}
	b := append(appendRecord(j.line[:0], sess.admin.UserID, c), '\n')
	j.line = b
	if _, err := j.f.Write(b); err != nil {
		return fmt.Errorf("ocisim: state journal: %w", err)
	}
	if j.sync {
		if err := j.f.Sync(); err != nil {
			return fmt.Errorf("ocisim: state journal: %w", err)
		}
	}
	j.size += int64(len(b))
	if j.size > max(minFold, 2*j.snapSize) {
		return s.fold()
	}
	return nil
}

// fold writes the whole state as the snapshot of a new generation and
// starts that generation's journal empty. Called with s.mu held (or before
// serving).
func (s *Server) fold() error {
	j := s.jr
	s.w.Journal++
	size, err := s.w.save(s.opts.StateFile)
	if err != nil {
		s.w.Journal--
		return err
	}
	hdr, _ := json.Marshal(journalHeader{Generation: s.w.Journal})
	hdr = append(hdr, '\n')
	tmp := j.path + ".new"
	if err := os.WriteFile(tmp, hdr, 0o600); err != nil {
		return fmt.Errorf("ocisim: state journal: %w", err)
	}
	if err := os.Rename(tmp, j.path); err != nil {
		return fmt.Errorf("ocisim: state journal: %w", err)
	}
	if j.f != nil {
		j.f.Close()
	}
	f, err := os.OpenFile(j.path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return fmt.Errorf("ocisim: state journal: %w", err)
	}
	j.f, j.size, j.snapSize = f, int64(len(hdr)), size
	return nil
}

// closeJournal folds the journal into the snapshot and closes it.
func (s *Server) closeJournal() error {
	if s.jr == nil {
		return nil
	}
	err := s.fold()
	if s.jr.f != nil {
		s.jr.f.Close()
	}
	s.jr = nil
	return err
}

// appendRecord appends the JSON of journalRecord{admin, c}, byte for byte
// what json.Marshal writes, without its reflection: a record is written
// for every change.
func appendRecord(b []byte, admin string, c *element) []byte {
	b = append(b, `{"admin":`...)
	b = appendJSONString(b, admin)
	b = append(b, `,"cmd":`...)
	b = appendElementJSON(b, c)
	return append(b, '}')
}

func appendElementJSON(b []byte, e *element) []byte {
	if e == nil {
		return append(b, "null"...)
	}
	b = append(b, `{"Name":`...)
	b = appendJSONString(b, e.Name)
	b = append(b, `,"Space":`...)
	b = appendJSONString(b, e.Space)
	b = append(b, `,"Attrs":`...)
	b = appendJSONList(b, e.Attrs, appendAttrJSON)
	b = append(b, `,"Text":`...)
	b = appendJSONString(b, e.Text)
	b = append(b, `,"Kids":`...)
	b = appendJSONList(b, e.Kids, appendElementJSON)
	return append(b, '}')
}

func appendAttrJSON(b []byte, a xml.Attr) []byte {
	b = append(b, `{"Name":{"Space":`...)
	b = appendJSONString(b, a.Name.Space)
	b = append(b, `,"Local":`...)
	b = appendJSONString(b, a.Name.Local)
	b = append(b, `},"Value":`...)
	b = appendJSONString(b, a.Value)
	return append(b, '}')
}

// appendJSONList appends list as a JSON array (null when nil), each
// element by each.
func appendJSONList[T any](b []byte, list []T, each func([]byte, T) []byte) []byte {
	if list == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, x := range list {
		if i > 0 {
			b = append(b, ',')
		}
		b = each(b, x)
	}
	return append(b, ']')
}

// appendJSONString appends s quoted as json.Marshal quotes it: as it is
// when it is printable ASCII with nothing to escape, else by json.Marshal
// itself.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s)
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}
