package ocisim

// call is the context of one command being executed, with s.mu held.
type call struct {
	s       *Server
	w       *world
	sess    *session
	cmd     string
	mutated bool
}

type handlerFunc func(c *call, e *element) result

func unauthorized() *ociError { return errorf(codeUnauthorized, "Unauthorized transaction.") }

func (c *call) level() string { return c.sess.admin.Level }

// system allows system administrators only.
func (c *call) system() *ociError {
	if c.level() != LevelSystem {
		return unauthorized()
	}
	return nil
}

// spScope allows system admins and the service provider's own admins.
func (c *call) spScope(sp string) *ociError {
	a := c.sess.admin
	switch a.Level {
	case LevelSystem:
		return nil
	case LevelServiceProvider:
		if a.ServiceProviderID == sp {
			return nil
		}
	}
	return unauthorized()
}

// groupScope allows system admins, the SP's admins and the group's admins.
func (c *call) groupScope(sp, g string) *ociError {
	a := c.sess.admin
	if a.Level == LevelGroup && a.ServiceProviderID == sp && a.GroupID == g {
		return nil
	}
	return c.spScope(sp)
}

// userScope allows the admins of the user's group and the user itself.
func (c *call) userScope(u *User) *ociError {
	a := c.sess.admin
	if a.Level == LevelUser {
		if a.UserID == u.UserID {
			return nil
		}
		return unauthorized()
	}
	return c.groupScope(u.ServiceProviderID, u.GroupID)
}

// userLevel refuses commands users may not send for themselves.
func (c *call) notUser() *ociError {
	if c.level() == LevelUser {
		return unauthorized()
	}
	return nil
}

func boolVal(s string) bool { return s == "true" || s == "1" }

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
