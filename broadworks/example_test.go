package broadworks_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"bwbulk/broadworks"
	"bwbulk/broadworks/oci"
	"bwbulk/broadworks/ocisim"
)

// startDemo starts the project's simulator on loopback for the examples;
// a real program dials its BroadWorks server instead.
func startDemo() (addr string, stop func()) {
	srv := ocisim.NewDemo(nil)
	a, err := srv.Listen("127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	return a.String(), func() { srv.Close() }
}

func ExampleDial() {
	addr, stop := startDemo()
	defer stop()
	ctx := context.Background()

	// Plain TCP (port 2208 when addr has none); use
	// Options{Transport: broadworks.TransportTLS} for port 2209.
	c, err := broadworks.Dial(ctx, addr, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	info, err := c.Login(ctx, "admin", "welcome1")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(info.LoginType, "administrator, release", info.Release)
	fmt.Println("add users with", broadworks.CommandFor(c.Release(), "UserAddRequest22V2"))
	// Output:
	// System administrator, release 25
	// add users with UserAddRequest22V2
}

func ExampleClient_Do() {
	addr, stop := startDemo()
	defer stop()
	ctx := context.Background()
	c, err := broadworks.Dial(ctx, addr, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Login(ctx, "admin", "welcome1"); err != nil {
		log.Fatal(err)
	}

	// Do returns a refusal as the error.
	_, err = c.Do(ctx, &oci.UserGetRequest23V2{UserID: "nobody@acme.example.com"})
	var refusal *oci.ErrorResponse
	if errors.As(err, &refusal) {
		fmt.Println("refused with code", refusal.Code)
	}
	fmt.Println("user not found:", broadworks.IsErrorCode(err, 4008))

	// broadworks.Do checks the response type.
	user, err := broadworks.Do[*oci.UserGetResponse23V2](ctx, c, &oci.UserGetRequest23V2{UserID: "branch.user01@acme.example.com"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(user.GroupID)
	// Output:
	// refused with code 4008
	// user not found: true
	// acme-branch
}

func ExampleClient_Batch() {
	addr, stop := startDemo()
	defer stop()
	ctx := context.Background()
	c, err := broadworks.Dial(ctx, addr, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Login(ctx, "admin", "welcome1"); err != nil {
		log.Fatal(err)
	}

	add := func(id string) oci.Request {
		return &oci.UserAddRequest22V2{
			ServiceProviderID: "acme-ent", GroupID: "acme-hq", UserID: id + "@acme.example.com",
			LastName: "Doe", FirstName: id, CallingLineIDLastName: "Doe", CallingLineIDFirstName: id,
		}
	}
	// One document, one result per command: the refusal in the middle
	// does not hide the successes around it.
	results, err := c.Batch(ctx, add("jane"), add("jane"), add("john"))
	if err != nil {
		log.Fatal(err) // the whole document failed
	}
	for _, r := range results {
		switch {
		case r.Err == nil:
			fmt.Println("added")
		case broadworks.OutcomeUnknown(r.Err):
			fmt.Println("unknown: look the user up before trying again")
		default:
			fmt.Println("refused:", broadworks.IsErrorCode(r.Err, 4200))
		}
	}
	// Output:
	// added
	// refused: true
	// added
}

func ExamplePool() {
	addr, stop := startDemo()
	defer stop()
	ctx := context.Background()

	// Four sessions, dialled and logged in on first use and again whenever
	// one is lost.
	pool := broadworks.NewPool(4, func(ctx context.Context) (*broadworks.Client, error) {
		c, err := broadworks.Dial(ctx, addr, nil)
		if err != nil {
			return nil, err
		}
		if _, err := c.Login(ctx, "admin", "welcome1"); err != nil {
			c.Close()
			return nil, err
		}
		return c, nil
	})
	defer pool.Close()

	resp, err := pool.Do(ctx, &oci.GroupGetRequest22V5{ServiceProviderID: "acme-ent", GroupID: "acme-hq"})
	if err != nil {
		log.Fatal(err)
	}
	g := resp.(*oci.GroupGetResponse22V5)
	fmt.Println("user limit", g.UserLimit)
	// Output:
	// user limit 500
}

func ExampleSafeToRetry() {
	// The decision a job runner makes after a failure.
	decide := func(err error) string {
		switch {
		case err == nil:
			return "done"
		case broadworks.SafeToRetry(err):
			return "retry: it never left"
		case broadworks.OutcomeUnknown(err):
			return "check the server before acting again"
		case broadworks.Temporary(err):
			return "retry later"
		default:
			return "failed"
		}
	}
	fmt.Println(decide(broadworks.ErrNotLoggedIn))
	fmt.Println(decide(fmt.Errorf("add: %w", broadworks.ErrOutcomeUnknown)))
	fmt.Println(decide(&oci.ErrorResponse{Type: oci.TypeError, Summary: "[Error 5200] System busy, try again later"}))
	fmt.Println(decide(&oci.ErrorResponse{Type: oci.TypeError, Summary: "[Error 4200] User already exists"}))
	// Output:
	// retry: it never left
	// check the server before acting again
	// retry later
	// failed
}
