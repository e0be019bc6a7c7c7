package jobs

import (
	"context"
	"time"

	"bwbulk/broadworks"
)

// DialProfile dials p's server and logs in with password: the one way the
// window and the command line open a session to a saved profile.
func DialProfile(ctx context.Context, p Profile, password string) (*broadworks.Client, *broadworks.LoginInfo, error) {
	opts := &broadworks.Options{
		Transport:          p.Transport,
		InsecureSkipVerify: p.Insecure,
		PinSHA256:          p.CAPin,
		Timeout:            20 * time.Second,
		KnownRelease:       p.Release,
		Learned:            p.learning,
	}
	if opts.Learned == nil {
		opts.Learned = broadworks.NewLearned(p.Learned, nil)
	}
	c, err := broadworks.Dial(ctx, p.Address, opts)
	if err != nil {
		return nil, nil, err
	}
	info, err := c.Login(ctx, p.AdminUser, password)
	if err != nil {
		c.Close()
		return nil, nil, err
	}
	return c, info, nil
}
