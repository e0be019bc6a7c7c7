package ocisim

import "sort"

func (u *User) clone() User {
	c := *u
	c.Aliases = append([]string(nil), u.Aliases...)
	c.Contacts = append([]string(nil), u.Contacts...)
	c.Services = append([]string(nil), u.Services...)
	c.SharedCallAppearances = append([]SCAEndpoint(nil), u.SharedCallAppearances...)
	return c
}

// User returns a copy of the user with this id.
func (s *Server) User(userID string) (User, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.w.Users[userID]
	if !ok {
		return User{}, false
	}
	return u.clone(), true
}

// Users returns copies of every user, sorted by user id.
func (s *Server) Users() []User {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]User, 0, len(s.w.Users))
	for _, id := range sortedKeys(s.w.Users) {
		out = append(out, s.w.Users[id].clone())
	}
	return out
}

// UsersInGroup returns copies of the users of a group, sorted by user id.
func (s *Server) UsersInGroup(sp, group string) []User {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []User
	for _, u := range s.w.usersIn(sp, group) {
		if u.GroupID == group {
			out = append(out, u.clone())
		}
	}
	return out
}

// Device returns a copy of a group's access device.
func (s *Server) Device(sp, group, name string) (Device, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, g, err := s.w.group(sp, group)
	if err != nil {
		return Device{}, false
	}
	d, ok := g.Devices[name]
	if !ok {
		return Device{}, false
	}
	return *d, true
}

// GroupCounts returns a group's user limit and current user count (0, 0
// when the group does not exist).
func (s *Server) GroupCounts(sp, group string) (userLimit, userCount int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, g, err := s.w.group(sp, group)
	if err != nil {
		return 0, 0
	}
	return g.UserLimit, s.w.userCount(sp, group)
}

// FreeNumbers returns the group's numbers not assigned to a user, sorted.
func (s *Server) FreeNumbers(sp, group string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	spp, g, err := s.w.group(sp, group)
	if err != nil {
		return nil
	}
	return s.w.freeNumbers(spp, g)
}

// Departments returns the names of a group's departments, sorted.
func (s *Server) Departments(sp, group string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, g, err := s.w.group(sp, group)
	if err != nil {
		return nil
	}
	var out []string
	for _, d := range g.Departments {
		out = append(out, d.Name)
	}
	sort.Strings(out)
	return out
}

// HasGroup reports whether the group exists.
func (s *Server) HasGroup(sp, group string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, _, err := s.w.group(sp, group)
	return err == nil
}

// AddCount returns how many times an add command (UserAddRequest22V2,
// GroupAccessDeviceAddRequest22V2, GroupConsolidatedAddRequest, ...) was
// accepted: a count above one for the same object proves a duplicate.
func (s *Server) AddCount(cmd string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.AddCounts[cmd]
}

// Documents returns how many request documents the server has received.
func (s *Server) Documents() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.docs
}

// AddAdmin creates (or replaces) an administrator. level is LevelSystem,
// LevelServiceProvider or LevelGroup; sp and group give its scope.
func (s *Server) AddAdmin(userID, password, level, sp, group string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.w.Admins[userID] = &Admin{UserID: userID, Level: level, ServiceProviderID: sp, GroupID: group, PasswordSHA1: sha1Hex(password)}
	s.changedDirectly()
}

// SetUserLimit changes a group's user limit; it reports whether the group
// exists.
func (s *Server) SetUserLimit(sp, group string, limit int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, g, err := s.w.group(sp, group)
	if err != nil {
		return false
	}
	g.UserLimit = limit
	s.changedDirectly()
	return true
}

// changedDirectly makes a change made outside a command durable: the
// journal records commands, so the state is folded into a new snapshot.
// Called with s.mu held.
func (s *Server) changedDirectly() {
	if s.jr != nil {
		if err := s.fold(); err != nil {
			s.logf("%v", err)
		}
	}
}

// SaveState writes the state to path as JSON (the StateFile format).
func (s *Server) SaveState(path string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, err := s.w.save(path)
	return err
}
