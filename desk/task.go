package desk

import "bwbulk/jobs"

// TaskTitle names a task as Tasks and `bwbulk tasks` list it: its name,
// else what it creates, then its ticket.
func TaskTitle(t jobs.Task) string {
	s := t.Description
	if t.Name != "" {
		s = t.Name + " (" + t.Description + ")"
	}
	if t.Ticket != "" {
		s += " · " + t.Ticket
	}
	return s
}
