package jobs

import (
	"context"
	"sync"
)

// storeLife is the context of the work a store starts on its own (the
// mover of a desk's queue, saving what a server taught, fetching the
// team's key, the counts of a task's event): it ends when Close begins,
// so none of that work outlives the store.
type storeLife struct {
	once   sync.Once
	ctx    context.Context
	cancel context.CancelFunc
}

func (l *storeLife) init() {
	l.once.Do(func() { l.ctx, l.cancel = context.WithCancel(context.Background()) })
}

// life returns the store's own context.
func (s *Store) life() context.Context {
	s.lifetime.init()
	return s.lifetime.ctx
}

// endLife cancels the store's own context (Close).
func (s *Store) endLife() {
	s.lifetime.init()
	s.lifetime.cancel()
}
