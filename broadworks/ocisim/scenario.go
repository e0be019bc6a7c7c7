package ocisim

import (
	"fmt"
	"strings"
	"sync"
	"time"
)

// Scenario is a training scenario: failures the server plays so that a
// client's recovery screens can be rehearsed on the demo server.
type Scenario struct {
	Name  string // what --scenario and Server.SetScenario take
	Title string // a few words for a list
	About string // what happens, in a sentence
}

// Scenarios lists the training scenarios, "" (nothing fails) first.
var Scenarios = []Scenario{
	{"", "Nothing fails", "Every command is answered as a healthy server would."},
	{"licences", "Licences run out mid-task",
		"From the third user on, assigning services is refused: the group has no licences left ([Error 4411])."},
	{"taken-id", "A user id is taken mid-task",
		"Just before the second user is added, another administrator creates a user with the same id, so the add is refused ([Error 4200])."},
	{"flaky", "A flaky network",
		"One command in seven is executed but its answer is lost (the connection drops); another one in seven is refused as busy ([Error 5200])."},
	{"slow", "A slow server", "Every command waits 250 ms before it is answered."},
}

// scenarioDelay is what the slow scenario waits before each command.
const scenarioDelay = 250 * time.Millisecond

// scenarioState is the scenario being played and its command counts.
type scenarioState struct {
	mu   sync.Mutex
	name string
	seen map[string]int // commands counted by kind (UserAddRequest for every version)
	n    int            // commands counted for the flaky scenario
}

// SetScenario starts playing the named training scenario (one of
// Scenarios' names, "" for none); its counts start again from zero. Safe
// for concurrent use.
func (s *Server) SetScenario(name string) error {
	name = strings.ToLower(strings.TrimSpace(name))
	if err := checkScenario(name); err != nil {
		return err
	}
	s.scenario.mu.Lock()
	s.scenario.name, s.scenario.seen, s.scenario.n = name, map[string]int{}, 0
	s.scenario.mu.Unlock()
	return nil
}

// Scenario returns the name of the scenario being played ("" for none).
func (s *Server) Scenario() string {
	s.scenario.mu.Lock()
	defer s.scenario.mu.Unlock()
	return s.scenario.name
}

// checkScenario says whether name is one of Scenarios.
func checkScenario(name string) error {
	name = strings.ToLower(strings.TrimSpace(name))
	for _, sc := range Scenarios {
		if sc.Name == name {
			return nil
		}
	}
	return fmt.Errorf("ocisim: no training scenario %q (the scenarios are %s)", name, scenarioNames())
}

func scenarioNames() string {
	var n []string
	for _, sc := range Scenarios[1:] {
		n = append(n, sc.Name)
	}
	return strings.Join(n, ", ")
}

// scenarioPlay is what the scenario does with one command.
type scenarioPlay struct {
	fault *Fault // refuse or delay it
	take  bool   // create the user id of this UserAddRequest first, as someone else
	lose  bool   // execute it, then drop the connection instead of answering
}

// scenarioFor is what the scenario does with one (valid) command. Logins
// are never touched, so a client always gets as far as the work.
func (s *Server) scenarioFor(command string) scenarioPlay {
	st := &s.scenario
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.name == "" || loginKind(command) != "" {
		return scenarioPlay{}
	}
	if st.seen == nil {
		st.seen = map[string]int{}
	}
	kind := command
	if strings.HasPrefix(command, "UserAddRequest") {
		kind = "UserAddRequest"
	}
	st.seen[kind]++
	n := st.seen[kind]
	switch st.name {
	case "slow":
		return scenarioPlay{fault: &Fault{Delay: scenarioDelay}}
	case "licences":
		if kind == "UserServiceAssignListRequest" && n >= 3 {
			return scenarioPlay{fault: &Fault{Code: codeServiceLimit,
				Message: "Service limit exceeded: the group has no licences left for these services"}}
		}
	case "taken-id":
		if kind == "UserAddRequest" && n == 2 {
			return scenarioPlay{take: true}
		}
	case "flaky":
		st.n++
		switch st.n % 7 {
		case 3:
			return scenarioPlay{lose: true}
		case 6:
			return scenarioPlay{fault: &Fault{Code: codeTransient, Message: "System busy, try again later"}}
		}
	}
	return scenarioPlay{}
}

// takeUserID adds, as another administrator would, a bare user with the
// id of the UserAddRequest c (same group, other names, nothing else), so
// that c itself is then refused as a user who already exists.
func (s *Server) takeUserID(sess *session, sid string, c *element, name string) {
	keep := map[string]bool{"serviceProviderId": true, "groupId": true, "userId": true}
	cp := &element{Name: c.Name, Space: c.Space, Attrs: c.Attrs}
	for _, k := range c.Kids {
		switch {
		case keep[k.Name]:
			cp.Kids = append(cp.Kids, k)
		case k.Name == "lastName" || k.Name == "callingLineIdLastName":
			cp.Kids = append(cp.Kids, &element{Name: k.Name, Space: k.Space, Text: "Else"})
		case k.Name == "firstName" || k.Name == "callingLineIdFirstName":
			cp.Kids = append(cp.Kids, &element{Name: k.Name, Space: k.Space, Text: "Someone"})
		}
	}
	if r, _ := s.run(sess, sid, cp, name, validateCommand(cp, commandModels[name])); r.err != nil {
		s.logf("scenario taken-id: %s could not be taken: %v", c.val("userId"), r.err)
	}
}
