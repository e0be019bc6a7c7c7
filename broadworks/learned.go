package broadworks

import (
	"maps"
	"sync"

	"bwbulk/broadworks/oci"
)

// Learned is what one server's refusals taught its clients: for each
// command family (named by its newest version) the version the server
// took after refusing a newer one as unknown. A server may be patched
// below (or beyond) what the release table gives its release; this is
// its own answer. Share one Learned among the clients of one server
// (Options.Learned); it is safe for concurrent use.
type Learned struct {
	mu       sync.Mutex
	versions map[string]string
	onChange func(map[string]string)
}

// NewLearned returns a Learned holding versions (as Map returned them
// earlier, for example kept with a server profile). onChange, when not
// nil, is called with a copy of the whole map each time a refusal teaches
// something new, outside any lock of the client.
func NewLearned(versions map[string]string, onChange func(map[string]string)) *Learned {
	l := &Learned{versions: map[string]string{}, onChange: onChange}
	for fam, v := range versions {
		if oci.Family(v) == oci.Family(fam) {
			l.versions[oci.Family(fam)] = v
		}
	}
	return l
}

// Map returns a copy of what was learned.
func (l *Learned) Map() map[string]string {
	if l == nil {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return maps.Clone(l.versions)
}

// version returns the version learned for name's family.
func (l *Learned) version(name string) (string, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	v, ok := l.versions[oci.Family(name)]
	return v, ok
}

// learn records v for its family unless an older version is known
// already; it reports whether that changed anything and returns the map
// to pass to onChange.
func (l *Learned) learn(v string) (map[string]string, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fam := oci.Family(v)
	if cur, ok := l.versions[fam]; ok && !oci.Newer(cur, v) {
		return nil, false
	}
	l.versions[fam] = v
	return maps.Clone(l.versions), true
}
