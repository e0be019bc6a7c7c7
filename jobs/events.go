package jobs

import (
	"sync"
	"time"
)

// Event is a progress notification. A job event has JobID and Row set and
// Status is the job's new status; a task event has JobID 0 and Status is
// the task's. Counts, Throughput (completed jobs per second in this run)
// and ETA describe the task at the time of the event. Events are
// notifications: the durable state is in the Store.
type Event struct {
	TaskID     int64
	JobID      int64
	Row        int
	Status     string
	Err        string
	Attempts   int // sends of the job's current command so far
	Done       int // completed jobs
	Failed     int
	Checking   int // jobs to be checked (StatusChecking)
	Total      int
	Throughput float64
	ETA        time.Duration
}

// terminal reports whether the event must reach every subscriber.
func (e Event) terminal() bool {
	return Terminal(e.Status) || e.Status == StatusChecking || (e.JobID == 0 && e.Status != StatusRunning)
}

// hub fans events out to subscribers without ever blocking the publisher:
// each subscriber has an unbounded queue of terminal events and keeps only
// the latest non-terminal event per task (coalescing), drained into its
// channel by its own goroutine.
type hub struct {
	mu   sync.Mutex
	subs map[*subscriber]struct{}
}

type subscriber struct {
	out    chan Event
	mu     sync.Mutex
	queue  []Event          // terminal events, in order
	latest map[int64]*Event // newest non-terminal event per task
	order  []int64          // tasks with a latest event, in arrival order
	kick   chan struct{}
	done   chan struct{}
}

func (h *hub) subscribe() (<-chan Event, func()) {
	s := &subscriber{
		out:    make(chan Event, 64),
		latest: map[int64]*Event{},
		kick:   make(chan struct{}, 1),
		done:   make(chan struct{}),
	}
	h.mu.Lock()
	if h.subs == nil {
		h.subs = map[*subscriber]struct{}{}
	}
	h.subs[s] = struct{}{}
	h.mu.Unlock()
	go s.pump()
	var once sync.Once
	return s.out, func() {
		once.Do(func() {
			h.mu.Lock()
			delete(h.subs, s)
			h.mu.Unlock()
			close(s.done)
		})
	}
}

func (h *hub) publish(e Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for s := range h.subs {
		s.push(e)
	}
}

func (s *subscriber) push(e Event) {
	s.mu.Lock()
	if e.terminal() {
		s.queue = append(s.queue, e)
	} else {
		if _, ok := s.latest[e.TaskID]; !ok {
			s.order = append(s.order, e.TaskID)
		}
		ev := e
		s.latest[e.TaskID] = &ev
	}
	s.mu.Unlock()
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

// next pops the oldest terminal event, else the oldest coalesced one.
func (s *subscriber) next() (Event, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.queue) > 0 {
		e := s.queue[0]
		s.queue = s.queue[1:]
		return e, true
	}
	if len(s.order) > 0 {
		id := s.order[0]
		s.order = s.order[1:]
		e := *s.latest[id]
		delete(s.latest, id)
		return e, true
	}
	return Event{}, false
}

func (s *subscriber) pump() {
	defer close(s.out)
	for {
		e, ok := s.next()
		if !ok {
			select {
			case <-s.kick:
				continue
			case <-s.done:
				return
			}
		}
		select {
		case s.out <- e:
		case <-s.done:
			return
		}
	}
}
